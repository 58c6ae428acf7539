import CPostgreSQL

/// The PostgreSQL floor: a bare libpq connection with no ledger, no file reading and no
/// bookkeeping, as `FloorDatabase` is for SQLite. Each call is one `PQexec` (one round
/// trip, counted in `roundTrips`); results are checked and cleared, nothing else.
///
/// It sets nothing on the session: the server's settings are in force, as on the
/// measured side.
final class PostgresFloorConnection {
  private var handle: OpaquePointer?
  /// Queries sent (each `PQexec` is one round trip).
  private(set) var roundTrips = 0

  /// Connects with `conninfo` (`PQconnectdb`: a URL or `key=value` pairs).
  init(conninfo: String) throws {
    let connection = PQconnectdb(conninfo)
    guard let connection, PQstatus(connection) == CONNECTION_OK else {
      let message = connection.map(Self.lastMessage) ?? "out of memory"
      PQfinish(connection)
      throw BenchError.postgres("cannot connect: \(message)")
    }
    // Notices ("table does not exist, skipping") are not the benchmark's business.
    _ = PQsetNoticeProcessor(connection, { _, _ in }, nil)
    handle = connection
  }

  deinit {
    close()
  }

  /// Runs `sql` (one or several statements) in one round trip; throws the server's error.
  func execute(_ sql: String) throws {
    PQclear(try run(sql))
  }

  /// Runs `sql` in its own transaction: `BEGIN`, the SQL, `COMMIT`, each one `PQexec`,
  /// as a migration tool sends them; `ROLLBACK` on error.
  func executeInTransaction(_ sql: String) throws {
    try execute("BEGIN")
    do {
      try execute(sql)
      try execute("COMMIT")
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Runs `sql` and reads every value of every row (`PQgetvalue` + `PQgetlength`), so
  /// that nothing is skipped; returns the number of rows and a checksum of what was read.
  @discardableResult
  func scan(_ sql: String) throws -> (rows: Int, checksum: Int) {
    let result = try run(sql)
    defer { PQclear(result) }
    let rows = PQntuples(result)
    let columns = PQnfields(result)
    var checksum = 0
    for row in 0..<rows {
      for column in 0..<columns {
        checksum &+= Int(PQgetlength(result, row, column))
        if let value = PQgetvalue(result, row, column) { checksum &+= Int(value.pointee) }
      }
    }
    return (Int(rows), checksum)
  }

  /// The first column of the first row of `sql` as text (`nil` when no row or NULL).
  func text(_ sql: String) throws -> String? {
    let result = try run(sql)
    defer { PQclear(result) }
    guard PQntuples(result) > 0, PQgetisnull(result, 0, 0) == 0,
      let value = PQgetvalue(result, 0, 0)
    else { return nil }
    return String(cString: value)
  }

  /// The server's version (`PQserverVersion`: 150004 for 15.4).
  var serverVersion: Int {
    handle.map { Int(PQserverVersion($0)) } ?? 0
  }

  /// Closes the connection (`PQfinish`); idempotent.
  func close() {
    if let handle { PQfinish(handle) }
    handle = nil
  }

  private func run(_ sql: String) throws -> OpaquePointer {
    guard let handle else { throw BenchError.postgres("connection closed") }
    roundTrips += 1
    guard let result = PQexec(handle, sql) else {
      throw BenchError.postgres(Self.lastMessage(handle))
    }
    let status = PQresultStatus(result)
    guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
      let message = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
      PQclear(result)
      throw BenchError.postgres(message.isEmpty ? Self.lastMessage(handle) : message)
    }
    return result
  }

  private static func lastMessage(_ handle: OpaquePointer) -> String {
    var message = PQerrorMessage(handle).map { String(cString: $0) } ?? ""
    while message.last == "\n" { message.removeLast() }
    return message
  }
}
