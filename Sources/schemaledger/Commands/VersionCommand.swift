import SchemaLedger

/// `schemaledger version`: the database's current version (not the tool's: `--version`).
enum VersionCommand: Command {
  static let name = "version"
  static let overview = "Print the database's current version ('none' when nothing is applied)."
  static let usage = "version [--json] [options]"
  static let options = [OptionSpec(name: "json", help: "Print the version as JSON.")]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let version = try context.ledger().ledgerState().currentVersion
    if context.arguments.flag("json") {
      context.terminal.out(JSONOutput.document(["current_version": version?.json ?? .null]))
    } else {
      context.terminal.out(version?.description ?? "none")
    }
    return .success
  }
}
