import FoundationEssentials
import SchemaLedger

/// `schemaledger replay`: the state (and schema) as it was at a point of the ledger.
enum ReplayCommand: Command {
  static let name = "replay"
  static let overview = "Show the state, and optionally the schema, as it was at a point."
  static let usage = "replay [--at SEQ|TIME] [--schema] [--json] [options]"
  static let options = [
    OptionSpec(
      name: "at", valueName: "SEQ|TIME",
      help: "After this event number, or the last event at or before this time (default: now)."),
    OptionSpec(
      name: "schema", help: "Print the schema reconstructed from the recorded SQL (sorted DDL)."),
    OptionSpec(name: "json", help: "Print the result as JSON."),
  ]

  static func run(_ context: CommandContext) throws -> ExitCode {
    let point = try self.point(context)
    let wantsSchema = context.arguments.flag("schema")
    let replay = try context.ledger(stoppable: wantsSchema).replay(
      at: point, schema: wantsSchema)
    let state = replay.state
    let terminal = context.terminal
    // A time after the last event is legitimately "now": show the state, and say so.
    var endNote: String?
    if case .time(let time)? = point, replay.isAtEnd {
      endNote = "no event after \(time); this is the current state"
    }
    if context.arguments.flag("json") {
      terminal.out(JSONOutput.document(JSONOutput.replay(replay)))
      return .success
    }
    if wantsSchema, let schema = replay.schema {
      terminal.out(schema.ddl, terminator: "")
      for note in replay.notes + [endNote].compactMap({ $0 }) { terminal.err("note: \(note)\n") }
      return .success
    }
    let version = state.currentVersion.map(\.description) ?? "none"
    terminal.out(
      "After event #\(state.lastSeq) (\(state.eventCount) events): version \(version)"
        + (endNote.map { " (\($0))" } ?? ""))
    if let run = state.runs.last {
      terminal.out("Last run: \(run.id) by \(run.actor) at \(run.lastEventAt)")
    }
    let rows = state.appliedMigrations.map {
      [
        $0.version.isRepeatable ? "R" : $0.version.description, $0.id, $0.changedAt ?? "",
        $0.changedBy?.description ?? "",
      ]
    }
    terminal.out(
      rows.isEmpty
        ? "No migration applied."
        : Table.render(header: ["VERSION", "MIGRATION", "APPLIED AT", "BY"], rows: rows))
    return .success
  }

  private static func point(_ context: CommandContext) throws -> ReplayPoint? {
    guard let text = context.arguments.value("at") else { return nil }
    if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
      guard let seq = Int64(text) else {
        throw UsageError(
          message: "--at \(text) is too large: give at most \(Int64.max).", command: name)
      }
      return .seq(seq)
    }
    guard let time = Timestamp.parse(text) else {
      throw UsageError(
        message: "--at needs an event number or a time like 2026-11-25T08:50:00Z, not '\(text)'.",
        command: name)
    }
    return .time(time)
  }
}
