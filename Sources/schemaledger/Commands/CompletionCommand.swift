/// `schemaledger completion bash|zsh|fish`: a shell completion script for the commands,
/// their aliases and their options, generated from the same definitions as the help.
enum CompletionCommand: Command {
  static let name = "completion"
  static let overview = "Print a shell completion script (bash, zsh or fish)."
  static let usage = "completion bash|zsh|fish"
  static let arguments = [(name: "SHELL", help: "bash, zsh or fish.")]
  static let options: [OptionSpec] = []
  static let discussion: String? =
    "bash: source <(schemaledger completion bash)   zsh: source <(schemaledger completion "
    + "zsh)   fish: schemaledger completion fish | source"

  static func run(_ context: CommandContext) throws -> ExitCode {
    guard context.arguments.positionals.count == 1 else {
      throw UsageError(message: "Give one shell: bash, zsh or fish.", command: name)
    }
    let commands = CommandLineTool.allCommands
    switch context.arguments.positionals[0] {
    case "bash": context.terminal.out(bash(commands))
    case "zsh": context.terminal.out(zsh(commands))
    case "fish": context.terminal.out(fish(commands))
    case let other:
      throw UsageError(
        message: "Unknown shell '\(other)'; give bash, zsh or fish.", command: name)
    }
    return .success
  }

  /// Every word that names a command.
  private static func words(_ commands: [any Command.Type]) -> [String] {
    commands.flatMap { [$0.name] + $0.aliases } + ["help"]
  }

  /// The long options of `command`, the global ones included.
  private static func options(_ command: any Command.Type) -> [String] {
    (command.options + GlobalOptions.specs).map { "--" + $0.name }
  }

  static func bash(_ commands: [any Command.Type]) -> String {
    let cases = commands.map { command in
      let names = ([command.name] + command.aliases).joined(separator: "|")
      return "    \(names)) opts=\"\(options(command).joined(separator: " "))\" ;;"
    }
    return """
      # bash completion for schemaledger: source <(schemaledger completion bash)
      _schemaledger() {
        local cur="${COMP_WORDS[COMP_CWORD]}" command="" opts="" i
        for ((i = 1; i < COMP_CWORD; i++)); do
          case "${COMP_WORDS[i]}" in -*) ;; *) command="${COMP_WORDS[i]}"; break ;; esac
        done
        if [[ -z "$command" ]]; then
          COMPREPLY=($(compgen -W "\(words(commands).joined(separator: " "))" -- "$cur"))
          return
        fi
        case "$command" in
      \(cases.joined(separator: "\n"))
        esac
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
      }
      complete -o default -F _schemaledger schemaledger
      """
  }

  static func zsh(_ commands: [any Command.Type]) -> String {
    let cases = commands.map { command in
      let names = ([command.name] + command.aliases).joined(separator: "|")
      return "    \(names)) compadd -- \(options(command).joined(separator: " ")) ;;"
    }
    return """
      #compdef schemaledger
      # zsh completion for schemaledger: source <(schemaledger completion zsh)
      _schemaledger() {
        if (( CURRENT == 2 )); then
          compadd -- \(words(commands).joined(separator: " "))
          return
        fi
        case "${words[2]}" in
      \(cases.joined(separator: "\n"))
        esac
        _files
      }
      compdef _schemaledger schemaledger
      """
  }

  static func fish(_ commands: [any Command.Type]) -> String {
    var lines = [
      "# fish completion for schemaledger: schemaledger completion fish | source",
      "complete -c schemaledger -f -n '__fish_use_subcommand' -a '"
        + words(commands).joined(separator: " ") + "'",
    ]
    for command in commands {
      let names = ([command.name] + command.aliases).joined(separator: " ")
      for option in command.options + GlobalOptions.specs {
        lines.append(
          "complete -c schemaledger -n '__fish_seen_subcommand_from \(names)' -l \(option.name)"
            + (option.isFlag ? "" : " -r") + " -d '"
            + option.help.filter { $0 != "'" } + "'")
      }
    }
    return lines.joined(separator: "\n")
  }
}
