import FoundationEssentials
import SchemaLedger

/// `schemaledger export`: every event as JSON Lines, hash chain included.
enum ExportCommand: Command {
  static let name = "export"
  static let overview = "Write every event as JSON Lines (with the hash chain)."
  static let usage = "export [--output FILE] [options]"
  static let options = [
    OptionSpec(name: "output", short: "o", valueName: "FILE", help: "Write to FILE, not stdout.")
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let ledger = try context.ledger()
    guard let path = context.arguments.value("output") else {
      try ledger.export { context.terminal.out($0) }
      return .success
    }
    guard let file = TextFileWriter(path: path) else {
      throw InputFileError(option: "output", path: path, reason: "it cannot be created")
    }
    var count = 0
    try ledger.export { line in
      try file.write(line + "\n")
      count += 1
    }
    try file.close()
    context.terminal.err("exported \(count) events to \(path)\n")
    return .success
  }
}
