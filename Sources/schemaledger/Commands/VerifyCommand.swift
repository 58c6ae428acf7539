import FoundationEssentials
import SchemaLedger

/// `schemaledger verify`: checks the ledger, the files and the live schema.
enum VerifyCommand: Command {
  static let name = "verify"
  static let overview =
    "Check the hash chain, the append-only triggers, the files and the live schema."
  static let usage = "verify [--export FILE] [--anchor SEQ:HASH]... [--json] [options]"
  static let options = [
    OptionSpec(
      name: "export", valueName: "FILE",
      help: "Check an exported JSON Lines file on its own instead of the database."),
    OptionSpec(
      name: "anchor", valueName: "SEQ:HASH", isRepeatable: true,
      help: "Check that event SEQ still has HASH (a head printed by an earlier run)."),
    OptionSpec(name: "json", help: "Print the findings as JSON."),
  ]
  static let discussion: String? =
    "EXIT CODES: 0 everything holds, 3 something was found, 1 error, 64 usage."

  static func run(_ context: CommandContext) throws -> ExitCode {
    let report: VerificationReport
    if let path = context.arguments.value("export") {
      guard let data = FileManager.default.contents(atPath: path) else {
        let reason =
          FileManager.default.fileExists(atPath: path)
          ? "it cannot be read" : "there is no such file"
        throw InputFileError(option: "export", path: path, reason: reason)
      }
      let lines = String(decoding: data, as: UTF8.self).split(
        separator: "\n", omittingEmptySubsequences: false
      ).map(String.init)
      report = SchemaMigrator.verifyExport(
        lines: lines, path: path, key: try context.ledgerKey())
    } else {
      report = try context.ledger(stoppable: true).verify(anchors: try anchors(context))
    }
    let terminal = context.terminal
    if context.arguments.flag("json") {
      terminal.out(JSONOutput.document(JSONOutput.verification(report)))
    } else if report.isClean {
      terminal.out(
        "OK: \(report.eventsChecked) events checked; the hash chain, the triggers, the files "
          + "and the schema all hold.")
    } else {
      terminal.out(
        "\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") found:")
      for problem in report.problems { terminal.out("- \(problem)") }
    }
    for note in report.notes where !context.arguments.flag("json") {
      terminal.err("note: \(note)\n")
    }
    return report.isClean ? .success : .attention
  }

  /// The `--anchor SEQ:HASH` options, or a usage error naming the bad one.
  private static func anchors(_ context: CommandContext) throws -> [LedgerHead] {
    try context.arguments.all("anchor").map { text in
      let parts = text.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, let seq = Int64(parts[0]), seq > 0,
        parts[1].count == 64, parts[1].allSatisfy(\.isHexDigit)
      else {
        throw UsageError(
          message: "--anchor needs SEQ:HASH (an event number and its 64-digit hash, as "
            + "'ledger head:' prints them), not '\(text)'.",
          command: name)
      }
      return LedgerHead(seq: seq, hash: parts[1].lowercased())
    }
  }
}
