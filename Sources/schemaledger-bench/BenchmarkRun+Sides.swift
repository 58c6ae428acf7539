import FoundationEssentials

/// The floor, the measured side and any references of one scenario, with warm-up rounds
/// for the short read-only ones (their first run would otherwise pay for cold caches).
struct ScenarioSides {
  var floor: Side
  var measured: Side
  var references: [Side] = []
  var warmUps = 0
}

extension BenchmarkRun {
  /// Prepares `scenario`'s fixture in `folder` and describes its sides.
  func sides(for scenario: Scenario, in folder: String) throws -> ScenarioSides {
    switch scenario.id {
    case "S1": return try applySides(Workload.smallMigrations(count: sizes.s1Migrations), folder)
    case "S2": return try applySides(Workload.smallMigrations(count: sizes.s2Migrations), folder)
    case "S3": return try startupSides(folder)
    case "S3.process": return try startupProcessSides(folder)
    case "S4": return try rollbackSides(folder)
    case "S5": return try applySides(Workload.dataMigrations(rows: sizes.s5Rows), folder)
    case "S6", "S6.history": return try ledgerSides(history: scenario.id == "S6.history")
    case "P1", "P2", "P3": return try postgresSides(for: scenario, in: folder)
    default: throw BenchError.usage("no sides for \(scenario.id)")
    }
  }

  /// S1, S2, S5: the files are written once; each repetition applies them to a new file.
  private func applySides(_ migrations: [WorkloadMigration], _ folder: String) throws
    -> ScenarioSides
  {
    let directory = folder + "/migrations"
    try Workload.write(migrations, to: directory)
    let isData = migrations.first?.id == "0001_create_big"
    let workload =
      isData
      ? ["workload": "data", "rows": "\(sizes.s5Rows)"]
      : ["workload": "small", "count": "\(migrations.count)"]
    // S1 and S2 also run the one-row migrator (GRDB's), in the same repetitions.
    let migrator = Side(
      label: "migrator", process: child(.migratorApply, workload.merging(["db": "{db}"]) { $1 }),
      timing: .reportedByChild, database: .fresh)
    return ScenarioSides(
      floor: Side(
        label: "floor", process: child(.floorApply, workload.merging(["db": "{db}"]) { $1 }),
        timing: .reportedByChild, database: .fresh),
      measured: Side(
        label: "measured",
        process: child(
          .measuredApply,
          ["db": "{db}", "migrations": directory, "expect": "\(migrations.count)"]),
        timing: .reportedByChild, database: .fresh),
      references: isData ? [] : [migrator])
  }

  /// S3: the library call at startup on a database with W(N) applied.
  private func startupSides(_ folder: String) throws -> ScenarioSides {
    let (database, migrations) = try appliedDatabase(count: sizes.s3Migrations)
    return ScenarioSides(
      floor: Side(
        label: "floor",
        process: child(.floorReadOneRow, ["db": database, "table": "t_\(sizes.s3Migrations)"]),
        timing: .reportedByChild, database: .shared(database)),
      measured: Side(
        label: "measured",
        process: child(.measuredStartupCheck, ["db": database, "migrations": migrations]),
        timing: .reportedByChild, database: .shared(database)),
      warmUps: 1)
  }

  /// S3.process: `schemaledger status` as a whole process against a process that opens the
  /// database and reads one row: the `sqlite3` shell when installed (the floor), and this
  /// program re-executed (a Swift process with the same runtime and Foundation: a
  /// reference that shows what the language runtime's start costs).
  private func startupProcessSides(_ folder: String) throws -> ScenarioSides {
    let (database, migrations) = try appliedDatabase(count: sizes.s3Migrations)
    let query = "SELECT id, name FROM t_\(sizes.s3Migrations) ORDER BY id LIMIT 1"
    let swiftProcess = Side(
      label: "swift_process",
      process: child(.floorReadOneRow, ["db": database, "table": "t_\(sizes.s3Migrations)"]),
      timing: .wholeProcess, database: .shared(database))
    let status = Side(
      label: "measured",
      process: ChildProcess(
        executable: tool,
        arguments: ["status", "--database", database, "--migrations", migrations],
        environment: ["NO_COLOR": "1"]),
      timing: .wholeProcess, database: .shared(database))
    guard let sqliteShell else {
      var floor = swiftProcess
      floor.label = "floor"
      return ScenarioSides(floor: floor, measured: status, warmUps: 1)
    }
    return ScenarioSides(
      floor: Side(
        label: "floor",
        process: ChildProcess(executable: sqliteShell, arguments: [database, query]),
        timing: .wholeProcess, database: .shared(database)),
      measured: status, references: [swiftProcess], warmUps: 1)
  }

  /// S4: each repetition rolls back a fresh copy of a database with W(N) applied (by
  /// `migrate()` for the measured side, by the floor for the floor).
  private func rollbackSides(_ folder: String) throws -> ScenarioSides {
    let count = sizes.s4Migrations
    let (template, migrations) = try appliedDatabase(count: count)
    let floorTemplate = folder + "/floor-template.sqlite"
    try setUp(.setupFloorApplied, ["db": floorTemplate, "count": "\(count)"], in: folder)
    return ScenarioSides(
      floor: Side(
        label: "floor", process: child(.floorRollback, ["db": "{db}", "count": "\(count)"]),
        timing: .reportedByChild, database: .copy(of: floorTemplate)),
      measured: Side(
        label: "measured",
        process: child(
          .measuredRollback, ["db": "{db}", "migrations": migrations, "expect": "\(count)"]),
        timing: .reportedByChild, database: .copy(of: template)))
  }

  /// S6: one ledger, built once, read by both rows.
  private func ledgerSides(history: Bool) throws -> ScenarioSides {
    let shape = LedgerShape(events: sizes.s6Events)
    let folder = "\(directory)/ledger"
    let database = folder + "/ledger.sqlite"
    let migrations = folder + "/migrations"
    if !FileManager.default.fileExists(atPath: database) {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try setUp(
        .setupLedger,
        ["db": database, "migrations": migrations, "events": "\(sizes.s6Events)"], in: folder)
    }
    let floor: Side
    let measured: Side
    if history {
      let arguments = [
        "db": database, "migrations": migrations, "migration": shape.historyMigration.id,
        "expect": "\(shape.historyEvents)",
      ]
      floor = Side(
        label: "floor", process: child(.floorHistory, arguments), timing: .reportedByChild,
        database: .shared(database))
      measured = Side(
        label: "measured", process: child(.measuredHistory, arguments),
        timing: .reportedByChild, database: .shared(database))
    } else {
      let arguments = [
        "db": database, "migrations": migrations, "events": "\(shape.totalEvents)",
      ]
      floor = Side(
        label: "floor", process: child(.floorReplay, arguments), timing: .reportedByChild,
        database: .shared(database))
      measured = Side(
        label: "measured", process: child(.measuredReplay, arguments),
        timing: .reportedByChild, database: .shared(database))
    }
    return ScenarioSides(floor: floor, measured: measured, warmUps: 1)
  }
}
