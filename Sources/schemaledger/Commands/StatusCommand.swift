import FoundationEssentials
import SchemaLedger

/// `schemaledger status`: every migration's state.
enum StatusCommand: Command {
  static let name = "status"
  static let aliases = ["info"]
  static let overview = "Show each migration's state: applied, pending, failed, drifted."
  static let usage = "status [--json] [--exit-code] [options]"
  static let options = [
    OptionSpec(name: "json", help: "Print the status as JSON."),
    OptionSpec(
      name: "exit-code",
      help: "Exit 3 when anything is pending, failed, drifted or missing its file."),
  ]
  static let discussion: String? =
    "EXIT CODES: 0 up to date (or --exit-code not given), 1 error, "
    + "3 attention needed (with --exit-code), 64 usage."

  static func run(_ context: CommandContext) throws -> ExitCode {
    let ledger = try context.ledger()
    let report = try ledger.status()
    if context.arguments.flag("json") {
      context.terminal.out(
        JSONOutput.document(
          JSONOutput.status(report, databaseExists: ledger.databaseExists)))
    } else {
      if !ledger.databaseExists {
        context.terminal.out(
          "No database at \(ledger.databasePath) yet: 'apply' would create it. What it would "
            + "apply:\n")
      }
      if let holder = report.activeRun {
        context.terminal.out(
          "A run is in progress: \(holder)."
            + (report.isLedgerReadable
              ? "\n"
              : " Its step holds the database, so the ledger cannot be read until the step "
                + "commits; the files are listed without their state. Nothing waited.\n"))
      }
      render(report, context.terminal)
    }
    let needsAttention = report.entries.contains { $0.state != .applied }
    return context.arguments.flag("exit-code") && needsAttention ? .attention : .success
  }

  private static func render(_ report: MigrationStatusReport, _ terminal: Terminal) {
    let rows = report.entries.map { entry -> [String] in
      var state = entry.state == .missingFile ? "missing file" : entry.state.rawValue
      if entry.isOutOfOrder { state += " (out of order)" }
      if entry.downSectionEdited { state += " (down edited)" }
      if entry.runsOutsideTransaction { state += " (no tx)" }
      return [
        entry.version.isRepeatable ? "R" : entry.version.description, entry.id, state,
        entry.appliedAt ?? "",
        entry.appliedBy?.description ?? entry.lastError ?? "",
      ]
    }
    if rows.isEmpty {
      terminal.out("No migrations.")
    } else {
      terminal.out(
        Table.render(
          header: ["VERSION", "MIGRATION", "STATE", "APPLIED AT", "BY / LAST ERROR"], rows: rows))
    }
    let pending = report.entries.filter {
      [.pending, .failed, .interrupted].contains($0.state)
    }.count
    let version = report.currentVersion.map { "version \($0)" } ?? "no version applied"
    let layout = report.layout.map { " Layout: \($0.rawValue)." } ?? ""
    terminal.out("\nDatabase at \(version); \(pending) pending.\(layout)")
  }
}
