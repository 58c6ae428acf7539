import Foundation
import SchemaLedger

/// JSON renderings of library values, for `--json`. Keys are snake_case like the ledger's
/// columns; keys are sorted so output is stable.
enum JSONOutput {
  static func string(_ value: Any) -> String {
    let options: JSONSerialization.WritingOptions = [
      .prettyPrinted, .sortedKeys, .withoutEscapingSlashes,
    ]
    guard let data = try? JSONSerialization.data(withJSONObject: value, options: options)
    else { return "null" }
    return String(decoding: data, as: UTF8.self)
  }

  static func migration(_ migration: Migration) -> [String: Any] {
    var object: [String: Any] = [
      "id": migration.id, "version": migration.version, "checksum": migration.checksum,
      "file": migration.upLocation.file, "up_sql": migration.upSQL,
      "transactional": migration.transactionMode.isWrapped,
    ]
    object["down_sql"] = migration.downSQL ?? NSNull()
    return object
  }

  static func report(_ report: RunReport) -> [String: Any] {
    [
      "run_id": report.runID ?? NSNull(),
      "steps": report.steps.map {
        [
          "migration": $0.migration, "version": $0.version, "direction": $0.direction.rawValue,
          "duration_ms": $0.durationMs, "transactional": $0.transactional,
        ] as [String: Any]
      },
      "rehearsed": report.rehearsed,
      "recovered_interruptions": report.recoveredInterruptions.map {
        ["migration": $0.migration, "run_id": $0.runID]
      },
      "current_version": report.currentVersion ?? NSNull(),
      "total_ms": report.totalMs,
    ]
  }
}
