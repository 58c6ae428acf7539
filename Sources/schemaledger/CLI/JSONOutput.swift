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

  static func event(_ event: LedgerEvent) -> [String: Any] {
    var object: [String: Any] = [
      "seq": event.seq, "kind": event.kind.rawValue, "run_id": event.runID,
      "actor_user": event.actor.user, "actor_host": event.actor.host,
      "actor_pid": event.actor.pid, "recorded_at": event.recordedAt,
      "prev_hash": event.prevHash, "hash": event.hash,
    ]
    object["migration"] = event.migration ?? NSNull()
    object["version"] = event.version ?? NSNull()
    object["direction"] = event.direction?.rawValue ?? NSNull()
    object["checksum"] = event.checksum ?? NSNull()
    object["duration_ms"] = event.durationMs ?? NSNull()
    object["transactional"] = event.transactional ?? NSNull()
    object["sql"] = event.sql ?? NSNull()
    object["down_sql"] = event.downSQL ?? NSNull()
    object["error"] = event.error ?? NSNull()
    object["error_code"] = event.errorCode ?? NSNull()
    object["detail"] = event.detail ?? NSNull()
    return object
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
