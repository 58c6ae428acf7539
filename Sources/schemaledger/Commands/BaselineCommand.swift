import SchemaLedger

/// `schemaledger baseline`: records migrations as applied without running them.
enum BaselineCommand: Command {
  static let name = "baseline"
  static let overview = "Record migrations up to VERSION as applied without running them."
  static let usage = "baseline --to VERSION --reason TEXT [options]"
  static let options = [
    OptionSpec(name: "to", valueName: "VERSION", help: "The last version the database has."),
    OptionSpec(name: "reason", valueName: "TEXT", help: "Why (recorded in the ledger)."),
  ]
  static let discussion: String? =
    "For adopting a database whose schema was made by hand or by another tool. Each "
    + "migration gets a 'baselined' event with who did it and why."

  static func run(_ context: CommandContext) throws -> ExitCode {
    guard let version = try context.version("to") else {
      throw UsageError(message: "baseline needs --to VERSION.", command: name)
    }
    let events = try context.ledger(progress: ProgressPrinter.handler(context.terminal))
      .baseline(to: version, reason: try context.reason())
    context.terminal.out(
      events.isEmpty
        ? "Nothing to baseline: every migration up to \(version) is already applied."
        : "Baselined \(events.count) migration\(events.count == 1 ? "" : "s") up to "
          + "version \(version): " + events.compactMap(\.migration).joined(separator: ", "))
    return .success
  }
}
