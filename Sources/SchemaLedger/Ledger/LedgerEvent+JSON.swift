import Foundation

extension LedgerEvent {
  /// The event as a JSON object with the ledger's column names as keys (`NSNull` for
  /// `NULL`): the format of `history --json` and of each line of `export`.
  public var jsonObject: [String: Any] {
    func value(_ optional: Any?) -> Any { optional ?? NSNull() }
    return [
      "seq": seq, "kind": kind.rawValue, "migration": value(migration),
      "version": value(version), "direction": value(direction?.rawValue),
      "checksum": value(checksum), "run_id": runID, "actor_user": actor.user,
      "actor_host": actor.host, "actor_pid": actor.pid, "recorded_at": recordedAt,
      "duration_ms": value(durationMs), "transactional": value(transactional),
      "sql": value(sql), "down_sql": value(downSQL), "error": value(error),
      "error_code": value(errorCode), "detail": value(detail),
      "depends_on": value(dependsOn?.joined(separator: " ")),
      "schema_fingerprint": value(schemaFingerprint), "prev_hash": prevHash, "hash": hash,
    ]
  }

  /// One line of JSON (keys sorted), for JSON Lines output.
  public var jsonLine: String {
    let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? JSONSerialization.data(withJSONObject: jsonObject, options: options))
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
  }

  /// Reads an event back from `jsonObject`'s form. Throws `LedgerError.unreadableEvent`
  /// naming `source` (for example `export.jsonl:12`) when a field is missing or wrong.
  public init(jsonObject object: [String: Any], source: String) throws {
    let seq = (object["seq"] as? NSNumber)?.int64Value ?? 0
    func fail(_ reason: String) -> LedgerError {
      .unreadableEvent(database: source, seq: seq, reason: reason)
    }
    func text(_ key: String) -> String? { object[key] as? String }
    func integer(_ key: String) -> Int64? { (object[key] as? NSNumber)?.int64Value }
    guard let kindText = text("kind"), let kind = EventKind(rawValue: kindText) else {
      throw fail("unknown or missing kind")
    }
    var direction: Direction?
    if let value = text("direction") {
      guard let parsed = Direction(rawValue: value) else { throw fail("unknown direction") }
      direction = parsed
    }
    guard let runID = text("run_id"), let user = text("actor_user"),
      let host = text("actor_host"), let pid = integer("actor_pid"),
      let recordedAt = text("recorded_at"), let prevHash = text("prev_hash"),
      let hash = text("hash")
    else { throw fail("a required field is missing") }
    self.init(
      kind: kind, migration: text("migration"), version: integer("version"),
      direction: direction, checksum: text("checksum"), runID: runID,
      actor: LedgerActor(user: user, host: host, pid: pid), recordedAt: recordedAt,
      durationMs: integer("duration_ms"),
      transactional: (object["transactional"] as? NSNumber)?.boolValue, sql: text("sql"),
      downSQL: text("down_sql"), error: text("error"), errorCode: integer("error_code"),
      detail: text("detail"),
      dependsOn: text("depends_on").map { $0.split(separator: " ").map(String.init) },
      schemaFingerprint: text("schema_fingerprint"), seq: seq,
      prevHash: prevHash, hash: hash)
  }
}
