/// The narrow interface the rest of SchemaLedger uses to talk to a database.
///
/// Everything above `Database/` goes through this protocol, so a PostgreSQL connection can
/// implement it later without the ledger, planner or executor changing. It offers exactly
/// what those layers need: single statements with bound values, queries streamed row by
/// row, multi-statement scripts that report where they failed, write transactions, and
/// the run lock that keeps a second runner out. What the database says about its own
/// objects comes through `DatabaseCatalog`, and the ledger's tables and guards in the
/// engine's dialect through `ledgerDDL`; `docs/architecture.md` lists what an engine
/// provides.
public protocol DatabaseConnection: AnyObject, DatabaseCatalog {
  /// Where the database lives, for messages (a file path, or `:memory:`).
  var location: String { get }

  /// The ledger's tables, guards and views in this engine's dialect.
  var ledgerDDL: LedgerDDL { get }

  /// Which engine this is.
  var engine: DatabaseEngine { get }

  /// `true` when writes are impossible (the file or its folder is read-only).
  var isReadOnly: Bool { get }

  /// What a writer throws when `isReadOnly` is `true`, in this engine's words.
  var readOnlyError: any DatabaseError { get }

  /// What a step's transaction runs with, when the engine sets something worth recording
  /// in the step's events' `detail` (PostgreSQL: `lock_timeout 5000ms`); `nil` on SQLite.
  var stepSettings: String? { get }

  /// `true` between `beginImmediate()` and `commit()` / `rollback()`, or while a
  /// migration's own `BEGIN` is still open.
  var isInTransaction: Bool { get }

  /// Makes the statement running now (on another thread) stop as soon as it can, failing
  /// with an "interrupted" error. Safe to call from any thread.
  func interrupt()

  /// Runs one statement with bound `arguments`, discarding any rows.
  func execute(_ sql: String, _ arguments: [SQLValue]) throws

  /// Runs one query with bound `arguments`, calling `row` for each result row in order.
  func query(_ sql: String, _ arguments: [SQLValue], _ row: (any SQLRow) throws -> Void) throws

  /// Runs a script of any number of statements, in order, stopping at the first error.
  ///
  /// On failure throws `SQLiteError.statementFailed` whose `offset` is the UTF-8 byte
  /// offset in `sql` of the failing statement (or of the error token when known). With a
  /// `heartbeat`, calls it about every `heartbeat.interval` seconds while the script runs.
  ///
  /// With a `scriptGuard`, a statement that does what the guard forbids is refused before
  /// it runs, with `SQLiteError.statementRefused` (located like a failure); statements
  /// run outside the script (the ledger's appends after it) are not judged. A connection
  /// that cannot install a guard without disturbing its owner (a borrowed one) runs the
  /// script unguarded.
  func executeScript(
    _ sql: String, heartbeat: ScriptHeartbeat?, guardedBy scriptGuard: ScriptGuard?) throws

