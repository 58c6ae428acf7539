/// The sides of the PostgreSQL scenarios (P1 to P3), on the server of `--postgres`: as
/// S2, S4 and S3 on SQLite, with a new database on the server where those use a new file
/// (`Side.DatabaseUse.server`).
extension BenchmarkRun {
  /// Prepares `scenario`'s fixture (migration files, template databases) and describes its
  /// sides.
  func postgresSides(for scenario: Scenario, in folder: String) throws -> ScenarioSides {
    guard let server = postgres else { throw BenchError.usage(BenchOptions.postgresHint) }
    switch scenario.id {
    case "P1": return try postgresApplySides(server, folder)
    case "P2": return try postgresRollbackSides(server, folder)
    case "P3": return try postgresNoOpSides(server)
    default: throw BenchError.usage("no sides for \(scenario.id)")
    }
  }

  /// P1: the files are written once; each repetition applies them to a new, empty
  /// database (the floor too).
  private func postgresApplySides(_ server: PostgresBenchServer, _ folder: String) throws
    -> ScenarioSides
  {
    let count = sizes.p1Migrations
    let directory = folder + "/migrations"
    try Workload.write(Workload.postgresMigrations(count: count), to: directory)
    return ScenarioSides(
      floor: Side(
        label: "floor",
        process: child(.postgresFloorApply, ["db": "{db}", "count": "\(count)"]),
        timing: .reportedByChild, database: .server(server)),
      measured: Side(
        label: "measured",
        process: child(
          .postgresMeasuredApply,
          ["db": "{db}", "migrations": directory, "expect": "\(count)"]),
        timing: .reportedByChild, database: .server(server)))
  }

  /// P2: each repetition rolls back a new copy (`CREATE DATABASE ... TEMPLATE`) of a
  /// database with W(N) applied, by `migrate()` for the measured side and by the floor for
  /// the floor.
  private func postgresRollbackSides(_ server: PostgresBenchServer, _ folder: String) throws
    -> ScenarioSides
  {
    let count = sizes.p2Migrations
    let (template, migrations) = try postgresAppliedDatabase(count: count)
    let floorTemplate = server.name("floor_applied_\(count)")
    try server.createDatabase(floorTemplate)
    try setUp(
      .postgresFloorApply, ["db": server.conninfo(database: floorTemplate), "count": "\(count)"],
      in: folder)
    return ScenarioSides(
      floor: Side(
        label: "floor",
        process: child(.postgresFloorRollback, ["db": "{db}", "count": "\(count)"]),
        timing: .reportedByChild, database: .server(server, template: floorTemplate)),
      measured: Side(
        label: "measured",
        process: child(
          .postgresMeasuredRollback,
          ["db": "{db}", "migrations": migrations, "expect": "\(count)"]),
        timing: .reportedByChild, database: .server(server, template: template)))
  }

  /// P3: the no-op check on one database with W(N) applied by `migrate()`, against a
  /// process that connects and reads one row of it.
  private func postgresNoOpSides(_ server: PostgresBenchServer) throws -> ScenarioSides {
    let count = sizes.p3Migrations
    let (database, migrations) = try postgresAppliedDatabase(count: count)
    let conninfo = server.conninfo(database: database)
    return ScenarioSides(
      floor: Side(
        label: "floor",
        process: child(.postgresFloorReadOneRow, ["db": conninfo, "table": "t_\(count)"]),
        timing: .reportedByChild, database: .shared(conninfo)),
      measured: Side(
        label: "measured",
        process: child(
          .postgresMeasuredNoOpCheck, ["db": conninfo, "migrations": migrations]),
        timing: .reportedByChild, database: .shared(conninfo)),
      warmUps: 1)
  }

  /// A database on the server with W(`count`) applied by `migrate()` (P2's template and
  /// P3's database; made once per size), and its migrations folder.
  private func postgresAppliedDatabase(count: Int) throws
    -> (database: String, migrations: String)
  {
    let folder = "\(directory)/pg-applied-\(count)"
    let migrations = folder + "/migrations"
    if let database = postgresApplied[count] { return (database, migrations) }
    guard let server = postgres else { throw BenchError.usage(BenchOptions.postgresHint) }
    try Workload.write(Workload.postgresMigrations(count: count), to: migrations)
    let database = server.name("applied_\(count)")
    try server.createDatabase(database)
    try setUp(
      .postgresMeasuredApply,
      [
        "db": server.conninfo(database: database), "migrations": migrations,
        "expect": "\(count)",
      ], in: folder)
    postgresApplied[count] = database
    return (database, migrations)
  }
}
