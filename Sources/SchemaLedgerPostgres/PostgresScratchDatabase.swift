import SchemaLedger

/// A private database on the ledger's server for reconstructing a schema from the
/// ledger's SQL (`replay --schema`, `verify`'s drift check), as SQLite uses an in-memory
/// database: created `FROM template0` (empty, whatever was added to `template1`), named
/// `schemaledger_scratch_<unix seconds>_<random>`, used through one connection, and
/// dropped when that connection is released, also when the replay fails.
///
/// It is dropped `WITH (FORCE)`: behind PgBouncer, the pooler keeps an idle server
/// connection to it after ours is closed, which a plain `DROP DATABASE` would wait for.
///
/// A process killed with SIGKILL drops nothing: the server ends its session within a
/// second (the scratch connection sets `client_connection_check_interval`), and the next
/// scratch database made on that server first drops those left over: made more than
/// `leftoverAge` seconds ago by the server's clock, and with no session that ran a
/// statement in the last `leftoverAge` seconds (a replay in progress runs one statement
/// after another; a pooler's idle connection does not). Creating one needs the
/// `CREATEDB` privilege; without it, the error says so.
final class PostgresScratchDatabase: Sendable {
  /// The names' common prefix.
  static let prefix = "schemaledger_scratch_"
  /// How old (seconds, server time) a scratch database nobody uses must be to count as
  /// left over: older than the moment between its creation and its creator's connection.
  static let leftoverAge = 10

  let name: String
  /// The connection parameters of the database it was made from: where it is dropped from.
  private let conninfo: String

  private init(name: String, conninfo: String) {
    self.name = name
    self.conninfo = conninfo
  }

  /// Creates a scratch database on `connection`'s server and connects to it.
  static func create(like connection: PostgresConnection) throws -> PostgresConnection {
    // A connection of its own: CREATE DATABASE cannot run inside a transaction, and the
    // caller's connection may be reading in one.
    let admin = try PostgresConnection(conninfo: connection.conninfo)
    // The server's clock, the same for every machine that makes scratch databases there.
    var seconds = 0
    try admin.query("SELECT floor(extract(epoch FROM clock_timestamp()))::bigint", []) {
      seconds = Int($0.int64(0) ?? 0)
    }
    let name = prefix + "\(seconds)_" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
    dropLeftovers(on: admin, olderThan: seconds - leftoverAge)
    do {
      try admin.execute("CREATE DATABASE \(PostgresStatement.quoted(name)) TEMPLATE template0")
    } catch let error as PostgresError {
      throw PostgresError.scratchDatabaseFailed(
        server: connection.location, database: name, reason: error.description)
    }
    let scratchDatabase = PostgresScratchDatabase(name: name, conninfo: connection.conninfo)
    do {
      let scratch = try PostgresConnection(
        conninfo: connection.conninfo, ledgerSchema: connection.ledgerSchema, database: name)
      scratch.scratchDatabase = scratchDatabase
      // If this process dies, the server ends the session within a second, so that the
      // database can be dropped as left over.
      try scratch.execute("SET client_connection_check_interval = '1s'")
      return scratch
    } catch let error as PostgresError {
      scratchDatabase.drop()
      throw PostgresError.scratchDatabaseFailed(
        server: connection.location, database: name, reason: error.description)
    }
  }

  /// Drops the database (its connection is closed by now). A failure leaves it for the
  /// next scratch database's clean-up.
  func drop() {
    guard let admin = try? PostgresConnection(conninfo: conninfo) else { return }
    Self.drop(name, on: admin)
  }

  private static func drop(_ name: String, on admin: PostgresConnection) {
    try? admin.execute(
      "DROP DATABASE IF EXISTS \(PostgresStatement.quoted(name)) WITH (FORCE)")
  }

  /// Drops the scratch databases made before `seconds` where no session ran a statement
  /// in the last `leftoverAge` seconds: left by a process that was killed.
  private static func dropLeftovers(on admin: PostgresConnection, olderThan seconds: Int) {
    var names: [String] = []
    // A session of another role shows no state to a role without pg_read_all_stats: it
    // counts as busy, and its database stays.
    try? admin.query(
      """
      SELECT d.datname FROM pg_database d WHERE d.datname LIKE ? AND NOT EXISTS (
        SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname
          AND (a.state IS DISTINCT FROM 'idle'
            OR a.state_change > clock_timestamp() - make_interval(secs => ?)))
      ORDER BY d.datname
      """, [.text(prefix.replacing("_", with: "\\_") + "%"), .integer(Int64(leftoverAge))]
    ) { row in
      guard let name = row.text(0) else { return }
      let stamp = name.dropFirst(prefix.count).prefix { $0.isNumber }
      if let made = Int(stamp), made < seconds { names.append(name) }
    }
    for name in names { drop(name, on: admin) }
  }
}
