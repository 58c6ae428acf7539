import SchemaLedger

/// `schemaledger history`: the ledger's events, oldest first, filtered.
enum HistoryCommand: Command {
  static let name = "history"
  static let overview = "Show the ledger's events, oldest first, filtered."
  static let usage =
    "history [--migration ID] [--kind KIND]... [--run RUN_ID] [--since TIME] [--until TIME] "
    + "[--limit N] [--json | --jsonl] [options]"
  static let options = [
    OptionSpec(name: "migration", valueName: "ID", help: "Only events of this migration."),
    OptionSpec(
      name: "kind", valueName: "KIND", isRepeatable: true,
      help: "Only events of this kind (repeatable): "
        + EventKind.allCases.map(\.rawValue).joined(separator: ", ") + "."),
    OptionSpec(name: "run", valueName: "RUN_ID", help: "Only events of this run."),
    OptionSpec(
      name: "since", valueName: "TIME", help: "Only events at or after TIME (2026-11-25, ISO-8601)."
    ),
    OptionSpec(name: "until", valueName: "TIME", help: "Only events before TIME."),
    OptionSpec(name: "limit", valueName: "N", help: "Only the N most recent matching events."),
    OptionSpec(name: "json", help: "Print the events as JSON (with SQL and hashes)."),
    OptionSpec(name: "jsonl", help: "Print one JSON event per line."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let events = try context.ledger().history(try filter(context))
    let terminal = context.terminal
    if context.arguments.flag("json") {
      terminal.out(JSONOutput.document(JSONOutput.history(events)))
      return .success
    }
    if context.arguments.flag("jsonl") {
      for event in events { terminal.out(event.jsonLine) }
      return .success
    }
    guard !events.isEmpty else {
      terminal.out("No events.")
      return .success
    }
    let rows = events.map { event -> [String] in
      let error = event.error.map { String(($0.split(separator: "\n").first ?? "").prefix(80)) }
      return [
        String(event.seq), event.recordedAt,
        event.kind.rawValue
          + (event.direction == .down ? " (down)" : ""),
        event.migration ?? "", event.actor.description,
        event.durationMs.map { "\($0) ms" } ?? "", error ?? event.detail ?? "",
      ]
    }
    terminal.out(
      Table.render(
        header: ["SEQ", "TIME (UTC)", "KIND", "MIGRATION", "ACTOR", "DURATION", "ERROR / DETAIL"],
        rows: rows))
    return .success
  }

  private static func filter(_ context: CommandContext) throws -> HistoryFilter {
    let arguments = context.arguments
    if arguments.flag("json"), arguments.flag("jsonl") {
      throw UsageError(message: "Choose one of --json and --jsonl.", command: name)
    }
    let kinds = try arguments.all("kind").map { text -> EventKind in
      guard let kind = EventKind(rawValue: text) else {
        throw UsageError(
          message: "Unknown kind '\(text)'. Kinds: "
            + EventKind.allCases.map(\.rawValue).joined(separator: ", ") + ".",
          command: name)
      }
      return kind
    }
    let limit = try context.count("limit")
    return HistoryFilter(
      migration: arguments.value("migration"), kinds: kinds, runID: arguments.value("run"),
      since: try context.time("since"), until: try context.time("until"), limit: limit)
  }
}
