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
  /// Settings that apply to every call.
  public struct Configuration: Sendable {
    /// How long to wait for another runner's lock, seconds; also the longest each wait for
    /// SQLite's write lock (held by another connection) may last. A negative or NaN value
    /// means not to wait; no value, however large, traps.
    public var lockTimeout: Double = 60
    /// SQLite extensions to load into each connection (for SQL that uses their functions).
    public var extensions: [String] = []
    /// Receives progress: events as they are appended, lock waits. Silent when `nil`.
    public var progress: ProgressHandler?
    /// Who is recorded as the actor of the events written.
    public var actor: LedgerActor = .current()
    /// What `migrate()` does when the ledger has applied migrations this build does not
    /// know (the app was downgraded). Refuses by default.
    public var supersededMigrations: SupersededPolicy = .refuse
    /// Apply pending migrations older than the newest applied one (merged late from a
    /// branch) instead of refusing; the ledger records that they ran out of order.
    public var allowOutOfOrder = false
    /// Seconds between "still running" progress reports during a long migration.
    public var heartbeatInterval: Double = 10
    /// Whether `migrate()` creates the database file when it does not exist (announced
    /// through `progress` as `.creatingDatabase`). Turn off for deploys that must find an
    /// existing database: a mistyped path then fails instead of migrating a new, empty file.
    public var createDatabase = true
    /// Lets `migrate()` skip reading the migration files when the folder's names, sizes
    /// and modification times, and the ledger, are exactly as the last run that left the
    /// database up to date recorded them. Any change (a new file, an edit, a touch, an
    /// event appended by anyone) falls back to the full check; `status` uses the same
    /// check, `plan` and `verify` always read the files. Turn off to check checksums at
    /// every startup.
    public var fastStartupCheck = true
    /// The layout to read the migrations folder as; `nil` detects it from the folder and
    /// refuses a folder that mixes layouts (`MigrationLayout`).
    public var layout: MigrationLayout?
    /// Values of `${name}` placeholders in Flyway files and goose `ENVSUB` blocks. They
    /// are substituted before the SQL runs, and the ledger records the SQL that ran: keep
    /// secrets out of migrations.
    public var placeholders: [String: String] = [:]
    /// The key of a keyed hash chain (`LedgerKey`): given, every event a run appends is
    /// hashed with it (a ledger without one becomes keyed from then on), and `verify`
    /// checks keyed hashes. Never stored in the database.
    public var ledgerKey: LedgerKey?
    /// Lets the application stop a run cleanly (on SIGTERM, say): see
    /// `MigrationCancellation`.
    public var cancellation: MigrationCancellation?
    /// The environment goose `ENVSUB` blocks read (after `placeholders`); the process's
    /// environment by default.
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    /// The defaults: 60 s lock timeout, no extensions, silent, refuse superseded.
    public init() {}
  }

  /// What to do with applied migrations that the migrations given do not contain: the
  /// database was migrated by a newer build of the application.
  public enum SupersededPolicy: Sendable, Equatable {
    /// Refuse to migrate, naming them (`PlanError.unknownAppliedMigrations`).
    case refuse
    /// Roll them back first, newest first, with the down SQL recorded when they were
    /// applied (their files are not needed), then apply what is pending.
    case rollBack
    /// Leave them applied and carry on, knowingly.
    case ignore
  }

  /// Which database a ledger works on.
  public enum Database: Sendable {
    /// A database file, opened by SchemaLedger for each call (created on first migrate).
    case path(String)
    /// A `sqlite3` connection the application already owns (GRDB's, or any other
    /// wrapper's): used as it is, with the app's functions and settings, never closed.
    case connection(BorrowedConnection)
  }

  /// A `sqlite3 *` handle lent by the application.
  ///
  /// `@unchecked Sendable`: the pointer itself is only an address; SchemaLedger uses the
  /// handle solely inside the calls the application makes, on the application's thread,
  /// so it is as safe as the application's own use of the handle (see the class's
  /// thread-safety note). SchemaLedger never closes it.
  public struct BorrowedConnection: @unchecked Sendable {
    /// The `sqlite3 *` handle.
    public let handle: OpaquePointer

    /// Wraps an open `sqlite3 *` handle.
    public init(_ handle: OpaquePointer) {
      self.handle = handle
    }
  }

  /// Where migrations come from.
  public enum Migrations: Sendable {
    /// A folder of migration files, read and validated on each call.
    case directory(String)
    /// Migrations given in memory (`MigrationSource(files:)`), for apps that embed them.
    case source(MigrationSource)
  }

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
          environment: configuration.environment))
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
    if activeRun() != nil {
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
    let runner = MigrationRunner(connection: connection, settings: runnerSettings)
    let plan = try Planner.rollbackPlan(state: try runner.currentState(), target: target)
    return try runner.loadingDownSQL(plan)
  }

  /// `true` when the database exists (always, for a borrowed connection).
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
  public func plan(to version: MigrationVersion? = nil) throws -> (
    plan: ApplyPlan, interrupted: [UnfinishedAttempt]
  ) {
    try explainingErrors { try planNow(to: version) }
  }

  private func planNow(to version: MigrationVersion?) throws -> (
    plan: ApplyPlan, interrupted: [UnfinishedAttempt]
  ) {
    let source = try self.source()
    let state = try ledgerState()
    // An attempt outside a transaction that started and has no outcome is what `migrate()`
    // will record as partly applied, unless its run is still going.
    if let stuck = state.unfinishedAttempts.first(where: { !$0.transactional && $0.wasStarted }),
      !((try? isRunInProgress()) ?? false)
    {
      throw PlanError.partlyApplied(
        migration: stuck.migration, error: "interrupted in run \(stuck.runID)")
    }
    let plan = try Planner.applyPlan(
      source: source, state: state, target: version,
      allowingSuperseded: configuration.supersededMigrations != .refuse,
      allowingOutOfOrder: configuration.allowOutOfOrder)
    return (plan, state.unfinishedAttempts)
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
    } catch SQLiteError.runLockTimeout {
      return true
    }
  }

  /// The ledger's state as the projection computes it. Read-only, no lock; an empty
  /// state when the database or the ledger does not exist yet.
  public func ledgerState() throws -> LedgerState {
    guard let connection = try openExisting() else { return LedgerState() }
    return try MigrationRunner(connection: connection, settings: runnerSettings).currentState()
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

  // MARK: - Audit

  /// The state as it was after the events up to `point` (all events when `nil`), and,
  /// with `schema`, the application schema reconstructed by replaying the recorded SQL
  /// into an in-memory database. Read-only, no lock. An event number past the ledger's
  /// last event throws `LedgerError.pastEnd`; a time after the last event gives the
  /// current state (`Replay.isAtEnd`).
  public func replay(at point: ReplayPoint? = nil, schema: Bool = false) throws -> Replay {
    let connection = try openExisting() ?? open(.readOnlyMemory)
    return try LedgerAuditor(connection: connection, database: databasePath)
      .replay(at: point, schema: schema)
  }

  /// Checks the hash chain and the head anchor, the append-only triggers, the files
  /// against the applied migrations, and the live schema against the schema the ledger's
  /// SQL produces; with `anchors` (`seq` and hash pairs kept from earlier runs, see
  /// `RunReport.head`), that the ledger still has those events. Read-only, no lock.
  public func verify(anchors: [LedgerHead] = []) throws -> VerificationReport {
    // A missing database has nothing to verify: saying "OK" would hide a mistyped path.
    guard databaseExists else { throw SQLiteError.fileMissing(path: databasePath) }
    let connection = try openExisting() ?? open(.readOnlyMemory)
    let source = Result<MigrationSource, any Error> { try self.source() }
    return try LedgerAuditor(connection: connection, key: configuration.ledgerKey)
      .verify(source: source, anchors: anchors)
  }

  /// Calls `body` with every event as one JSON line (with its hash chain), in order.
  public func export(_ body: (String) throws -> Void) throws {
    guard let connection = try openExisting() else { return }
    try LedgerAuditor(connection: connection).export(body)
  }

  /// Checks an exported JSON Lines file on its own: every line parses and the hash chain
  /// holds. `path` names the file in messages.
  public static func verifyExport(lines: [String], path: String, key: LedgerKey? = nil)
    -> VerificationReport
  {
    var chain = ChainVerifier(key: key)
    var problems: [VerificationReport.Problem] = []
    for (index, line) in lines.enumerated() where !line.isEmpty {
      let source = "\(path):\(index + 1)"
      do {
        guard let object = try? JSONValue.decode(line), case .object = object else {
          throw LedgerError.unreadableEvent(database: source, seq: 0, reason: "not JSON")
        }
        chain.check(try LedgerEvent(json: object, source: source))
      } catch {
        problems.append(.unreconstructable("\(source): \(error)"))
        break
      }
    }
    if let broken = chain.firstBreak { problems.insert(.brokenChain(broken), at: 0) }
    var report = VerificationReport(problems: problems, eventsChecked: chain.count, notes: [])
    report.noteKeying(of: chain, keyGiven: key != nil)
    return report
  }

  // MARK: - Connections

  /// The fast startup check (`Configuration.fastStartupCheck`): the migrations folder's
  /// signature, and when it and the ledger's last `seq` are what the last up-to-date run
  /// recorded, a runner on the open database and the version then. The signature is
  /// computed on another thread while the database opens: on a large project listing the
  /// folder and SQLite parsing the schema take about as long, so the check costs little
  /// more than opening the database.
  func fastStartupCheck() throws -> StartupCheck {
    guard configuration.fastStartupCheck, case .directory(let folder) = migrations else {
      return StartupCheck()
    }
    let pending = DirectorySignature.start(directory: folder)
    guard let connection = try openExisting() else {
      return StartupCheck(signature: pending.value)
    }
    guard let signature = pending.value else { return StartupCheck() }
    let runner = MigrationRunner(connection: connection, settings: runnerSettings)
    guard let known = try runner.isKnownUpToDate(signature: signature),
      configuration.layout == nil || configuration.layout == known.layout
    else { return StartupCheck(signature: signature) }
    return StartupCheck(signature: signature, runner: runner, known: known)
  }

  /// The outcome of the fast startup check: the folder's signature (to record after a
  /// run), and when the database is known to be up to date, a runner on it and what is
  /// known.
  struct StartupCheck {
    var signature: String?
    var runner: MigrationRunner?
    var known: StartupCheckRecord?
  }

  var runnerSettings: MigrationRunner.Settings {
    MigrationRunner.Settings(
      lockTimeout: configuration.lockTimeout, actor: configuration.actor,
      progress: configuration.progress, heartbeatInterval: configuration.heartbeatInterval,
      ledgerKey: configuration.ledgerKey, cancellation: configuration.cancellation)
  }

  func open(_ mode: OpenMode) throws -> SQLiteConnection {
    if case .connection(let borrowed) = database, mode != .readOnlyMemory {
      return SQLiteConnection(borrowing: borrowed.handle, busyTimeout: configuration.lockTimeout)
    }
    guard case .path(let path) = database else {
      return try SQLiteConnection(path: ":memory:")
    }
    let connection = try SQLiteConnection(
      path: mode == .readOnlyMemory ? ":memory:" : path, mode: mode.sqlite,
      busyTimeout: configuration.lockTimeout)
    for path in configuration.extensions { try connection.loadExtension(path) }
    if mode != .readOnlyMemory { try connection.setForeignKeysEnabled(true) }
    return connection
  }

  /// How the façade opens its connections.
  enum OpenMode {
    /// The database file, created when missing (writers).
    case readWriteCreate
    /// The existing database file (readers; never creates it).
    case existing
    /// An empty in-memory database standing in for a file that does not exist yet.
    case readOnlyMemory

    var sqlite: SQLiteConnection.Mode {
      self == .existing ? .existing : .readWriteCreate
    }
  }

  /// A connection to the existing file (it can roll back a crashed writer's journal), or
  /// `nil` when the database file does not exist yet. Never creates the file.
  func openExisting() throws -> SQLiteConnection? {
    do {
      return try open(.existing)
    } catch SQLiteError.fileMissing {
      return nil
    }
  }
}
