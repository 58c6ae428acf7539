/// The keyed hash chain: from the `keyed` event on, every event's hash is an HMAC with
/// the operator's key (`LedgerKey`). The store hashes with the key only past that event;
/// a writer without the key, or with another one, is refused, so a keyed ledger never
/// goes back to plain hashes.
extension LedgerStore {
  /// The hash `event` must have here: keyed from the `keyed` event on. Without the key
  /// (a reader), a keyed event's own hash, which cannot be checked.
  func hash(of event: LedgerEvent) -> String {
    guard let keying, event.seq >= keying.seq else { return event.computedHash }
    guard let key else { return event.hash }
    return event.computedHash(key: key)
  }

  /// Reads whether the ledger is keyed (`schemaledger_meta` key `keyed`: `<seq> <key id>`).
  func loadKeying() throws {
    var value: String?
    try connection.query("SELECT value FROM schemaledger_meta WHERE key = 'keyed'", []) {
      value = $0.text(0)
    }
    let parts = value?.split(separator: " ") ?? []
    keying = parts.count == 2 ? Int64(parts[0]).map { ($0, String(parts[1])) } : nil
  }

  /// Refuses to write a keyed ledger without its key, or with another key.
  func requireKey() throws {
    guard let keying else { return }
    guard let key else {
      throw LedgerError.keyRequired(database: connection.location, keyID: keying.keyID)
    }
    guard key.id == keying.keyID else {
      throw LedgerError.wrongKey(
        database: connection.location, keyID: keying.keyID, givenID: key.id)
    }
  }

  /// Makes the ledger keyed from now on: appends the `keyed` event (itself keyed) and
  /// records where keying starts, in one transaction.
  func startKeying(runID: String, actor: LedgerActor) throws {
    guard let key else { return }
    try connection.inTransaction {
      keying = (lastSeq + 1, key.id)
      do {
        try append(
          LedgerEvent(
            kind: .keyed, runID: runID, actor: actor,
            detail: "hashes are HMAC-SHA-256 with the operator's key from this event on; "
              + "key id \(key.id)"))
        try setMeta("keyed", to: "\(lastSeq) \(key.id)")
      } catch {
        keying = nil
        throw error
      }
    }
  }
}
