import FoundationEssentials

/// Recording decisions that run no SQL: adopting an existing database (baseline,
/// import), settling a migration in doubt (resolve), accepting an intentional edit
/// (accept). Each appends events under the run lock; nothing is edited in place.
extension SchemaMigrator {
  /// How `resolve` settles a migration in doubt.
  public enum Resolution: String, Sendable {
    /// The operator finished it by hand: treat it as applied.
    case applied
    /// The operator undid it by hand: treat it as not applied.
    case rolledBack = "rolled-back"
  }

  /// Records the migrations up to `version` as applied without running them (the
  /// database already has their schema): `baselined` events with who and why.
  /// Migrations already applied are left alone.
  @discardableResult
  public func baseline(to version: MigrationVersion, reason: String) throws -> [LedgerEvent] {
    try requireReason(reason, action: "baseline")
    let source = try self.source()
    guard source.migrations.contains(where: { $0.version == version }) else {
      throw PlanError.unknownTarget(version: version)
    }
    return try recorder().record { state, runID in
      source.migrations.filter {
        $0.version <= version && state.migrations[$0.id]?.status != .applied
      }.map { migration in
        adoptionEvent(.baselined, migration, runID: runID, detail: "baseline: \(reason)")
      }
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
    var matched: [(Migration, String?)] = []
    var unmatched: [String] = []
    var takenByChecksum = Set<String>()
    for entry in entries {
      if tool == .golangMigrate || entry.includesEarlierVersions, let current = entry.version {
        // golang-migrate keeps only the current version, and a Flyway baseline stands for
        // every version up to it: everything up to it ran.
        matched += source.migrations.filter { $0.version <= current }.map { ($0, nil) }
        if !source.migrations.contains(where: { $0.version == current }) {
          unmatched.append(current.description)
        }
      } else if let checksum = entry.checksum {
        // Two files with the same text (empty custom migrations) share a checksum: each
        // row takes the first of them not yet taken.
        if let migration = source.migrations.first(where: {
          $0.checksum == checksum && !takenByChecksum.contains($0.id)
        }) {
          takenByChecksum.insert(migration.id)
          matched.append((migration, entry.appliedAt))
        } else {
          unmatched.append(
            "the file with SHA-256 \(checksum)"
              + (entry.appliedAt.map { " (applied at \($0))" } ?? ""))
        }
      } else if let migration = Self.migration(matching: entry, in: source) {
        matched.append((migration, entry.appliedAt))
      } else {
        unmatched.append(entry.identifier ?? entry.version.map(\.description) ?? "?")
      }
    }
    if !unmatched.isEmpty {
      throw PlanError.unmatchedImport(tool: tool.rawValue, entries: unmatched)
    }
    return try runner.record { state, runID in
      var seen = Set<String>()
      return matched.filter { state.migrations[$0.0.id]?.status != .applied }
        .filter { seen.insert($0.0.id).inserted }
        .map { migration, appliedAt in
          let when = appliedAt.map { "; applied by \(tool.rawValue) at \($0)" } ?? ""
          let why = reason.map { "; \($0)" } ?? ""
          return adoptionEvent(
            .imported, migration, runID: runID,
            detail: "imported from \(tool.rawValue)\(when)\(why)")
        }
    }
  }

  /// Settles a migration that failed or stopped outside a transaction and may be partly
  /// done, after the operator finished or undid it by hand: appends a `resolved` event.
  @discardableResult
  public func resolve(_ idOrVersion: String, as resolution: Resolution, reason: String) throws
    -> [LedgerEvent]
  {
    try requireReason(reason, action: "resolve")
    let file = try? self.source().migration(idOrVersion)
    let runner = try recorder()
    return try runner.record { state, runID in
      let named = Self.record(idOrVersion, in: state) ?? file.flatMap { state.migrations[$0.id] }
      guard let record = named else { throw PlanError.unknownMigration(idOrVersion) }
      guard record.mayBePartlyDone else { throw PlanError.nothingToResolve(migration: record.id) }
      let migration = file?.id == record.id ? file : nil
      let wasApplied = record.status == .applied
      // What the operator did by hand is not known, but its result is: the event records
      // the whole schema as it is now, and replay starts again from it.
      let schema = try SchemaSnapshot.read(from: runner.connection).ddl
      return [
        LedgerEvent(
          kind: .resolved, migration: record.id, version: record.version.recorded,
          direction: resolution == .applied ? .up : .down,
          checksum: migration?.checksum ?? record.checksum, runID: runID,
          actor: configuration.actor, sql: schema,
          downSQL: resolution == .applied && !wasApplied ? migration?.downSQL : nil,
          detail: "resolved as \(resolution.rawValue): \(reason)")
      ]
    }
  }

  /// Accepts an intentional edit of an applied migration's file (a comment, a typo in
  /// the down section): records the file's checksum as the one in force, and, with
  /// `includingDown`, its down SQL as the one a rollback will use.
  @discardableResult
  public func accept(_ idOrVersion: String, reason: String, includingDown: Bool = false)
    throws -> [LedgerEvent]
  {
    try requireReason(reason, action: "accept")
    guard let migration = try source().migration(idOrVersion) else {
      throw PlanError.unknownMigration(idOrVersion)
    }
    let runner = try recorder()
    return try runner.record { state, runID in
      guard let record = state.migrations[migration.id], record.status == .applied else {
        throw PlanError.nothingToAccept(migration: migration.id)
      }
      let recordedDown = try record.downSQLSeq.flatMap { try runner.store.recordedDownSQL(seq: $0) }
      let upChanged = record.checksum != migration.checksum
      let downChanged = includingDown && recordedDown != migration.downSQL
      guard upChanged || downChanged else {
        throw PlanError.nothingToAccept(migration: migration.id)
      }
      return [
        LedgerEvent(
          kind: .accepted, migration: migration.id, version: migration.version.recorded,
          direction: .up,
          checksum: migration.checksum, runID: runID, actor: configuration.actor,
          sql: migration.upSQL, downSQL: includingDown ? migration.downSQL : nil,
          detail: "accepted edit (was \(record.checksum ?? "?")): \(reason)")
      ]
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

  private func requireReason(_ reason: String, action: String) throws {
    if reason.trimmedWhitespace.isEmpty {
      throw PlanError.reasonRequired(action: action)
    }
  }

  /// The migration an imported entry names: by version, or by id or name (GRDB, Prisma).
  private static func migration(matching entry: ImportedEntry, in source: MigrationSource)
    -> Migration?
  {
    if let version = entry.version {
      return source.migrations.first { $0.version == version }
    }
    guard let identifier = entry.identifier else { return nil }
    return source.migrations.first { $0.id == identifier || $0.name == identifier }
  }

  private static func record(_ idOrVersion: String, in state: LedgerState) -> MigrationRecord? {
    if let record = state.migrations[idOrVersion] { return record }
    guard let version = MigrationVersion(idOrVersion) else { return nil }
    return state.migrations.values.first { $0.version == version }
  }

  private func adoptionEvent(
    _ kind: EventKind, _ migration: Migration, runID: String, detail: String
  ) -> LedgerEvent {
    LedgerEvent(
      kind: kind, migration: migration.id, version: migration.version.recorded, direction: .up,
      checksum: migration.checksum, runID: runID, actor: configuration.actor,
      sql: migration.upSQL, downSQL: migration.downSQL, detail: detail,
      dependsOn: migration.dependencies.isEmpty ? nil : migration.dependencies)
  }
}
