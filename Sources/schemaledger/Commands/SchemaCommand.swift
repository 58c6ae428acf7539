import FoundationEssentials
import SchemaLedger

/// `schemaledger schema`: the live schema in canonical form, to commit beside the
/// migrations; `--check FILE` fails when the database or the ledger no longer match it.
enum SchemaCommand: Command {
  static let name = "schema"
  static let overview = "Write the schema in canonical form, or check it against a file."
  static let usage = "schema [--output FILE | --check FILE] [options]"
  static let options = [
    OptionSpec(name: "output", valueName: "FILE", help: "Write the schema to FILE."),
    OptionSpec(
      name: "check", valueName: "FILE",
      help: "Exit 3, with the differences, when the database or the ledger differ from FILE."),
  ]
  static let discussion: String? =
    "The text is the one 'replay --schema' prints: every table, index, view and trigger, "
    + "sorted, one statement per line. EXIT CODES: 0 ok (or the same), 3 differs, 1 error, "
    + "64 usage."

  static func run(_ context: CommandContext) throws -> ExitCode {
    let ledger = try context.ledger(stoppable: true)
    if let path = context.arguments.value("check") {
      guard context.arguments.value("output") == nil else {
        throw UsageError(message: "Give --output or --check, not both.", command: name)
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw InputFileError(option: "check", path: path, reason: "it cannot be read")
      }
      let check = try ledger.checkSchema(expected: String(decoding: data, as: UTF8.self))
      if check.matches {
        context.terminal.out("OK: the database and the ledger's schema match \(path).")
        return .success
      }
      for (what, differences) in [("database", check.live), ("ledger's replay", check.replayed)]
      where !differences.isEmpty {
        context.terminal.out("The \(what) differs from \(path):")
        for difference in differences { context.terminal.out("  - \(difference)") }
      }
      context.terminal.out(
        "Update the file with 'schemaledger schema --output \(path)' if the change is the "
          + "migration's, or fix the migration.")
      return .attention
    }
    let text = try ledger.liveSchema().ddl
    if let path = context.arguments.value("output") {
      guard let file = TextFileWriter(path: path) else {
        throw InputFileError(option: "output", path: path, reason: "it cannot be created")
      }
      try file.write(text)
      try file.close()
    } else {
      context.terminal.out(text, terminator: "")
    }
    return .success
  }
}
