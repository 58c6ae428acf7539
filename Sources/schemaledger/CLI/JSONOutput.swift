import FoundationEssentials
import SchemaLedger

/// JSON renderings of library values, for `--json`. Keys are snake_case like the ledger's
/// columns; keys are sorted so output is stable.
enum JSONOutput {
  static func string(_ value: JSONValue) -> String { value.encoded(pretty: true) }

  static func migration(_ migration: Migration) -> JSONValue {
    [
      "id": .string(migration.id), "version": migration.version.json,
      "repeatable": .bool(migration.isRepeatable),
      "placeholders": .array(
        migration.placeholders.map(JSONValue.string)),
      "checksum": .string(migration.checksum), "file": .string(migration.upLocation.file),
      "up_sql": .string(migration.upSQL), "down_sql": JSONValue(migration.downSQL),
      "transactional": .bool(migration.transactionMode.isWrapped),
    ]
  }

  static func report(_ report: RunReport) -> JSONValue {
    [
      "run_id": JSONValue(report.runID),
      "steps": .array(
        report.steps.map {
          [
            "migration": .string($0.migration), "version": $0.version.json,
            "direction": .string($0.direction.rawValue),
            "duration_ms": JSONValue($0.durationMs), "transactional": .bool($0.transactional),
          ]
        }),
      "rehearsed": .bool(report.rehearsed),
      "recovered_interruptions": .array(report.recoveredInterruptions.map(interruption)),
      "current_version": report.currentVersion?.json ?? .null,
      "total_ms": JSONValue(report.totalMs),
      "head": report.head.map { ["seq": .integer($0.seq), "hash": .string($0.hash)] } ?? .null,
    ]
  }

  /// The run's ledger head on stderr (`ledger head: SEQ:HASH`), to keep outside the
  /// database as an anchor for `verify --anchor`.
  static func printHead(_ report: RunReport, _ terminal: Terminal) {
    guard !report.steps.isEmpty || !report.recoveredInterruptions.isEmpty,
      let head = report.head
    else { return }
    terminal.err("ledger head: \(head)\n")
  }

  static func interruption(_ attempt: UnfinishedAttempt) -> JSONValue {
    ["migration": .string(attempt.migration), "run_id": .string(attempt.runID)]
  }
}
