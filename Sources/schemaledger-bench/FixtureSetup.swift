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
        try SchemaLedger(databasePath: path, migrationsDirectory: try input.migrations)
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
}
