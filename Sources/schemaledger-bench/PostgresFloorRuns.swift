/// The floor of P1 to P3, run in a child process: the same SQL through bare libpq
/// (`PostgresFloorConnection`: `PQconnectdb`, one `PQexec` per call), one transaction per
/// migration (`BEGIN`, the migration's SQL, `COMMIT`), no ledger, no files. The SQL is
/// generated in memory before the clock starts. Each reports the queries it sent
/// (`round_trips`) and the connections it opened.
enum PostgresFloorRuns {
  /// P1 (and P2's floor template): connect, run each migration of W(`count`) in its own
  /// transaction, disconnect.
  static func apply(_ input: ChildArguments) throws -> ChildResult {
    let migrations = Workload.postgresMigrations(count: try input.integer("count"))
    let conninfo = try input.database
    let (roundTrips, seconds) = try Stopwatch.time {
      let connection = try PostgresFloorConnection(conninfo: conninfo)
      defer { connection.close() }
      for migration in migrations { try connection.executeInTransaction(migration.up) }
      return connection.roundTrips
    }
    return result(seconds, roundTrips: roundTrips)
  }

  /// P2: the down SQL of W(`count`), newest first, one transaction each.
  static func rollback(_ input: ChildArguments) throws -> ChildResult {
    let downs = Workload.postgresMigrations(count: try input.integer("count")).reversed()
      .compactMap(\.down)
    let conninfo = try input.database
    let (roundTrips, seconds) = try Stopwatch.time {
      let connection = try PostgresFloorConnection(conninfo: conninfo)
      defer { connection.close() }
      for down in downs { try connection.executeInTransaction(down) }
      return connection.roundTrips
    }
    return result(seconds, roundTrips: roundTrips)
  }

  /// P3: connect, read one row of the newest table, disconnect.
  static func readOneRow(_ input: ChildArguments) throws -> ChildResult {
    let conninfo = try input.database
    let sql = "SELECT id, name FROM \(try input.text("table")) ORDER BY id LIMIT 1"
    let ((rows, roundTrips), seconds) = try Stopwatch.time {
      let connection = try PostgresFloorConnection(conninfo: conninfo)
      defer { connection.close() }
      return (try connection.scan(sql).rows, connection.roundTrips)
    }
    guard rows == 1 else { throw BenchError.unexpected("P3 floor read \(rows) rows") }
    return result(seconds, roundTrips: roundTrips)
  }

  private static func result(_ seconds: Double, roundTrips: Int) -> ChildResult {
    ChildResult(seconds: seconds, values: ["round_trips": Double(roundTrips), "connections": 1])
  }
}
