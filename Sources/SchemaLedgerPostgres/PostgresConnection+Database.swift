import CPostgreSQL
import SchemaLedger

/// The `DatabaseConnection` requirements on PostgreSQL. What the engine does not offer
/// yet throws `PostgresError.unsupported`, naming it.
extension PostgresConnection: DatabaseConnection {
  /// The ledger's DDL for this connection's ledger schema.
  public var ledgerDDL: LedgerDDL { PostgresLedgerDDL.ddl(schema: ledgerSchema) }

  public var engine: DatabaseEngine { .postgres }

  /// The `lock_timeout` each step's transaction runs with.
  public var stepSettings: String? { "lock_timeout \(lockTimeoutMilliseconds)ms" }

  private var lockTimeoutMilliseconds: Int { Int(lockTimeout * 1000) }

  /// A server that accepts no writes.
  public var readOnlyError: any DatabaseError { PostgresError.readOnly(server: location) }

  /// `true` on a server that accepts no writes (a standby, or
  /// `default_transaction_read_only`).
  public var isReadOnly: Bool {
    var readOnly = false
    try? run("SELECT current_setting('transaction_read_only')", []) {
      readOnly = $0.text(0) == "on"
    }
    return readOnly
  }

  /// `true` inside a transaction block (also one left failed, until it is rolled back).
  public var isInTransaction: Bool {
    PQtransactionStatus(handle) != PQTRANS_IDLE
  }

  /// Asks the server to cancel the statement running now; safe from any thread.
  public func interrupt() {
    guard let cancel = PQgetCancel(handle) else { return }
    var buffer = [CChar](repeating: 0, count: 256)
    _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    PQfreeCancel(cancel)
  }

  public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
    if defers(sql) {
      try deferStatement(sql, arguments)
      return
    }
    try run(sql, arguments) { _ in }
  }

  public func query(
    _ sql: String, _ arguments: [SQLValue], _ row: (any SQLRow) throws -> Void
  ) throws {
    try run(sql, arguments, row)
  }

  /// Runs the script as written, with no rewriting, every statement in order, stopping at
  /// the first error. Inside a transaction, in one round trip. Outside one (a migration
  /// that runs outside a transaction), one statement at a time, each committed on its
  /// own as SQLite does: several statements sent at once would form one implicit
  /// transaction, which `CREATE INDEX CONCURRENTLY` refuses. PostgreSQL has no
  /// authorizer: a statement that would change the ledger is refused before the script
  /// runs (`refuseLedgerChanges`). With a `heartbeat`, beats go out while the server
  /// works, and a request to stop cancels the statement running.
  public func executeScript(
    _ sql: String, heartbeat: ScriptHeartbeat?, guardedBy scriptGuard: ScriptGuard?
  ) throws {
    if let prefix = scriptGuard?.protectedPrefix {
      try refuseLedgerChanges(in: sql, prefix: prefix)
    }
    guard !isInTransaction else {
      try execute(sql, heartbeat: heartbeat)
      return
    }
    for (start, statement) in PostgresStatement.split(sql) {
      do {
        try execute(statement, heartbeat: heartbeat)
      } catch let error as PostgresError {
        throw error.shifted(by: start, in: sql)
      }
    }
  }

  /// Refuses, before any of it runs, a script with a statement that may change the ledger's
  /// schema or objects (`PostgresStatement.protectedName`): PostgreSQL has no authorizer
  /// to refuse it as it runs, as SQLite's does.
  private func refuseLedgerChanges(in sql: String, prefix: String) throws {
    for (start, statement) in PostgresStatement.split(sql) {
      guard
        let name = PostgresStatement.protectedName(
          in: statement, schema: ledgerSchema, prefix: prefix)
      else { continue }
      let keyword =
        statement.split(whereSeparator: { $0.isWhitespace }).first.map {
          $0.uppercased()
        } ?? "SQL"
      throw PostgresError.statementRefused(
        server: location, statement: keyword, object: name, sql: sql, offset: start)
    }
  }

  /// Begins a step's transaction, in one round trip, with `lockTimeout` as its
  /// `lock_timeout` and a check every second that the client is still there
  /// (`client_connection_check_interval`): a runner that dies mid-step (SIGKILL, a lost
  /// machine) gets its statement cancelled and its transaction rolled back by the server
  /// within a second, instead of holding its locks until the statement ends. Both are
  /// `SET LOCAL`: they end with the transaction, so they are safe behind a pooler.
  public func beginImmediate() throws {
    try execute(
      "BEGIN; SET LOCAL lock_timeout = '\(lockTimeoutMilliseconds)ms'; "
        + "SET LOCAL client_connection_check_interval = '1s'", heartbeat: nil)
  }

  /// Commits, sending the deferred ledger writes with the `COMMIT`: one round trip.
  public func commit() throws {
    try sendDeferred(then: "COMMIT")
  }

  public func rollback() {
    deferred.removeAll()
    guard isInTransaction else { return }
    try? execute("ROLLBACK")
  }

  /// PostgreSQL always enforces foreign keys.
  public func foreignKeysEnabled() throws -> Bool { true }

  /// PostgreSQL always enforces foreign keys: nothing to switch.
  public func setForeignKeysEnabled(_ enabled: Bool) throws {}

  /// None: PostgreSQL refuses a violating statement (or, for a deferred constraint, the
  /// commit), so no violation outlives a statement.
  public func foreignKeyViolations() throws -> [String] { [] }

  /// A connection inside one transaction that is rolled back when it is released
  /// (`PostgresRehearsal`): what a rehearsal runs on, in place of SQLite's copy.
  public func scratchCopy() throws -> any DatabaseConnection {
    try PostgresRehearsal(conninfo: conninfo, ledgerSchema: ledgerSchema)
  }

  /// A new database on the same server, created from `template0` and dropped when the
  /// returned connection is released (`PostgresScratchDatabase`).
  public func emptyScratchDatabase() throws -> any DatabaseConnection {
    try PostgresScratchDatabase.create(like: self)
  }

  /// Not reported yet on PostgreSQL.
  public func reportLockWaits(every interval: Double, _ report: ((Double) -> Void)?) {}
}
