import SchemaLedger

/// `schemaledger rollback`: undoes applied migrations with their recorded down SQL.
enum RollbackCommand: Command {
  static let name = "rollback"
  static let overview = "Roll back applied migrations using the down SQL recorded in the ledger."
  static let usage =
    "rollback [--steps N | --to VERSION | --all] [--dry-run] [--no-rehearse] [--json] [options]"
  static let options = [
    OptionSpec(name: "steps", valueName: "N", help: "Roll back the N most recent (default 1)."),
    OptionSpec(
      name: "to", valueName: "VERSION", help: "Roll back everything applied after VERSION."),
    OptionSpec(name: "all", help: "Roll back every applied migration."),
    OptionSpec(name: "dry-run", help: "Print the plan and the down SQL; write nothing."),
    OptionSpec(
      name: "no-rehearse", help: "Skip the rehearsal on a scratch copy (for huge databases)."),
    OptionSpec(name: "json", help: "Print the plan or the result as JSON."),
  ]
  static let discussion: String? =
    "The down SQL comes from the ledger (recorded when each migration was applied), never "
    + "from the files. By default the plan is first rehearsed on a scratch copy of the "
    + "database; the real database is touched only if every step passed there."

  static func run(_ context: CommandContext) throws -> ExitCode {
    let target = try self.target(context)
    let ledger = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
    if context.arguments.flag("dry-run") {
      render(try ledger.rollbackPlan(target), context)
      return .success
    }
    let report = try ledger.rollback(target, rehearse: !context.arguments.flag("no-rehearse"))
    JSONOutput.printHead(report, context.terminal)
    if context.arguments.flag("json") {
      context.terminal.out(JSONOutput.document(JSONOutput.report(report)))
      return .success
    }
    let version = report.currentVersion.map { "version \($0)" } ?? "no version applied"
    let count = report.steps.count
    context.terminal.out(
      count == 0
        ? "Nothing to roll back; the database is at \(version)."
        : "Rolled back \(count) migration\(count == 1 ? "" : "s") in \(report.totalMs) ms; "
          + "the database is at \(version).")
    return .success
  }

  private static func target(_ context: CommandContext) throws -> RollbackTarget {
    let arguments = context.arguments
    let given = ["steps", "to", "all"].filter { arguments.values[$0] != nil }
    guard given.count <= 1 else {
      throw UsageError(
        message: "Give only one of --steps, --to and --all.", command: name)
    }
    if arguments.flag("all") { return .all }
    if let version = try context.version("to") { return .toVersion(version) }
    return .steps(try context.count("steps") ?? 1)
  }

  private static func render(_ plan: RollbackPlan, _ context: CommandContext) {
    let terminal = context.terminal
    if context.arguments.flag("json") {
      terminal.out(JSONOutput.document(JSONOutput.rollbackPlan(plan)))
      return
    }
    guard !plan.isEmpty else {
      terminal.out("Nothing to roll back. Nothing was written.")
      return
    }
    let count = plan.steps.count
    terminal.out(
      "Plan: roll back \(count) migration\(count == 1 ? "" : "s"), newest first. "
        + "Nothing was written.")
    for (index, step) in plan.steps.enumerated() {
      terminal.out(
        terminal.styled(
          "\n\(index + 1). \(step.migration)  (down SQL recorded in ledger event "
            + "#\(step.appliedSeq))", .bold))
      let sql = (step.downSQL ?? "").split(separator: "\n", omittingEmptySubsequences: false)
      terminal.out(sql.map { "    " + $0 }.joined(separator: "\n"))
    }
  }
}
