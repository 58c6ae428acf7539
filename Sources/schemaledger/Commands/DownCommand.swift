import SchemaLedger

/// `schemaledger down`: rolls back the most recent migration, and only that one (never
/// everything, whatever habits of other tools say).
enum DownCommand: Command {
  static let name = "down"
  static let overview = "Roll back the most recently applied migration (rollback --steps 1)."
  static let usage = "down [--dry-run] [--no-rehearse] [--json] [options]"
  /// `rollback`'s options, without those that choose more than one step.
  static let options = RollbackCommand.options.filter { !["steps", "to", "all"].contains($0.name) }
  static let discussion: String? =
    "One migration only: to roll back more, use 'rollback --steps N', '--to VERSION' or "
    + "'--all'."

  static func run(_ context: CommandContext) throws -> ExitCode {
    try RollbackCommand.run(context)  // without --steps, --to or --all: one step
  }
}
