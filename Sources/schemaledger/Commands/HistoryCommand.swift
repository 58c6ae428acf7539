import Foundation
import SchemaLedger

/// `schemaledger history`: the ledger's events, oldest first.
enum HistoryCommand: Command {
  static let name = "history"
  static let overview = "Show the ledger's events, oldest first."
  static let usage = "history [--migration ID] [--json] [options]"
  static let options = [
    OptionSpec(name: "migration", valueName: "ID", help: "Only events of this migration."),
    OptionSpec(name: "json", help: "Print the events as a JSON array (with SQL and hashes)."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let filter = HistoryFilter(migration: context.arguments.value("migration"))
    let events = try context.ledger().history(filter)
    if context.arguments.flag("json") {
      context.terminal.out(JSONOutput.string(events.map(JSONOutput.event)))
      return .success
    }
    guard !events.isEmpty else {
      context.terminal.out("No events.")
      return .success
    }
    let rows = events.map { event -> [String] in
      let error = event.error.map { String($0.split(separator: "\n").first ?? "").prefix(80) }
      return [
        String(event.seq), event.recordedAt, event.kind.rawValue, event.migration ?? "",
        event.actor.description, event.durationMs.map { "\($0) ms" } ?? "",
        error.map(String.init) ?? "",
      ]
    }
    context.terminal.out(
      Table.render(
        header: ["SEQ", "TIME (UTC)", "KIND", "MIGRATION", "ACTOR", "DURATION", "ERROR"],
        rows: rows))
    return .success
  }
}
