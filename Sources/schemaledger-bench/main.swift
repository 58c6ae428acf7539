import FoundationEssentials
import Glibc

// schemaledger-bench: SchemaLedger against the raw-SQLite floor (docs/performance.md).
// The parent runs scenarios; `--internal-child KIND key=value...` is one repetition of
// one side in its own process, so that `wait4` reports that side's own peak RSS.

let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == Launcher.flag {
  exit(Launcher.main(Array(arguments.dropFirst())))
}

if arguments.first == "--internal-child" {
  do {
    guard arguments.count >= 2, let task = ChildTask(rawValue: arguments[1]) else {
      throw BenchError.usage(
        "--internal-child needs one of: "
          + ChildTask.allCases.map(\.rawValue).joined(separator: ", "))
    }
    var values: [String: String] = [:]
    for pair in arguments.dropFirst(2) {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      values[parts[0]] = parts.count == 2 ? parts[1] : ""
    }
    print(try task.run(values).encoded())
    exit(0)
  } catch {
    StandardError.note("Error: \(error)")
    exit(1)
  }
}

do {
  guard let options = try BenchOptions.parse(arguments) else {
    print(BenchOptions.usage)
    exit(0)
  }
  let run = try BenchmarkRun(options: options)
  let results = try run.run()
  let settings = try BenchSettings(run)
  if options.json {
    print(ReportFormat.json(results, settings: settings))
  } else {
    print(ReportFormat.table(results, settings: settings))
  }
} catch BenchError.usage(let message) {
  StandardError.note("Error: \(message)\n\n\(BenchOptions.usage)")
  exit(64)
} catch {
  StandardError.note("Error: \(error)")
  exit(1)
}
