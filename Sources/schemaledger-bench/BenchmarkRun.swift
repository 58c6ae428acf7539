import FoundationEssentials

/// The parent process: prepares each scenario's fixture (in child processes), then runs
/// the floor and the measured side alternately, one child process per repetition, and
/// collects the figures.
final class BenchmarkRun {
  let options: BenchOptions
  let sizes: WorkloadSizes
  /// Holds every fixture; removed at the end.
  let directory: String
  /// This program, re-executed for each child.
  let bench = ChildProcess.currentExecutable()
  /// The `schemaledger` tool built beside it (S3.process).
  let tool: String
  /// The `sqlite3` shell, S3.process's floor process when installed.
  let sqliteShell = ChildProcess.find(onPath: "sqlite3")
  /// Journal modes seen on every database after a run, floor and measured.
  private(set) var journalModes: Set<String> = []
  /// Applied W(N) databases made so far, by N (S3 and S4 share one when sizes agree).
  private var appliedDatabases: [Int: String] = [:]
  /// The PostgreSQL server of P1 to P3, when one was given.
  let postgres: PostgresBenchServer?
  /// Databases on it with W(N) applied by `migrate()`, by N (P2 and P3 share one).
  var postgresApplied: [Int: String] = [:]

  init(options: BenchOptions) throws {
    let tool =
      bench.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(
        separator: "/") + "/schemaledger"
    guard FileManager.default.isExecutableFile(atPath: tool) else {
      throw BenchError.spawnFailed(tool, "not found beside the benchmark")
    }
    self.tool = tool
    self.options = options
    sizes = options.sizes
    postgres = try options.postgres.map { try PostgresBenchServer(conninfo: $0) }
    directory =
      FileManager.default.temporaryDirectory.path + "/schemaledger-bench-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: directory)
    postgres?.dropAll()
  }

  /// How S3.process's floor process is made.
  var floorProcessDescription: String {
    sqliteShell.map { "sqlite3 shell (\($0)) reading one row" }
      ?? "schemaledger-bench re-executed to open the database and read one row"
  }

  // MARK: - Run

  /// Runs every selected scenario in order.
  func run() throws -> [ScenarioResult] {
    try Scenario.all(sizes).filter(options.selects).map { scenario in
      StandardError.note("\(scenario.id): \(scenario.title)")
      let folder = "\(directory)/\(scenario.id)"
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let (sides, setupSeconds) = try Stopwatch.time { try self.sides(for: scenario, in: folder) }
      return try measure(scenario, sides, setupSeconds: setupSeconds, in: folder)
    }
  }

  private func measure(
    _ scenario: Scenario, _ sides: ScenarioSides, setupSeconds: Double, in folder: String
  ) throws -> ScenarioResult {
    let all = [sides.floor, sides.measured] + sides.references
    for _ in 0..<sides.warmUps {
      for side in all { _ = try side.run(repetition: 0, in: folder) }
    }
    var samples: [String: [Side.Sample]] = [:]
    for repetition in 1...options.effectiveRepetitions {
      // Alternate the order so a drift of the machine does not favour one side.
      let order = repetition % 2 == 1 ? all : all.reversed()
      var line = "  repetition \(repetition):"
      for side in order {
        let sample = try side.run(repetition: repetition, in: folder)
        samples[side.label, default: []].append(sample)
        if let mode = sample.result?.notes["journal_mode"] { journalModes.insert(mode) }
        line += " \(side.label) \(ReportFormat.duration(sample.seconds))"
      }
      StandardError.note(line)
    }
    func summary(_ label: String) -> Summary {
      Summary(samples: samples[label, default: []].map(\.seconds))
    }
    // The measured side's figures by name (`warm_s`, `db_bytes`); the other sides' as
    // `<label>_<name>` (`floor_db_bytes`, `migrator_db_bytes`).
    var values: [String: Double] = [:]
    for side in all {
      let prefix = side.label == sides.measured.label ? "" : side.label + "_"
      for (key, _) in samples[side.label]?.first?.result?.values ?? [:]
      where prefix.isEmpty || key != "vmhwm_kib" {
        values[prefix + key] =
          Summary(samples: samples[side.label, default: []].compactMap { $0.result?.values[key] })
          .median
      }
    }
    return ScenarioResult(
      scenario: scenario, measured: summary(sides.measured.label),
      floor: summary(sides.floor.label),
      peakRSSKiB: samples[sides.measured.label, default: []].map(\.peakRSSKiB).max() ?? 0,
      floorPeakRSSKiB: samples[sides.floor.label, default: []].map(\.peakRSSKiB).max() ?? 0,
      references: Dictionary(
        uniqueKeysWithValues: sides.references.map { ($0.label, summary($0.label)) }),
      values: values, setupSeconds: setupSeconds)
  }

  // MARK: - Child processes

  /// The benchmark re-executed as a child doing `task`.
  func child(_ task: ChildTask, _ arguments: [String: String]) -> ChildProcess {
    ChildProcess(
      executable: bench,
      arguments: ["--internal-child", task.rawValue]
        + arguments.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
  }

  /// Runs a setup task to completion (not timed in the report).
  func setUp(_ task: ChildTask, _ arguments: [String: String], in folder: String) throws {
    let side = Side(
      label: "setup-\(task.rawValue)", process: child(task, arguments), timing: .reportedByChild,
      database: .shared(arguments["db"] ?? ""))
    let sample = try side.run(repetition: 0, in: folder)
    StandardError.note("  setup \(task.rawValue): \(ReportFormat.duration(sample.seconds))")
  }

  /// A database with W(`count`) applied by `migrate()`, and its migrations folder.
  func appliedDatabase(count: Int) throws -> (database: String, migrations: String) {
    let folder = "\(directory)/applied-\(count)"
    let migrations = folder + "/migrations"
    if let database = appliedDatabases[count] { return (database, migrations) }
    try Workload.write(Workload.smallMigrations(count: count), to: migrations)
    let database = folder + "/app.sqlite"
    try setUp(
      .setupApplied, ["db": database, "migrations": migrations, "count": "\(count)"], in: folder)
    appliedDatabases[count] = database
    return (database, migrations)
  }
}
