extension LedgerEvent {
  /// The `prevHash` of the first event.
  public static let genesisHash = String(repeating: "0", count: 64)

  /// The canonical encoding the hash is computed over: the prefix `schemaledger-event-v1\n`,
  /// then every field in a fixed order, each as `<UTF-8 byte count>:<value>;`, or `-;`
  /// for `NULL`. Integers are decimal, Booleans `1`/`0`. Unambiguous whatever the text
  /// contains, and easy to reproduce outside Swift (see `ledger/EVENTS.md`).
  public var canonicalEncoding: String {
    var encoding = ""
    forEachCanonicalPiece { encoding += $0 }
    return encoding
  }

  /// Calls `body` with the pieces of `canonicalEncoding`, in order.
  private func forEachCanonicalPiece(_ body: (String) -> Void) {
    body("schemaledger-event-v1\n")
    func field(_ value: String?) {
      guard let value else {
        body("-;")
        return
      }
      body(String(value.utf8.count))
      body(":")
      body(value)
      body(";")
    }
    field(String(seq))
    field(kind.rawValue)
    field(migration)
    field(version.map(\.description))
    field(direction?.rawValue)
    field(checksum)
    field(runID)
    field(actor.user)
    field(actor.host)
    field(String(actor.pid))
    field(recordedAt)
    field(durationMs.map(String.init))
    field(transactional.map { $0 ? "1" : "0" })
    field(sql)
    field(downSQL)
    field(error)
    field(errorCode.map(String.init))
    field(detail)
    field(dependsOn?.joined(separator: " "))
    field(schemaFingerprint)
    field(prevHash)
  }

  /// Lowercase hex SHA-256 of `canonicalEncoding`, computed by feeding the fields to the
  /// hasher one by one (no encoding string is built).
  public var computedHash: String {
    var hasher = SHA256()
    forEachCanonicalPiece { hasher.update($0) }
    return SHA256.hex(hasher.finalize())
  }

  /// The hash of this event in a chain keyed with `key`: lowercase hex HMAC-SHA-256 of
  /// `canonicalEncoding`; `computedHash` when `key` is `nil`.
  public func computedHash(key: LedgerKey?) -> String {
    guard let key else { return computedHash }
    var hmac = HMACSHA256(key: key.bytes)
    forEachCanonicalPiece { hmac.update($0) }
    return SHA256.hex(hmac.finalize())
  }
}
