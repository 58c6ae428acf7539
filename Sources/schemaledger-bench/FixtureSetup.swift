import SchemaLedger

/// The setup tasks, each in a child process so the parent stays small (see
/// `ChildProcess` on why the parent's RSS matters). Their time is reported but not
/// judged.
enum FixtureSetup {
  /// Runs one setup task.
  static func run(_ task: ChildTask, _ input: ChildArguments) throws -> ChildResult {
    if task == .writeWorkload {
      let (_, seconds) = try Stopwatch.time {
        try Workload.write(
          Workload.smallMigrations(count: try input.integer("count")), to: try input.migrations)
      }
      return ChildResult(seconds: seconds)
    }
    let path = try input.database
    switch task {
    case .setupApplied:
      let (report, seconds) = try Stopwatch.time {
        try SchemaMigrator(databasePath: path, migrationsDirectory: try input.migrations)
          .migrate()
      }
      guard report.steps.count == (try input.integer("count")) else {
        throw BenchError.unexpected("setup applied \(report.steps.count) migrations")
      }
      return ChildResult(seconds: seconds)
    case .setupFloorApplied:
      return try FloorRuns.apply(
        ChildArguments(values: input.values.merging(["workload": "small"]) { $1 }))
    case .setupLedger:
      let shape = LedgerShape(events: try input.integer("events"))
      let (count, seconds) = try Stopwatch.time {
        try LedgerGenerator(
          shape: shape, databasePath: path, migrationsDirectory: try input.migrations
        ).generate()
      }
      return ChildResult(seconds: seconds, values: ["events": Double(count)])
    default:
      throw BenchError.usage("\(task.rawValue) is not a setup task")
    }
  }

  /// The ledger's size for a large migration: one migration of about `megabytes` MB of SQL
  /// (a table and 1 KB `INSERT`s, so its data is as large as its text), applied by
  /// `migrate()` into `dir/measured.sqlite` and by the floor into `dir/floor.sqlite`.
  /// Reports both file sizes (`db_bytes`, `floor_db_bytes`) and the SQL's (`sql_bytes`).
  static func sizeProbe(_ input: ChildArguments) throws -> ChildResult {
    let folder = try input.text("dir")
    let megabytes = try input.integer("megabytes")
    let row = "'" + String(repeating: "0123456789abcdef", count: 62) + "'"
    var up = "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT NOT NULL);\n"
    var index = 0
    while up.utf8.count < megabytes * 1_000_000 {
      up += "INSERT INTO big (v) VALUES (\(row) || '\(index)');\n"
      index += 1
    }
    let migration = WorkloadMigration(
      id: "0001_big_data", version: 1, up: up, down: "DROP TABLE big;")
    let migrations = folder + "/migrations"
    try Workload.write([migration], to: migrations)
    let measured = folder + "/measured.sqlite"
    let floor = folder + "/floor.sqlite"
    Side.remove(measured)
    Side.remove(floor)
    let (_, seconds) = try Stopwatch.time {
      _ = try SchemaMigrator(databasePath: measured, migrationsDirectory: migrations).migrate()
    }
    let database = try FloorDatabase(path: floor)
    try database.executeInTransaction(migration.up)
    database.close()
    return ChildResult(
      seconds: seconds,
      values: [
        "sql_bytes": Double(up.utf8.count), "db_bytes": FloorRuns.fileSize(measured),
        "floor_db_bytes": FloorRuns.fileSize(floor),
      ])
  }
}
