import CPostgreSQL
import Glibc
import SchemaLedger

/// A connection to a PostgreSQL server through libpq, behind the same `DatabaseConnection`
/// protocol as SQLite: the ledger, the planner and the runner do not know which engine
/// they talk to (`docs/architecture.md`, the engine seam).
///
/// The ledger lives in a schema of its own (`ledgerSchema`, default `schemaledger`); the
/// ledger's statements name its tables unqualified, and this connection qualifies them
/// (`PostgresStatement`). Values are sent and read as text; the server infers their
/// types from where they are used. Like SQLite's, a connection is used by one thread at
/// a time.
public final class PostgresConnection {
  let handle: OpaquePointer
  /// Where the server is, for messages: `host:port/database` or the socket folder,
  /// never the password.
  public let location: String
  /// The schema that holds the ledger.
  public let ledgerSchema: String
  /// How long the run lock's lease lasts without a heartbeat (seconds): how long a
  /// runner that died keeps others waiting.
  public let runLockLease: Double
  /// How long a step's statement waits for a lock another session holds (a table an
  /// application transaction has open) before failing, in seconds: PostgreSQL's
  /// `lock_timeout`, set for each step's transaction. DDL waiting on a lock stalls every
  /// query of the application queued behind it, so the default is short.
  public let lockTimeout: Double
  /// The parameters it connected with, for the run lock's own connection.
  let conninfo: String
  /// A scratch database this connection is the only user of, dropped when it is released
  /// (`PostgresScratchDatabase`).
  var scratchDatabase: PostgresScratchDatabase?
  /// The ledger's writes of the transaction in progress that go with its commit
  /// (`PostgresConnection+Deferred.swift`).
  var deferred: [String] = []
  /// The statements run on this connection, rewritten once each (`PostgresStatement`).
  private var templates: [String: PostgresStatement.Template] = [:]

  /// Connects with `conninfo`: a `postgres://` URL or `key=value` pairs, completed by
  /// libpq's `PG*` environment variables and service files; to `database` instead of the
  /// one they name, when given.
  public init(
    conninfo: String, ledgerSchema: String = "schemaledger", runLockLease: Double = 10,
    lockTimeout: Double = 5, database: String? = nil
  ) throws {
    // libpq expands the first `dbname` (a URL or parameters); a later one overrides.
    let keywords = database == nil ? ["dbname"] : ["dbname", "dbname"]
    let values = [conninfo] + (database.map { [$0] } ?? [])
    let connected = withCStrings(keywords.map(Optional.some) + [nil]) { keywords in
      withCStrings(values.map(Optional.some) + [nil]) { values in
        PQconnectdbParams(keywords, values, 1)
      }
    }
    guard let handle = connected else {
      throw PostgresError.cannotConnect(server: "(unknown)", message: "out of memory")
    }
    let server = Self.describeServer(handle)
    guard PQstatus(handle) == CONNECTION_OK else {
      let message = Self.lastMessage(handle)
      PQfinish(handle)
      throw PostgresError.cannotConnect(server: server, message: message)
    }
    PostgresTraffic.countConnection()
    self.handle = handle
    self.location = server
    self.ledgerSchema = ledgerSchema
    self.runLockLease = runLockLease
    self.lockTimeout = lockTimeout
    self.conninfo = conninfo
    // Notices (such as "relation already exists, skipping") are the server's chatter,
    // not the operator's business: libpq would print them on stderr.
    _ = PQsetNoticeProcessor(handle, { _, _ in }, nil)
  }

  deinit {
    PQfinish(handle)
    scratchDatabase?.drop()
  }

  /// `user@host:port/database`, or the socket folder for a local socket.
  private static func describeServer(_ handle: OpaquePointer) -> String {
    func value(_ text: UnsafeMutablePointer<CChar>?) -> String {
      text.map { String(cString: $0) } ?? ""
    }
    let user = value(PQuser(handle))
    let host = value(PQhost(handle))
    let port = value(PQport(handle))
    let database = value(PQdb(handle))
    return "\(user.isEmpty ? "" : user + "@")\(host):\(port)/\(database)"
  }

  /// `sql` rewritten for this connection's ledger schema, kept for its next run (at most
  /// a few hundred texts: the ledger's statements, and the catalog's).
  func template(of sql: String) -> PostgresStatement.Template {
    if let known = templates[sql] { return known }
    let template = PostgresStatement.template(sql, ledgerSchema: ledgerSchema)
    if templates.count >= 512 { templates.removeAll(keepingCapacity: true) }
    templates[sql] = template
    return template
  }

  /// libpq's last error message, without its trailing line break.
  static func lastMessage(_ handle: OpaquePointer) -> String {
    oneLine(PQerrorMessage(handle).map { String(cString: $0) } ?? "")
  }

