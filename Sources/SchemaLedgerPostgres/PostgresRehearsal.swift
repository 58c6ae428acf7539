import SchemaLedger

/// The "scratch copy" a rehearsal runs on, on PostgreSQL: not a copy (a database server
/// has no cheap one) but a connection of its own inside one transaction that is rolled
/// back when the rehearsal releases it. Everything the plan does (its DDL, its data, the
/// ledger's events) is undone; nothing of it is ever visible to other sessions. Each step's
/// transaction becomes a savepoint.
///
/// A step outside a transaction cannot be rehearsed this way (its own `COMMIT` would end
/// the rehearsal's transaction, and `CREATE INDEX CONCURRENTLY` refuses to run in one): it
/// is refused before it runs, and the rehearsal says so. While it runs, the rehearsal
/// holds the locks the plan takes, as the real run will.
final class PostgresRehearsal {
  private let inner: PostgresConnection
  /// SchemaLedger's step transactions open now (savepoints).
  private var depth = 0

  init(conninfo: String, ledgerSchema: String) throws {
    inner = try PostgresConnection(conninfo: conninfo, ledgerSchema: ledgerSchema)
    try inner.execute("BEGIN")
  }

  deinit {
    try? inner.execute("ROLLBACK")
  }
}

extension PostgresRehearsal: DatabaseConnection {
  var location: String { inner.location }
  var ledgerDDL: LedgerDDL { inner.ledgerDDL }
  var engine: DatabaseEngine { .postgres }
  var isReadOnly: Bool { false }
  var readOnlyError: any DatabaseError { inner.readOnlyError }
  var stepSettings: String? { inner.stepSettings }
  var isInTransaction: Bool { depth > 0 }

  func interrupt() { inner.interrupt() }

  func execute(_ sql: String, _ arguments: [SQLValue]) throws {
    try inner.execute(sql, arguments)
  }

  func query(_ sql: String, _ arguments: [SQLValue], _ row: (any SQLRow) throws -> Void) throws {
    try inner.query(sql, arguments, row)
  }

  func executeScript(
    _ sql: String, heartbeat: ScriptHeartbeat?, guardedBy scriptGuard: ScriptGuard?
  ) throws {
    guard depth > 0 else {
      throw PostgresError.unsupported(
        server: location,
        what: "Rehearsing a migration that runs outside a transaction (its statements would "
          + "commit, or refuse to run, inside the rehearsal's transaction)")
    }
    try inner.executeScript(sql, heartbeat: heartbeat, guardedBy: scriptGuard)
  }

  func beginImmediate() throws {
    try inner.execute("SAVEPOINT schemaledger_step")
    depth += 1
  }

  func commit() throws {
    guard depth > 0 else { return }
    try inner.execute("RELEASE SAVEPOINT schemaledger_step")
    depth -= 1
  }

  func rollback() {
    guard depth > 0 else { return }
    try? inner.execute("ROLLBACK TO SAVEPOINT schemaledger_step")
    try? inner.execute("RELEASE SAVEPOINT schemaledger_step")
    depth -= 1
  }

  func foreignKeysEnabled() throws -> Bool { try inner.foreignKeysEnabled() }
  func setForeignKeysEnabled(_ enabled: Bool) throws {
    try inner.setForeignKeysEnabled(enabled)
  }
  func foreignKeyViolations() throws -> [String] { try inner.foreignKeyViolations() }

  func scratchCopy() throws -> any DatabaseConnection {
    throw PostgresError.unsupported(server: location, what: "A rehearsal within a rehearsal")
  }

  func emptyScratchDatabase() throws -> any DatabaseConnection {
    try inner.emptyScratchDatabase()
  }

  func reportLockWaits(every interval: Double, _ report: ((Double) -> Void)?) {}

  func acquireRunLock(
    timeout: Double, owner: String, onWait: (String) -> Void
  ) throws -> any RunLock {
    throw PostgresError.unsupported(server: location, what: "The run lock in a rehearsal")
  }

  func catalogObjects(_ filter: CatalogFilter) throws -> [CatalogObject] {
    try inner.catalogObjects(filter)
  }

  func columnNames(of table: String) throws -> [String] {
    try inner.columnNames(of: table)
  }
}
