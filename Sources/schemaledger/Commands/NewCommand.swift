import SchemaLedger

/// `schemaledger new NAME`: creates the next migration file.
enum NewCommand: Command {
  static let name = "new"
  static let aliases = ["create"]
  static let overview = "Create the next migration file with up and down sections."
  static let usage = "new NAME [--timestamp | --sequential] [options]"
  static let arguments = [(name: "NAME", help: "What the migration does (add_user_email).")]
  static let options = [
    OptionSpec(name: "timestamp", help: "Version as yyyymmddHHMMSS (UTC)."),
    OptionSpec(name: "sequential", help: "Version as the next number (001, 002, ...)."),
  ]
  static let discussion: String? =
    "Without a flag the style follows the folder: sequential when its versions are short "
    + "numbers, timestamps otherwise (and in an empty folder)."

  static func run(_ context: CommandContext) throws -> ExitCode {
    guard context.arguments.positionals.count == 1, let name = context.arguments.positionals.first
    else {
      throw UsageError(message: "Give exactly one NAME for the migration.", command: Self.name)
    }
    let timestamp = context.arguments.flag("timestamp")
    let sequential = context.arguments.flag("sequential")
    if timestamp && sequential {
      throw UsageError(
        message: "Choose one of --timestamp and --sequential.", command: Self.name)
    }
    let style: MigrationFileCreator.VersionStyle? =
      timestamp ? .timestamp : sequential ? .sequential : nil
    let path = try MigrationFileCreator.create(
      name: name, in: context.migrationsDirectory, style: style)
    context.terminal.out(path)
    return .success
  }
}
