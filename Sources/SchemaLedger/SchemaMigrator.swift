import FoundationEssentials

/// SchemaLedger's public façade, used by the command-line tool and by applications.
///
/// ```swift
/// let ledger = SchemaMigrator(databasePath: "app.sqlite", migrationsDirectory: "migrations")
/// try ledger.migrate()   // throws a typed error: the app must not start
/// ```
///
/// Thread safety: with a database path, each call opens its own connection and closes it
/// before returning, so a `SchemaMigrator` holds no database resources between calls and
/// may be shared between threads and tasks; concurrent calls, from threads or processes,
/// are serialised by the run lock. With a borrowed connection handle, calls use that
/// handle and must follow the app's rules for it (one thread at a time, as with any
/// `sqlite3` handle in the default threading mode). Every call is synchronous and blocks
/// its thread: call `migrate()` before the app starts serving, or from a background task.
public final class SchemaMigrator: Sendable {
  /// The database.
  public let database: Database
  /// The migrations.
  public let migrations: Migrations
  /// The settings in force.
  public let configuration: Configuration

  // MARK: - Create

  /// A ledger on `database` with `migrations`.
  public init(
    database: Database, migrations: Migrations, configuration: Configuration = Configuration()
  ) {
    self.database = database
    self.migrations = migrations
    self.configuration = configuration
  }

  /// A ledger for the database file at `databasePath` (created on first `migrate()`) and
  /// the migration files in `migrationsDirectory`.
  public convenience init(
    databasePath: String, migrationsDirectory: String,
    configuration: Configuration = Configuration()
  ) {
    self.init(
      database: .path(databasePath), migrations: .directory(migrationsDirectory),
      configuration: configuration)
  }

  /// A ledger for the database file at `databasePath` and the migration files at a file
  /// URL.
  public convenience init(
    databasePath: String, migrationsDirectory: URL,
    configuration: Configuration = Configuration()
  ) {
    self.init(
      databasePath: databasePath, migrationsDirectory: migrationsDirectory.path,
      configuration: configuration)
  }

  /// The database file's path (for a borrowed connection, its main file, or `:memory:`).
  public var databasePath: String {
    switch database {
    case .path(let path): return path
    case .connection(let borrowed): return SQLiteConnection(borrowing: borrowed.handle).location
    case .server(let server): return server.location
    }
  }

  // MARK: - Use

  /// Reads and validates every migration. Throws `MigrationSourceError`.
  public func source() throws -> MigrationSource {
    switch migrations {
    case .directory(let path):
      let source = try MigrationSource(
        directory: path,
        options: SourceOptions(
          layout: configuration.layout, placeholders: configuration.placeholders,
          environment: configuration.environment, engine: engine))
      if !source.unknownEntries.isEmpty {
        configuration.progress?(.skippedUnknownEntries(source.unknownEntries))
      }
      return source
    case .source(let source): return source
    }
  }

  /// Applies every pending migration (up to `version`, when given), each in its own
  /// transaction with its `applied` event. When nothing is pending, returns at once
  /// without taking the lock or writing.
  ///
  /// Throws `MigrationSourceError` (bad files; nothing ran), `PlanError` (drift and other
  /// refusals; nothing ran), `ExecutionError` (a migration failed: it was rolled back and
  /// recorded), `LedgerError` or `SQLiteError`. The description of each says what to do.
  ///
  /// With `rehearse`, the plan first runs on a scratch copy of the database and the real
  /// database is touched only if every step passed there.
  @discardableResult
  public func migrate(to version: MigrationVersion? = nil, rehearse: Bool = false) throws
    -> RunReport
  {
    try explainingErrors { try migrateNow(to: version, rehearse: rehearse) }
  }

  private func migrateNow(to version: MigrationVersion?, rehearse: Bool) throws -> RunReport {
    // A server's reads never wait for a writer: the fast check below goes first there,
    // and a run in progress is met at the run lock only when there is work.
    if !isServer, activeRun() != nil {
      // Another run holds the lock, perhaps with the database locked by a long step:
      // wait for its lock (reported), not for SQLite's, then decide what is pending.
      let source = try self.source()
      let runner = MigrationRunner(connection: try open(.readWriteCreate), settings: runnerSettings)
      return try runner.apply(
        source: source, target: version, rehearse: rehearse,
        superseded: configuration.supersededMigrations,
        allowingOutOfOrder: configuration.allowOutOfOrder, lockFirst: true)
    }
    let start = Timestamp.monotonicNanoseconds()
    let check = try fastStartupCheck()
    if let known = check.known, version == nil {
      return RunReport(
        runID: nil, steps: [], recoveredInterruptions: [], rehearsed: false,
        currentVersion: known.version, totalMs: Timestamp.millisecondsSince(start))
    }
    let signature = check.signature
    let source = try self.source()
    try announceCreation()
    let connection = try open(.readWriteCreate)
    let runner = MigrationRunner(connection: connection, settings: runnerSettings)
    return try runner.apply(
      source: source, target: version, rehearse: rehearse,
      superseded: configuration.supersededMigrations,
      allowingOutOfOrder: configuration.allowOutOfOrder, signature: signature)
  }