  /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`).
  func beginImmediate() throws

  /// Commits the current transaction.
  func commit() throws

  /// Rolls back the current transaction, if any; never throws.
  func rollback()

  /// Whether the database enforces foreign keys (`PRAGMA foreign_keys`).
  func foreignKeysEnabled() throws -> Bool

  /// Turns foreign-key enforcement on or off. Ignored by SQLite inside a transaction.
  func setForeignKeysEnabled(_ enabled: Bool) throws

  /// Foreign-key violations present now, one readable line each (`PRAGMA foreign_key_check`).
  func foreignKeyViolations() throws -> [String]

  /// A private copy of the database (schema, data and ledger) for rehearsing a plan:
  /// nothing done through it outlives it, and nothing done through it is seen by others.
  /// SQLite copies the file (deleted when the returned connection is released); a server
  /// engine may instead return a connection inside one transaction that it rolls back
  /// then. Call it under the run lock: it also removes copies left behind by a rehearsal
  /// that crashed.
  func scratchCopy() throws -> any DatabaseConnection

  /// A new, empty, private database of the same kind (with the same extensions loaded),
  /// for reconstructing a schema from the ledger's SQL.
  func emptyScratchDatabase() throws -> any DatabaseConnection

  /// Calls `report` when this connection has to wait for a lock another connection holds
  /// (SQLite's write lock): once, with 0 seconds waited, the first time it waits, then
  /// every `interval` seconds of one wait, with the seconds waited so far; `nil` stops
  /// the reports. A connection that cannot tell does nothing.
  func reportLockWaits(every interval: Double, _ report: ((Double) -> Void)?)

  /// Takes the exclusive run lock for this database, waiting at most `timeout` seconds.
  ///
  /// `owner` describes this process for other waiters; `onWait` is called with the
  /// description of the current holder when the lock is not free at once, then every 10
  /// seconds of waiting (with what the holder is doing then). The lock is
  /// released when the returned value is released or the process dies.
  func acquireRunLock(
    timeout: Double, owner: String, onWait: (String) -> Void
  ) throws -> any RunLock
}

/// A held run lock. Released by `release()`, by deinitialisation, or by the process dying.
public protocol RunLock: AnyObject {
  /// Releases the lock now.
  func release()

  /// Tells waiters and `status` what the holder is doing now (`applying 002_x`).
  func annotate(_ activity: String)
}

extension RunLock {
  /// Locks that carry no note ignore it.
  public func annotate(_ activity: String) {}
}

/// Called regularly while a long script runs, so an operator knows it is alive.
public struct ScriptHeartbeat {
  /// What the heartbeat reports.
  public struct Beat: Sendable {
    /// Seconds since the script started.
    public var elapsedSeconds: Double
    /// Statements finished so far.
    public var statementsDone: Int
    /// Rows changed by the statements finished so far (SQLite counts a statement's
    /// changes when it finishes).
    public var rowsChanged: Int64

    /// A beat after `elapsedSeconds`, with what was done so far.
    package init(elapsedSeconds: Double, statementsDone: Int, rowsChanged: Int64) {
      self.elapsedSeconds = elapsedSeconds
      self.statementsDone = statementsDone
      self.rowsChanged = rowsChanged
    }
  }

  /// Seconds between beats.
  public var interval: Double
  /// Receives each beat, on the thread running the script.
  public var beat: (Beat) -> Void
  /// Asked as often as the heartbeat is checked (every few thousand virtual-machine
  /// instructions): `true` stops the script there, as `sqlite3_interrupt` would, with no
  /// window in which a request to stop could be missed.
  public var shouldStop: (() -> Bool)?

  /// A heartbeat every `interval` seconds; `shouldStop`, when given, can stop the script.
  public init(
    interval: Double, shouldStop: (() -> Bool)? = nil, beat: @escaping (Beat) -> Void
  ) {
    self.interval = interval
    self.shouldStop = shouldStop
    self.beat = beat
  }
}

extension DatabaseConnection {
  /// Runs a script without a heartbeat or a guard.
  public func executeScript(_ sql: String) throws {
    try executeScript(sql, heartbeat: nil, guardedBy: nil)
  }

  /// Runs a script without a guard.
  public func executeScript(_ sql: String, heartbeat: ScriptHeartbeat?) throws {
    try executeScript(sql, heartbeat: heartbeat, guardedBy: nil)
  }

  /// Runs one statement without arguments.
  public func execute(_ sql: String) throws {
    try execute(sql, [])
  }

  /// Runs `body` in a `BEGIN IMMEDIATE` transaction: commits when it returns, rolls back
  /// when it throws.
  public func inTransaction<T>(_ body: () throws -> T) throws -> T {
    try beginImmediate()
    do {
      let value = try body()
      try commit()
      return value
    } catch {
      rollback()
      throw error
    }
  }
}

extension DatabaseConnection {
  /// Runs `body` inside `SAVEPOINT name`: released when `body` returns, rolled back to
  /// (and released) when it throws. Nests inside a transaction or another savepoint.
  public func inSavepoint<T>(_ name: String, _ body: () throws -> T) throws -> T {
    let quoted = "\"" + name.replacing("\"", with: "\"\"") + "\""
    try execute("SAVEPOINT \(quoted)")
    do {
      let value = try body()
      try execute("RELEASE \(quoted)")
      return value
    } catch {
      try? execute("ROLLBACK TO \(quoted)")
      try? execute("RELEASE \(quoted)")
      throw error
    }
  }
}
