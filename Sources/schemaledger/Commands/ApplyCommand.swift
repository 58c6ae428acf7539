import Foundation
import SchemaLedger

/// `schemaledger apply`: applies pending migrations.
enum ApplyCommand: Command {
  static let name = "apply"
  static let overview = "Apply pending migrations, each in its own transaction."
  static let usage = "apply [--to VERSION] [--dry-run] [--json] [options]"
  static let options = [
    OptionSpec(name: "to", valueName: "VERSION", help: "Stop after this version."),
    OptionSpec(name: "dry-run", help: "Print the plan and its SQL; write nothing."),
    OptionSpec(name: "json", help: "Print the result as JSON."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    if context.arguments.flag("dry-run") { return try PlanCommand.run(context) }
    let ledger = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
    let report = try ledger.migrate(to: try context.version("to"))
    if context.arguments.flag("json") {
      context.terminal.out(
        JSONOutput.string([
          "run_id": report.runID ?? "",
          "applied": report.applied.map {
            ["migration": $0.migration, "version": $0.version, "duration_ms": $0.durationMs]
          },
          "current_version": report.currentVersion.map { $0 as Any } ?? NSNull(),
          "total_ms": report.totalMs,
        ]))
      return .success
    }
    let version = report.currentVersion.map { "version \($0)" } ?? "no version"
    if report.applied.isEmpty {
      context.terminal.out("Nothing to apply; the database is at \(version).")
    } else {
      let count = report.applied.count
      context.terminal.out(
        "Applied \(count) migration\(count == 1 ? "" : "s") in \(report.totalMs) ms; "
          + "the database is at \(version).")
    }
    return .success
  }
}
