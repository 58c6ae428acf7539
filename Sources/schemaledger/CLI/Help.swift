/// Help texts, in swift-argument-parser's layout.
enum Help {
  static let tool = "schemaledger"

  /// Full help of one command.
  static func text(for command: any Command.Type) -> String {
    var lines = ["OVERVIEW: \(command.overview)", "", "USAGE: \(tool) \(command.usage)"]
    if !command.aliases.isEmpty {
      lines += ["", "ALIASES: " + command.aliases.joined(separator: ", ")]
    }
    if !command.arguments.isEmpty {
      lines += ["", "ARGUMENTS:"]
      lines += command.arguments.map { "  " + pad($0.name) + $0.help }
    }
    lines += ["", "OPTIONS:"]
    lines += command.options.map { "  " + pad($0.synopsis) + $0.help }
    lines += ["", "GLOBAL OPTIONS:"]
    lines += GlobalOptions.specs.map { "  " + pad($0.synopsis) + $0.help }
    if let discussion = command.discussion { lines += ["", discussion] }
    return lines.joined(separator: "\n")
  }

  /// The tool's own help, listing the commands.
  static func toolText(commands: [any Command.Type]) -> String {
    var lines = [
      "OVERVIEW: Apply SQL migrations to SQLite and keep an append-only ledger of "
        + "everything done.",
      "", "USAGE: \(tool) <command> [options]", "", "COMMANDS:",
    ]
    lines += commands.map { command in
      let aliases =
        command.aliases.isEmpty ? "" : " (also: \(command.aliases.joined(separator: ", ")))"
      return "  " + pad(command.name, width: 12) + command.overview + aliases
    }
    lines += ["  " + pad("help", width: 12) + "Show help for a command."]
    lines += ["", "OPTIONS:"]
    lines += GlobalOptions.specs.map { "  " + pad($0.synopsis) + $0.help }
    lines += ["  " + pad("--version") + "Show the version."]
    lines += [
      "", "See '\(tool) help <command>' for a command's options, and docs/cli.md.",
    ]
    return lines.joined(separator: "\n")
  }

  /// `help help`.
  static let helpText = """
    OVERVIEW: Show help for the tool or for a command.

    USAGE: \(tool) help [<command>]

    ARGUMENTS:
      <command>                   A command or one of its aliases; without it, the tool's help.
    """

  /// The `USAGE:` line of a command, or of the tool.
  static func usageLine(for command: (any Command.Type)?) -> String {
    "Usage: \(tool) " + (command?.usage ?? "<command> [options]")
  }

  private static func pad(_ text: String, width: Int = 28) -> String {
    text.count >= width ? text + "  " : text + String(repeating: " ", count: width - text.count)
  }
}
