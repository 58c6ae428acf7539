import SchemaLedger

/// `schemaledger resolve`: settles a migration left in doubt outside a transaction.
enum ResolveCommand: Command {
  static let name = "resolve"
  static let overview = "Settle a migration that may be partly done, after fixing it by hand."
  static let usage = "resolve ID --as applied|rolled-back --reason TEXT [options]"
  static let arguments = [(name: "ID", help: "The migration id or version.")]
  static let options = [
    OptionSpec(
      name: "as", valueName: "OUTCOME",
      help: "applied (you finished it by hand) or rolled-back (you undid it)."),
    OptionSpec(name: "reason", valueName: "TEXT", help: "What you did (recorded)."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let id = try context.singleArgument("ID")
    guard let text = context.arguments.value("as"),
      let resolution = SchemaMigrator.Resolution(rawValue: text)
    else {
      throw UsageError(message: "resolve needs --as applied or --as rolled-back.", command: name)
    }
    let events = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
      .resolve(id, as: resolution, reason: try context.reason())
    context.terminal.out(
      "Resolved \(events.first?.migration ?? id) as \(resolution.rawValue); apply may continue.")
    return .success
  }
}
