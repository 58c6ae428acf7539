import SchemaLedger

/// `schemaledger import`: records another tool's history in the ledger.
enum ImportCommand: Command {
  static let name = "import"
  static let overview = "Record the history of the tool used before (its table is untouched)."
  static let usage = "import --from TOOL [--reason TEXT] [options]"
  static let options = [
    OptionSpec(
      name: "from", valueName: "TOOL",
      help: ImportedTool.allCases.map(\.rawValue).joined(separator: ", ") + "."),
    OptionSpec(name: "reason", valueName: "TEXT", help: "Why (recorded in the ledger)."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let tools = ImportedTool.allCases.map(\.rawValue).joined(separator: ", ")
    guard let text = context.arguments.value("from") else {
      throw UsageError(message: "import needs --from TOOL (\(tools)).", command: name)
    }
    guard let tool = ImportedTool(rawValue: text) else {
      throw UsageError(message: "Unknown tool '\(text)'. Tools: \(tools).", command: name)
    }
    let events = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
      .importHistory(from: tool, reason: context.arguments.value("reason"))
    context.terminal.out(
      events.isEmpty
        ? "Nothing to import: the ledger already has everything \(tool.rawValue) recorded."
        : "Imported \(events.count) migration\(events.count == 1 ? "" : "s") from "
          + "\(tool.rawValue): " + events.compactMap(\.migration).joined(separator: ", "))
    return .success
  }
}
