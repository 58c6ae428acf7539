import SchemaLedger

/// `schemaledger redo`: rolls back the most recent migration and applies it again.
enum RedoCommand: Command {
  static let name = "redo"
  static let overview = "Roll back the most recent migration and apply it again."
  static let usage = "redo [--json] [options]"
  static let options = [OptionSpec(name: "json", help: "Print both runs' results as JSON.")]
  static let discussion: String? =
    "The rollback uses the down SQL recorded in the ledger and is rehearsed first; the apply "
    + "then runs the file as it is now, up to the version rolled back."

  static func run(_ context: CommandContext) throws -> ExitCode {
    let ledger = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
    let (rolledBack, applied) = try ledger.redo()
    JSONOutput.printHead(applied, context.terminal)
    if context.arguments.flag("json") {
      context.terminal.out(
        JSONOutput.document([
          "rolled_back": .object(JSONOutput.report(rolledBack)),
          "applied": .object(JSONOutput.report(applied)),
        ]))
      return .success
    }
    guard let step = rolledBack.steps.first else {
      context.terminal.out("Nothing to redo: no migration is applied.")
      return .success
    }
    let version = applied.currentVersion.map { "version \($0)" } ?? "no version"
    context.terminal.out(
      "Redid \(step.migration) in \(rolledBack.totalMs + applied.totalMs) ms; the database "
        + "is at \(version).")
    return .success
  }
}
