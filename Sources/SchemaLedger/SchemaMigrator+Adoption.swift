import FoundationEssentials

/// Recording decisions that run no SQL: adopting an existing database (baseline,
/// import), settling a migration in doubt (resolve), accepting an intentional edit
/// (accept). Each appends events under the run lock; nothing is edited in place.
extension SchemaMigrator {
  /// How `resolve` settles a migration in doubt.
  public typealias Resolution = SchemaLedger.Resolution

  /// Records the migrations up to `version` as applied without running them (the
  /// database already has their schema): `baselined` events with who and why.
  /// Migrations already applied are left alone.
  @discardableResult
  public func baseline(to version: MigrationVersion, reason: String) throws -> [LedgerEvent] {
    try AdoptionDecisions.requireReason(reason, action: "baseline")
    let source = try self.source()
    try AdoptionDecisions.checkBaselineTarget(version, in: source)
    return try recorder().record { state, runID in
      decisions(runID).baseline(to: version, reason: reason, source: source, state: state)
    }
  }

  /// Reads the history table of the tool the team used before and records what it says
  /// was applied as `imported` events (with the tool's own timestamps in `detail`), so the
  /// history starts complete. The other tool's table is left untouched. Every imported
  /// migration must have its file in the migrations folder: matched by version, by id or
  /// name (GRDB, Prisma), or by the checksum of its text (Drizzle).
  @discardableResult
  public func importHistory(from tool: ImportedTool, reason: String? = nil) throws
    -> [LedgerEvent]
  {
    let source = try self.source()
    let runner = try recorder()
    let entries = try HistoryImporter.read(tool, from: runner.connection)
    let matches = try AdoptionDecisions.importMatches(entries, from: tool, source: source)
    return try runner.record { state, runID in
      decisions(runID).importEvents(matches, from: tool, reason: reason, state: state)
    }
  }

  /// Settles a migration that failed or stopped outside a transaction and may be partly
  /// done, after the operator finished or undid it by hand: appends a `resolved` event.
  @discardableResult
  public func resolve(_ idOrVersion: String, as resolution: Resolution, reason: String) throws
    -> [LedgerEvent]
  {
    try AdoptionDecisions.requireReason(reason, action: "resolve")
    let file = try? self.source().migration(idOrVersion)
    let runner = try recorder()
    return try runner.record { state, runID in
      try decisions(runID).resolve(
        idOrVersion, as: resolution, reason: reason, file: file, state: state
      ) { try SchemaSnapshot.read(from: runner.connection).ddl }
    }
  }

  /// Accepts an intentional edit of an applied migration's file (a comment, a typo in
  /// the down section): records the file's checksum as the one in force, and, with
  /// `includingDown`, its down SQL as the one a rollback will use.
  @discardableResult
  public func accept(_ idOrVersion: String, reason: String, includingDown: Bool = false)
    throws -> [LedgerEvent]
  {
    try AdoptionDecisions.requireReason(reason, action: "accept")
    guard let migration = try source().migration(idOrVersion) else {
      throw PlanError.unknownMigration(idOrVersion)
    }
    let runner = try recorder()
    return try runner.record { state, runID in
      try decisions(runID).accept(
        migration, reason: reason, includingDown: includingDown, state: state,
        recordedDownSQL: runner.store.recordedDownSQL(seq:))
    }
  }

  // MARK: - Helpers

  /// A runner on the existing database: these commands never create one (a mistyped
  /// path must not leave an empty database behind).
  private func recorder() throws -> MigrationRunner {
    guard let connection = try openExisting() else {
      throw SQLiteError.fileMissing(path: databasePath)
    }
    return MigrationRunner(connection: connection, settings: runnerSettings)
  }

  private func decisions(_ runID: String) -> AdoptionDecisions {
    AdoptionDecisions(runID: runID, actor: configuration.actor)
  }
}
