import FoundationEssentials

extension LedgerEvent {
  /// The event as a JSON object with the ledger's column names as keys (`null` for
  /// `NULL`), plus `actor`, the three `actor_` columns as one object (as in every other
  /// JSON output): the format of `history --json` and of each line of `export`.
  package var json: JSONValue {
    [
      "seq": .integer(seq), "kind": .string(kind.rawValue), "migration": JSONValue(migration),
      "version": version.map(\.json) ?? .null, "direction": JSONValue(direction?.rawValue),
      "checksum": JSONValue(checksum), "run_id": .string(runID),
      "actor_user": .string(actor.user), "actor_host": .string(actor.host),
      "actor_pid": .integer(actor.pid), "actor": actor.json, "recorded_at": .string(recordedAt),
      "duration_ms": JSONValue(durationMs), "transactional": JSONValue(transactional),
      "sql": JSONValue(sql), "down_sql": JSONValue(downSQL), "error": JSONValue(error),
      "error_code": JSONValue(errorCode), "detail": JSONValue(detail),
      "depends_on": JSONValue(dependsOn?.joined(separator: " ")),
      "schema_fingerprint": JSONValue(schemaFingerprint), "prev_hash": .string(prevHash),
      "hash": .string(hash),
    ]
  }

  /// One line of JSON (keys sorted), for JSON Lines output.
  public var jsonLine: String { json.encoded() }

  /// Reads an event back from `json`'s form. The columns are what counts (the hash covers
  /// them); `actor` may be missing (exports written before it existed), but when present
  /// it must say what the `actor_` columns say, so an edit of either shows. Throws
  /// `LedgerError.unreadableEvent` naming `source` (for example `export.jsonl:12`) when a
  /// field is missing or wrong.
  package init(json object: JSONValue, source: String) throws {
    let seq = object["seq"]?.integerValue ?? 0
    func fail(_ reason: String) -> LedgerError {
      .unreadableEvent(database: source, seq: seq, reason: reason)
    }
    func text(_ key: String) -> String? { object[key]?.stringValue }
    func integer(_ key: String) -> Int64? { object[key]?.integerValue }
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
    let actor = LedgerActor(user: user, host: host, pid: pid)
    if let value = object["actor"], LedgerActor(json: value) != actor {
      throw fail("its actor object disagrees with actor_user, actor_host and actor_pid")
    }
    self.init(
      kind: kind, migration: text("migration"),
      version: object["version"].flatMap(MigrationVersion.init(json:)),
      direction: direction, checksum: text("checksum"), runID: runID,
      actor: actor, recordedAt: recordedAt,
      durationMs: integer("duration_ms"),
      transactional: object["transactional"]?.boolValue, sql: text("sql"),
      downSQL: text("down_sql"), error: text("error"), errorCode: integer("error_code"),
      detail: text("detail"),
      dependsOn: text("depends_on").map { $0.split(separator: " ").map(String.init) },
      schemaFingerprint: text("schema_fingerprint"), seq: seq,
      prevHash: prevHash, hash: hash)
  }
}