  /// libpq's message on one line, for a sentence of ours to follow: its lines joined by
  /// `; ` (an indented line after another indented one continues it: libpq indents a
  /// hint of several lines), runs of spaces collapsed, without a final period.
  static func oneLine(_ message: String) -> String {
    var text = ""
    var lastIndented = false
    for line in message.split(separator: "\n", omittingEmptySubsequences: true) {
      let indented = line.first?.isWhitespace == true
      let words = line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
      guard !words.isEmpty else { continue }
      text += text.isEmpty ? words : (indented && lastIndented ? " " : "; ") + words
      lastIndented = indented
    }
    return text.hasSuffix(".") ? String(text.dropLast()) : text
  }

  // MARK: - Statements

  /// Runs `sql` (with `?` placeholders) with `arguments`, calling `row` for each row.
  func run(
    _ sql: String, _ arguments: [SQLValue], _ row: (any SQLRow) throws -> Void
  ) throws {
    try sendDeferred()
    let statement = template(of: sql).text()
    let texts = arguments.map(\.postgresText)
    PostgresTraffic.countQuery()
    let result = try withCStrings(texts) { values in
      try check(
        PQexecParams(handle, statement, Int32(values.count), nil, values, nil, nil, 0),
        sql: statement)
    }
    defer { PQclear(result) }
    let rows = PQntuples(result)
    for index in 0..<rows {
      try row(PostgresRow(result: result, row: index))
    }
  }

  /// `result`, or the error it carries (`PQclear`ed then).
  func check(_ result: OpaquePointer?, sql: String) throws -> OpaquePointer {
    guard let result else {
      throw PostgresError.connectionLost(server: location, message: Self.lastMessage(handle))
    }
    guard !Self.succeeded(result) else { return result }
    let error = statementError(result, sql: sql)
    PQclear(result)
    throw error
  }

  /// `true` when `result` reports a statement that ran (with or without rows).
  static func succeeded(_ result: OpaquePointer) -> Bool {
    [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY].contains(PQresultStatus(result))
  }

  /// The error a failed `result` describes; for a lock timeout, with the sessions likely
  /// to hold the lock.
  func statementError(_ result: OpaquePointer, sql: String) -> PostgresError {
    func field(_ code: UInt8) -> String? {
      PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
    }
    guard let state = field(UInt8(ascii: "C")) else {
      return .connectionLost(server: location, message: Self.lastMessage(handle))
    }
    // The position is 1-based and counts characters, not bytes.
    let offset = field(UInt8(ascii: "P")).flatMap(Int.init).map { position in
      sql.utf8.distance(
        from: sql.startIndex,
        to: sql.index(sql.startIndex, offsetBy: max(0, position - 1), limitedBy: sql.endIndex)
          ?? sql.endIndex)
    }
    let error = PostgresError.statementFailed(
      server: location, sqlState: state, message: field(UInt8(ascii: "M")) ?? "",
      detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")), sql: sql,
      offset: offset)
    return state == "55P03" ? error.withLockHolders(lockHolders()) : error
  }
}

extension PostgresConnection {
  /// The other sessions of this database with a transaction open, oldest first: who is
  /// likely to hold the lock a step timed out waiting for. Read on a connection of its
  /// own (this one's transaction has failed).
  func lockHolders() -> [String] {
    guard let other = try? PostgresConnection(conninfo: conninfo, ledgerSchema: ledgerSchema)
    else { return [] }
    var holders: [String] = []
    try? other.query(
      """
      SELECT pid, usename, application_name, state,
        extract(epoch FROM clock_timestamp() - xact_start)::bigint, left(query, 120)
      FROM pg_stat_activity
      WHERE datname = current_database() AND xact_start IS NOT NULL
        AND pid <> pg_backend_pid() AND backend_type = 'client backend'
      ORDER BY xact_start LIMIT 3
      """, []
    ) { row in
      let application = row.text(2).flatMap { $0.isEmpty ? nil : " \($0)" } ?? ""
      holders.append(
        "pid \(row.text(0) ?? "?") (\(row.text(1) ?? "?")\(application), \(row.text(3) ?? "?") "
          + "for \(row.text(4) ?? "?") s: \(row.text(5) ?? ""))")
    }
    return holders
  }
}

/// Calls `body` with `strings` as C strings (`nil` stays a null pointer).
private func withCStrings<T>(
  _ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> T
) rethrows -> T {
  let pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } }
  defer { for pointer in pointers { free(pointer) } }
  return try body(pointers.map { $0.map { UnsafePointer($0) } })
}

extension SQLValue {
  /// The value as text, as it is sent to the server (a parameter, or a literal's
  /// contents); `nil` for `NULL`.
  var postgresText: String? {
    switch self {
    case .null: nil
    case .integer(let value): String(value)
    case .real(let value): String(value)
    case .text(let value): value
    }
  }
}