  /// Rolls back the applied migrations `target` selects, the most recently applied first,
  /// each with the down SQL recorded when it was applied (the files are not read).
  ///
  /// With `rehearse` (the default) the plan first runs on a scratch copy of the database
  /// (`VACUUM INTO`), and the real database is touched only if every step passed there;
  /// the rehearsal and its verdict are recorded in the ledger. Refuses before anything
  /// runs when a migration in the way is irreversible. When nothing is selected, returns
  /// without taking the lock or writing.
  @discardableResult
  public func rollback(_ target: RollbackTarget, rehearse: Bool = true) throws -> RunReport {
    guard let connection = try openExisting(), try LedgerStore(connection: connection).exists()
    else {
      _ = try Planner.rollbackPlan(state: LedgerState(), target: target)
      return RunReport(
        runID: nil, steps: [], recoveredInterruptions: [], rehearsed: false,
        currentVersion: nil, totalMs: 0)
    }
    let runner = MigrationRunner(connection: connection, settings: runnerSettings)
    return try runner.rollback(target: target, rehearse: rehearse)
  }

  /// What `rollback(_:)` would do now, with the recorded down SQL of each step. Writes
  /// nothing and takes no lock.
  public func rollbackPlan(_ target: RollbackTarget) throws -> RollbackPlan {
    guard let connection = try openExisting() else {
      return try Planner.rollbackPlan(state: LedgerState(), target: target)
    }
    let reader = reader(on: connection)
    let plan = try Planner.rollbackPlan(state: try reader.currentState(), target: target)
    return try reader.loadingDownSQL(plan)
  }

  /// `true` when the database exists (always, for a borrowed connection or a server).
  public var databaseExists: Bool {
    guard case .path(let path) = database else { return true }
    return FileManager.default.fileExists(atPath: DatabasePathCheck.fileName(of: path))
  }

  /// Before `migrate()` creates a missing database file: refuses when creation is off,
  /// else reports `.creatingDatabase`.
  private func announceCreation() throws {
    guard !databaseExists, case .path(let path) = database else { return }
    guard configuration.createDatabase else {
      throw ExecutionError.databaseMissing(
        path: path, directory: FileManager.default.currentDirectoryPath)
    }
    configuration.progress?(.creatingDatabase(path: path))
  }

  /// What `migrate(to:)` would do now, and the interrupted attempts it would record.
  /// Writes nothing and takes no lock.
  public func plan(to version: MigrationVersion? = nil) throws -> ApplyPreview {
    try explainingErrors { try planNow(to: version) }
  }

  private func planNow(to version: MigrationVersion?) throws -> ApplyPreview {
    let source = try self.source()
    let state = try ledgerState()
    if let stuck = Planner.interruptedPartly(in: state), !((try? isRunInProgress()) ?? false) {
      throw stuck
    }
    let plan = try Planner.applyPlan(
      source: source, state: state, target: version,
      allowingSuperseded: configuration.supersededMigrations != .refuse,
      allowingOutOfOrder: configuration.allowOutOfOrder)
    return ApplyPreview(plan: plan, interrupted: state.unfinishedAttempts)
  }

  /// The migrations `migrate()` would apply now, in order. Read-only, no lock.
  public func pendingMigrations() throws -> [Migration] {
    try plan().plan.steps
  }

  /// `true` when another process holds the run lock now. Tries the lock without waiting.
  public func isRunInProgress() throws -> Bool {
    guard let connection = try openExisting() else { return false }
    do {
      try connection.acquireRunLock(timeout: 0, owner: "status probe", onWait: { _ in })
        .release()
      return false
    } catch RunLockError.timeout {
      return true
    }
  }

  /// The ledger's state as the projection computes it. Read-only, no lock; an empty
  /// state when the database or the ledger does not exist yet.
  public func ledgerState() throws -> LedgerState {
    guard let connection = try openExisting() else { return LedgerState() }
    return try reader(on: connection).currentState()
  }

  /// Calls `body` with every event in order, with its SQL. Read-only, no lock.
  public func forEachEvent(_ body: (LedgerEvent) throws -> Void) throws {
    try existingStore()?.forEachEvent(body)
  }

  /// The events `filter` selects (every event by default), oldest first, with their SQL.
  /// Read-only, no lock.
  public func history(_ filter: HistoryFilter = HistoryFilter()) throws -> [LedgerEvent] {
    var events: [LedgerEvent] = []
    try existingStore()?.forEachEvent(matching: filter) { events.append($0) }
    return events
  }

  /// The store of an existing ledger in a readable format, or `nil` when the database or
  /// its ledger does not exist yet.
  private func existingStore() throws -> LedgerStore? {
    guard let connection = try openExisting() else { return nil }
    let store = LedgerStore(connection: connection)
    guard try store.exists() else { return nil }
    try store.checkFormat()
    return store
  }

}
