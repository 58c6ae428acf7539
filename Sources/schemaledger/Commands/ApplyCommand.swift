import SchemaLedger

/// `schemaledger apply`: applies pending migrations.
enum ApplyCommand: Command {
  static let name = "apply"
  static let aliases = ["up", "migrate"]
  static let overview = "Apply pending migrations, each in its own transaction."
  static let usage =
    "apply [--to VERSION] [--dry-run] [--rehearse] [--allow-out-of-order] [--no-create] "
    + "[--json] [options]"
  static let options = [
    OptionSpec(name: "to", valueName: "VERSION", help: "Stop after this version."),
    OptionSpec(
      name: "allow-out-of-order",
      help: "Apply pending migrations older than the newest applied one (recorded as such)."),
    OptionSpec(name: "dry-run", help: "Print the plan and its SQL; write nothing."),
    OptionSpec(
      name: "rehearse", help: "Run the plan on a scratch copy first; stop if it fails there."),
    OptionSpec(
      name: "no-create", help: "Fail when the database does not exist instead of creating it."),
    OptionSpec(name: "json", help: "Print the result as JSON."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    if context.arguments.flag("dry-run") { return try PlanCommand.run(context) }
    let ledger = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
    let report = try ledger.migrate(
      to: try context.version("to"), rehearse: context.arguments.flag("rehearse"))
    JSONOutput.printHead(report, context.terminal)
    if context.arguments.flag("json") {
      context.terminal.out(JSONOutput.document(JSONOutput.report(report)))
      return .success
    }
    let version = report.currentVersion.map { "version \($0)" } ?? "no version"
    if report.steps.isEmpty {
      context.terminal.out("Nothing to apply; the database is at \(version).")
    } else {
      let count = report.steps.count
      context.terminal.out(
        "Applied \(count) migration\(count == 1 ? "" : "s") in \(report.totalMs) ms; "
          + "the database is at \(version).")
    }
    return .success
  }
}
