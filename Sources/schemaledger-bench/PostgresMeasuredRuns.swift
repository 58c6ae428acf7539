import SchemaLedger
import SchemaLedgerPostgres

/// The measured side of P1 to P3, run in a child process, through the public API only:
/// `SchemaMigrator(database: .postgres(url:), migrations: .directory(_:))` with the default
/// configuration, as an application calls it. Each reports what the library sent to the
/// server during the timed call (`PostgresTraffic`): `round_trips` (queries) and
/// `connections`. Checks of the result run after the clock stops.
enum PostgresMeasuredRuns {
  /// P1 (and the fixtures of P2 and P3): `migrate()` into the repetition's database.
  static func apply(_ input: ChildArguments) throws -> ChildResult {
    let ledger = try migrator(input)
    let ((report, traffic), seconds) = try Stopwatch.time {
      try counting { try ledger.migrate() }
    }
    try expect(report, input, "migrate() applied")
    return result(seconds, traffic)
  }

  /// P2: `rollback(.all, rehearse: false)`.
  static func rollback(_ input: ChildArguments) throws -> ChildResult {
    let ledger = try migrator(input)
    let ((report, traffic), seconds) = try Stopwatch.time {
      try counting { try ledger.rollback(.all, rehearse: false) }
    }
    try expect(report, input, "rollback() undid")
    return result(seconds, traffic)
  }

  /// P3: the startup check an app makes at boot: `migrate()` with nothing pending, the
  /// first call of the process. A second call is reported as `warm_s`.
  static func noOpCheck(_ input: ChildArguments) throws -> ChildResult {
    let ledger = try migrator(input)
    let ((report, traffic), seconds) = try Stopwatch.time {
      try counting { try ledger.migrate() }
    }
    let (_, warm) = try Stopwatch.time { try ledger.migrate() }
    guard report.steps.isEmpty, report.runID == nil else {
      throw BenchError.unexpected("the no-op check found work to do")
    }
    var result = result(seconds, traffic)
    result.values["warm_s"] = warm
    return result
  }

  private static func migrator(_ input: ChildArguments) throws -> SchemaMigrator {
    SchemaMigrator(
      database: .postgres(url: try input.database),
      migrations: .directory(try input.migrations))
  }

  /// `body`'s result and the connections and queries it made.
  private static func counting<T>(_ body: () throws -> T) rethrows
    -> (T, (connections: Int, queries: Int))
  {
    let before = PostgresTraffic.snapshot
    let value = try body()
    let after = PostgresTraffic.snapshot
    return (value, (after.connections - before.connections, after.queries - before.queries))
  }

  private static func expect(_ report: RunReport, _ input: ChildArguments, _ what: String)
    throws
  {
    let expected = try input.integer("expect")
    guard report.steps.count == expected else {
      throw BenchError.unexpected("\(what) \(report.steps.count) of \(expected)")
    }
  }

  private static func result(
    _ seconds: Double, _ traffic: (connections: Int, queries: Int)
  ) -> ChildResult {
    ChildResult(
      seconds: seconds,
      values: [
        "round_trips": Double(traffic.queries), "connections": Double(traffic.connections),
      ])
  }
}
