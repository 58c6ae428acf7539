import FoundationEssentials

/// The benchmark's command line.
///
/// ```
/// schemaledger-bench [--quick] [--json] [--scenario S2]... [--repetitions N] [--size-scale F]
///                    [--postgres URL]
/// ```
struct BenchOptions: Sendable {
  /// Smaller sizes and 3 repetitions: under a minute.
  var quick = false
  /// Print JSON on stdout instead of the table.
  var json = false
  /// Scenario or row ids to run (`S3` runs `S3` and `S3.process`); every one when empty.
  var scenarios: [String] = []
  /// Repetitions per scenario (5, or 3 with `--quick`).
  var repetitions: Int?
  /// Hidden: multiplies every size (the smoke test runs a tiny fraction).
  var sizeScale = 1.0
  /// The PostgreSQL server of P1 to P3 (`--postgres URL`, else the environment's
  /// `SCHEMALEDGER_BENCH_POSTGRES`); without one they are not run.
  var postgres: String?

  /// The environment variable that gives the server when `--postgres` does not.
  static let postgresVariable = "SCHEMALEDGER_BENCH_POSTGRES"

  /// How to run the PostgreSQL scenarios, for a report without them.
  static let postgresHint =
    "P1-P3 (PostgreSQL) not run: pass --postgres URL or set \(postgresVariable)"

  /// Repetitions in force.
  var effectiveRepetitions: Int { repetitions ?? (quick ? 3 : 5) }

  /// Sizes in force.
  var sizes: WorkloadSizes {
    let base = quick ? WorkloadSizes.quick : WorkloadSizes.full
    return sizeScale == 1 ? base : base.scaled(by: sizeScale)
  }

  static let usage = """
    OVERVIEW: Measures SchemaLedger against the raw-SQLite floor, and with --postgres against
    bare libpq on a PostgreSQL server (docs/performance.md).

    USAGE: schemaledger-bench [--quick] [--json] [--scenario ID]... [--repetitions N]
                              [--postgres URL]

    OPTIONS:
      --quick             Smaller sizes and 3 repetitions (under a minute).
      --json              Print the results as JSON on stdout.
      --scenario ID       Run only this scenario (S1 ... S6, P1 ... P3, or a row such as
                          S3.process); repeat or separate with commas for several.
      --repetitions N     Repetitions per scenario (default 5, 3 with --quick).
      --postgres URL      Also run P1 ... P3 on this PostgreSQL server (a postgres:// URL or
                          libpq key=value parameters; default: $SCHEMALEDGER_BENCH_POSTGRES).
                          Each repetition gets a new database there (CREATE DATABASE, so the
                          role needs CREATEDB), dropped after use.
      -h, --help          Show this help.

    Build and run in release mode:
      swift run -c release --scratch-path .build-bench schemaledger-bench
    """

  /// Parses the arguments (without the program name). Throws `BenchError.usage`.
  static func parse(_ arguments: [String]) throws -> BenchOptions? {
    var options = BenchOptions()
    var rest = arguments[...]
    func value(of flag: String, _ inline: String?) throws -> String {
      if let inline { return inline }
      guard let next = rest.popFirst() else { throw BenchError.usage("\(flag) needs a value.") }
      return next
    }
    while let argument = rest.popFirst() {
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      let flag = parts[0]
      let inline = parts.count == 2 ? parts[1] : nil
      switch flag {
      case "--quick": options.quick = true
      case "--json": options.json = true
      case "-h", "--help": return nil
      case "--scenario":
        options.scenarios += try value(of: flag, inline).split(separator: ",").map {
          $0.uppercased().replacing(".PROCESS", with: ".process")
            .replacing(".HISTORY", with: ".history")
        }
      case "--repetitions":
        guard let count = Int(try value(of: flag, inline)), count > 0 else {
          throw BenchError.usage("--repetitions needs a positive whole number.")
        }
        options.repetitions = count
      case "--postgres":
        options.postgres = try value(of: flag, inline)
      case "--size-scale":
        guard let scale = Double(try value(of: flag, inline)), scale > 0 else {
          throw BenchError.usage("--size-scale needs a positive number.")
        }
        options.sizeScale = scale
      default:
        throw BenchError.usage("Unknown option '\(argument)'.")
      }
    }
    if options.postgres == nil,
      let server = ProcessInfo.processInfo.environment[postgresVariable], !server.isEmpty
    {
      options.postgres = server
    }
    let known = Scenario.all(options.sizes)
    for id in options.scenarios {
      let rows = known.filter { $0.id == id || $0.scenario == id }
      guard !rows.isEmpty else {
        throw BenchError.usage(
          "Unknown scenario '\(id)'. Known: "
            + Scenario.scenarioIDs.joined(separator: ", ") + ".")
      }
      if options.postgres == nil, rows.contains(where: \.needsPostgres) {
        throw BenchError.usage(
          "\(id) runs on PostgreSQL: pass --postgres URL or set \(postgresVariable).")
      }
    }
    return options
  }

  /// Whether `scenario` was selected (a PostgreSQL one only when a server was given).
  func selects(_ scenario: Scenario) -> Bool {
    guard !scenario.needsPostgres || postgres != nil else { return false }
    return scenarios.isEmpty || scenarios.contains(scenario.id)
      || scenarios.contains(scenario.scenario)
  }
}
