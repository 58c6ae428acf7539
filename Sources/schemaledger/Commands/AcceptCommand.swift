import SchemaLedger

/// `schemaledger accept`: accepts an intentional edit of an applied migration.
enum AcceptCommand: Command {
  static let name = "accept"
  static let overview = "Accept an intentional edit of an applied migration's file."
  static let usage = "accept ID --reason TEXT [--with-down] [options]"
  static let arguments = [(name: "ID", help: "The migration id or version.")]
  static let options = [
    OptionSpec(name: "reason", valueName: "TEXT", help: "Why the edit is fine (recorded)."),
    OptionSpec(
      name: "with-down", help: "Also record the file's down section for future rollbacks."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let id = try context.singleArgument("ID")
    let events = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
      .accept(id, reason: try context.reason(), includingDown: context.arguments.flag("with-down"))
    let checksum = events.first?.checksum ?? "?"
    context.terminal.out(
      "Accepted the edit of \(events.first?.migration ?? id): checksum \(checksum) is now the "
        + "one in force" + (context.arguments.flag("with-down") ? ", with its down section." : "."))
    return .success
  }
}
