import FoundationEssentials

/// What a `SchemaMigrator` is made of: its settings, its database and its migrations.
extension SchemaMigrator {
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
  public typealias SupersededPolicy = SchemaLedger.SupersededPolicy

  /// Which database a ledger works on.
  public enum Database: Sendable {
    /// A database file, opened by SchemaLedger for each call (created on first migrate).
    case path(String)
    /// A `sqlite3` connection the application already owns (GRDB's, or any other
    /// wrapper's): used as it is, with the app's functions and settings, never closed.
    case connection(BorrowedConnection)
    /// A database server, through an engine of its own library (PostgreSQL:
    /// `SchemaLedgerPostgres`'s `.postgres(url:)`): connected to for each call.
    case server(DatabaseServer)
  }

  /// A database server, as an engine connects to it: where it is (for messages, never
  /// with a password) and how to open a connection.
  public struct DatabaseServer: Sendable {
    /// Where the server is, for messages.
    public let location: String
    /// Opens a new connection.
    let connect: @Sendable () throws -> any DatabaseConnection
    /// Who holds the run lock now and what they are doing, or `nil`, without waiting.
    let activeRun: @Sendable () -> String?
    /// The engine it runs.
    public let engine: DatabaseEngine

    /// A server of `engine` at `location`, connected to with `connect`; `activeRun` names
    /// the run holding the run lock, if any.
    public init(
      engine: DatabaseEngine, location: String,
      connect: @escaping @Sendable () throws -> any DatabaseConnection,
      activeRun: @escaping @Sendable () -> String? = { nil }
    ) {
      self.engine = engine
      self.location = location
      self.connect = connect
      self.activeRun = activeRun
    }
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
}
