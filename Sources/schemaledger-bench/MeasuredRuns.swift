import SchemaLedger

/// The measured side of every scenario, run in a child process, through the public API
/// only, exactly as an application or the CLI calls it. Each check of the result (step
/// counts, event counts) runs after the clock stops.
enum MeasuredRuns {
  /// S1, S2, S5: `SchemaMigrator(databasePath:migrationsDirectory:).migrate()` into a new
  /// database file.
  static func apply(_ input: ChildArguments) throws -> ChildResult {
    let path = try input.database
    let migrations = try input.migrations
    let (report, seconds) = try Stopwatch.time {
      try SchemaMigrator(databasePath: path, migrationsDirectory: migrations).migrate()
    }
    let expected = try input.integer("expect")
    guard report.steps.count == expected else {
      throw BenchError.unexpected("migrate() applied \(report.steps.count) of \(expected)")
    }
    return ChildResult(
      seconds: seconds, values: ["db_bytes": FloorRuns.fileSize(path)],
      notes: ["journal_mode": try FloorRuns.journalMode(path)])
  }

  /// S4: `rollback(.all, rehearse: false)`.
  static func rollback(_ input: ChildArguments) throws -> ChildResult {
    let path = try input.database
    let migrations = try input.migrations
    let (report, seconds) = try Stopwatch.time {
      try SchemaMigrator(databasePath: path, migrationsDirectory: migrations)
        .rollback(.all, rehearse: false)
    }
    let expected = try input.integer("expect")
    guard report.steps.count == expected else {
      throw BenchError.unexpected("rollback() undid \(report.steps.count) of \(expected)")
    }
    return ChildResult(
      seconds: seconds, notes: ["journal_mode": try FloorRuns.journalMode(path)])
  }

  /// S3: the startup check an app makes at boot: `migrate()` with nothing pending, the
  /// first call of the process (what a boot pays). A second call is reported as `warm_s`.
  static func startupCheck(_ input: ChildArguments) throws -> ChildResult {
    let path = try input.database
    let migrations = try input.migrations
    func check() throws -> RunReport {
      try SchemaMigrator(databasePath: path, migrationsDirectory: migrations).migrate()
    }
    let (report, seconds) = try Stopwatch.time { try check() }
    let (_, warm) = try Stopwatch.time { try check() }
    guard report.steps.isEmpty, report.runID == nil else {
      throw BenchError.unexpected("the startup check found work to do")
    }
    return ChildResult(seconds: seconds, values: ["warm_s": warm])
  }

  /// S6: `ledgerState()`: the full projection replay.
  static func replay(_ input: ChildArguments) throws -> ChildResult {
    let ledger = SchemaMigrator(
      databasePath: try input.database, migrationsDirectory: try input.migrations)
    let (state, seconds) = try Stopwatch.time { try ledger.ledgerState() }
    let expected = try input.integer("events")
    guard state.eventCount == expected else {
      throw BenchError.unexpected("ledgerState() folded \(state.eventCount) of \(expected)")
    }
    return ChildResult(seconds: seconds)
  }

  /// S6.history: `history(HistoryFilter(migration:))` for one migration.
  static func history(_ input: ChildArguments) throws -> ChildResult {
    let ledger = SchemaMigrator(
      databasePath: try input.database, migrationsDirectory: try input.migrations)
    let filter = HistoryFilter(migration: try input.text("migration"))
    let (events, seconds) = try Stopwatch.time { try ledger.history(filter) }
    let expected = try input.integer("expect")
    guard events.count == expected else {
      throw BenchError.unexpected("history() returned \(events.count) of \(expected) events")
    }
    return ChildResult(seconds: seconds)
  }
}
