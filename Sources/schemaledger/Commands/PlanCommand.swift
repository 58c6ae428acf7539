import SchemaLedger

/// `schemaledger plan`: what `apply` would do, with the SQL; writes nothing.
enum PlanCommand: Command {
  static let name = "plan"
  static let overview = "Show what 'apply' would do and the SQL it would run; write nothing."
  static let usage = "plan [--to VERSION] [--allow-out-of-order] [--json] [options]"
  static let options = [
    OptionSpec(name: "to", valueName: "VERSION", help: "Stop after this version."),
    OptionSpec(
      name: "allow-out-of-order",
      help: "Apply pending migrations older than the newest applied one (recorded as such)."),
    OptionSpec(name: "json", help: "Print the plan as JSON."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let ledger = try context.ledger()
    let preview = try ledger.plan(to: try context.version("to"))
    let (plan, interrupted) = (preview.plan, preview.interrupted)
    if context.arguments.flag("json") {
      context.terminal.out(
        JSONOutput.document(JSONOutput.plan(plan, interrupted: interrupted)))
      return .success
    }
    let terminal = context.terminal
    for attempt in interrupted {
      terminal.out(
        "Note: run \(attempt.runID) (\(attempt.actor)) planned \(attempt.migration) and has "
          + "not recorded an outcome; 'apply' records it as interrupted if that run is gone.")
    }
    guard !plan.isEmpty else {
      terminal.out(
        "Nothing to apply (\(plan.alreadyApplied) applied, layout \(plan.layout.rawValue)). "
          + "Nothing was written.")
      return .success
    }
    let count = plan.steps.count
    terminal.out(
      "Plan: apply \(count) migration\(count == 1 ? "" : "s") (layout \(plan.layout.rawValue)). "
        + "Nothing was written.")
    for (index, migration) in plan.steps.enumerated() {
      var heading = "\n\(index + 1). \(migration.id)  (\(migration.upLocation.file))"
      if case .outside(let reason) = migration.transactionMode {
        heading += "  [outside a transaction: \(reason)]"
      }
      if migration.isRepeatable { heading += "  [repeatable]" }
      if migration.hasNoStatements { heading += "  [no statements]" }
      if !migration.placeholders.isEmpty {
        heading += "  [placeholders: \(migration.placeholders.joined(separator: ", "))]"
      }
      terminal.out(terminal.styled(heading, .bold))
      let sql = migration.upSQL.split(separator: "\n", omittingEmptySubsequences: false)
      terminal.out(sql.map { "    " + $0 }.joined(separator: "\n"))
    }
    return .success
  }
}
