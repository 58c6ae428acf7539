import FoundationEssentials
import SchemaLedger

/// Dispatches `schemaledger <command> [options]`: finds the command, parses its options,
/// runs it, and turns errors into messages and exit codes (CONTRIBUTING.md, "The command
/// line"; the codes are listed in docs/cli.md).
struct CommandLineTool {
  /// The tool's version (`--version`).
  static let version = "0.1.0"

  let commands: [any Command.Type]

  /// The commands, in the order `help` lists them.
  static var allCommands: [any Command.Type] {
    [
      ApplyCommand.self, PlanCommand.self, RollbackCommand.self, StatusCommand.self,
      HistoryCommand.self, ReplayCommand.self, VerifyCommand.self, ExportCommand.self,
      BaselineCommand.self, ImportCommand.self, ResolveCommand.self, AcceptCommand.self,
      NewCommand.self, DownCommand.self, RedoCommand.self, VersionCommand.self,
      SchemaCommand.self, CompletionCommand.self,
    ]
  }

  /// Runs the tool; never throws: errors become a message on stderr and an exit code,
  /// and with `--json` also an error object on stdout (docs/json.md).
  func run(_ arguments: [String], environment: [String: String]) -> ExitCode {
    let terminal = Terminal(environment: environment)
    do {
      return try dispatch(arguments, environment: environment, terminal: terminal)
    } catch let error as UsageError {
      let command = error.command.flatMap(command(named:))
      let seeAlso = command.map { "\(Help.tool) \($0.name) --help" } ?? "\(Help.tool) --help"
      if Self.wantsJSON(arguments) {
        terminal.out(JSONError.document(for: error, usageAction: "See '\(seeAlso)'."))
      }
      terminal.err(
        terminal.errorStyled("Error:", .red) + " \(error.message)\n"
          + Help.usageLine(for: command) + "\nSee '\(seeAlso)'.\n")
      return .usage
    } catch {
      if Self.wantsJSON(arguments) {
        terminal.out(JSONError.document(for: error, usageAction: "See '\(Help.tool) --help'."))
      }
      let message = Self.message(of: error)
      if let reason = Self.stopReason(of: error) {
        // Stopped on the operator's signal: the outcome is recorded; exit 128 + signal.
        terminal.err(terminal.errorStyled("Stopped:", .yellow) + " \(message)\n")
        return SignalTrap.exitCode(for: reason)
      }
      terminal.err(terminal.errorStyled("Error:", .red) + " \(message)\n")
      return .failure
    }
  }

  /// The signal that stopped the command (`SIGINT`, `SIGTERM`), when the error says so.
  private static func stopReason(of error: any Error) -> String? {
    switch error {
    case ExecutionError.cancelled(let reason, _, _, _, _): return reason
    case ExecutionError.replayStopped(let reason, _): return reason
    default: return nil
    }
  }

  /// An error's message as the command line words it: its settings as flags.
  static func message(of error: any Error) -> String {
    (error as? any AudienceDescribable)?.description(for: .commandLine) ?? "\(error)"
  }

  /// `true` when `--json` is among the options (before a `--`), even if they did not
  /// parse: an option's value never starts with `-` unless written `--option=VALUE`, so
  /// the word is always the flag.
  static func wantsJSON(_ arguments: [String]) -> Bool {
    arguments.prefix { $0 != "--" }.contains("--json")
  }

  private func dispatch(
    _ arguments: [String], environment: [String: String], terminal: Terminal
  ) throws -> ExitCode {
    guard let index = commandIndex(in: arguments) else {
      if arguments.contains("--version") {
        terminal.out(Self.version)
        return .success
      }
      if arguments.isEmpty || arguments.contains("--help") || arguments.contains("-h") {
        terminal.out(Help.toolText(commands: commands))
        return arguments.isEmpty ? .usage : .success
      }
      // Name the first unknown option, if that is what stands in the way.
      _ = try ArgumentParser.parse(
        arguments, specs: GlobalOptions.specs + [OptionSpec(name: "version", help: "")],
        command: nil, environment: [:])
      throw UsageError(message: "No command given.", command: nil)
    }
    let name = arguments[index]
    var rest = arguments
    rest.remove(at: index)
    if name == "help" {
      return try help(rest, terminal: terminal)
    }
    guard let found = command(named: name) else {
      throw UsageError(message: "Unknown command '\(name)'." + suggestion(for: name), command: nil)
    }
    let parsed = try ArgumentParser.parse(
      rest, specs: found.options + GlobalOptions.specs, command: found.name,
      environment: environment)
    if parsed.flag("help") {
      terminal.out(Help.text(for: found))
      return .success
    }
    if found.arguments.isEmpty, let extra = parsed.positionals.first {
      throw UsageError(message: "Unexpected argument '\(extra)'.", command: found.name)
    }
    if parsed.flag("quiet"), parsed.flag("verbose") {
      throw UsageError(message: "Give --quiet or --verbose, not both.", command: found.name)
    }
    var terminal = terminal
    terminal.verbosity = parsed.flag("quiet") ? .quiet : parsed.flag("verbose") ? .verbose : .normal
    let context = CommandContext(arguments: parsed, terminal: terminal, commandName: found.name)
    try context.checkDatabaseOption()
    return try found.run(context)
  }

  private func help(_ arguments: [String], terminal: Terminal) throws -> ExitCode {
    guard let name = arguments.first else {
      terminal.out(Help.toolText(commands: commands))
      return .success
    }
    if name == "help" {
      terminal.out(Help.helpText)
      return .success
    }
    guard let command = command(named: name) else {
      throw UsageError(message: "Unknown command '\(name)'." + suggestion(for: name), command: nil)
    }
    terminal.out(Help.text(for: command))
    return .success
  }

  /// The position of the command word: the first argument that is neither an option nor
  /// the value of a global option given before the command (`-d app.sqlite status`).
  private func commandIndex(in arguments: [String]) -> Int? {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" { return index + 1 < arguments.count ? index + 1 : nil }
      guard argument.hasPrefix("-"), argument != "-" else { return index }
      let takesValue = GlobalOptions.specs.contains { spec in
        !spec.isFlag && (argument == "--\(spec.name)" || spec.short.map { "-\($0)" } == argument)
      }
      index += takesValue ? 2 : 1
    }
    return nil
  }

  private func command(named name: String) -> (any Command.Type)? {
    for command in commands where command.name == name || command.aliases.contains(name) {
      return command
    }
    return nil
  }

  private func suggestion(for name: String) -> String {
    var best: (name: String, distance: Int)?
    for command in commands {
      for word in [command.name] + command.aliases {
        let distance = EditDistance.between(name, word)
        if distance <= 2, distance < (best?.distance ?? Int.max) { best = (word, distance) }
      }
    }
    return best.map { " Did you mean '\($0.name)'?" } ?? ""
  }
}
