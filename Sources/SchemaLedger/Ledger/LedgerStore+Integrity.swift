/// The head anchor and the check every writer makes before acting.
///
/// Every append also records the last event's `seq` and hash in `schemaledger_meta` (key
/// `head`), in the same transaction. Deleting the newest events, deleting events in the
/// middle, replacing the last one or inserting rows by hand then shows as a disagreement
/// between the events and the anchor, which a writer checks before it trusts the ledger
/// to decide anything (`checkIntegrity()`), at the cost of a few small queries.
extension LedgerStore {
  /// The head anchor: the `seq` and hash of the last event SchemaLedger appended, or `nil`
  /// when no anchor was recorded yet (a new ledger, or one written before anchors).
  func headAnchor() throws -> (seq: Int64, hash: String)? {
    var value: String?
    try connection.query("SELECT value FROM schemaledger_meta WHERE key = 'head'", []) {
      value = $0.text(0)
    }
    let parts = value?.split(separator: " ") ?? []
    guard parts.count == 2, let seq = Int64(parts[0]) else { return nil }
    return (seq, String(parts[1]))
  }

  /// Records `seq` and `hash` as the head anchor (in the caller's transaction).
  func recordHead(seq: Int64, hash: String) throws {
    try setMeta("head", to: "\(seq) \(hash)")
  }

  /// Refuses a ledger that is not as SchemaLedger left it: events after the anchored head
  /// (not appended by SchemaLedger), events missing at the end or in the middle, a last
  /// event replaced or edited. Without an anchor (a ledger from before anchors), verifies
  /// the whole chain once and records the anchor, unless `anchoring` is off (a reader's
  /// no-op path, which writes nothing: a ledger without an anchor then passes). Throws
  /// `LedgerError.tampered`.
  func checkIntegrity(anchoring: Bool = true) throws {
    guard try exists() else { return }
    var count: Int64 = 0
    var last: LedgerEvent?
    try connection.query("SELECT count(*) FROM schemaledger_events", []) {
      count = $0.int64(0) ?? 0
    }
    try forEachEvent(after: max(0, try maxSeq() - 1)) { last = $0 }
    guard let anchor = try headAnchor() else {
      guard anchoring else { return }
      try verifyWholeChain()
      if let last {
        try connection.inTransaction { try recordHead(seq: last.seq, hash: last.hash) }
      }
      return
    }
    let tail = last?.seq ?? 0
    let gap = count != tail ? try firstGap() : nil
    if let (seq, finding) = Self.headFinding(
      anchor: anchor, tail: last.map { ($0.seq, $0.hash, hash(of: $0)) }, count: count,
      firstGap: gap)
    {
      throw LedgerError.tampered(database: connection.location, seq: seq, finding: finding)
    }
  }

  /// What is wrong with a ledger whose last event is `tail` (its `seq`, stored hash and
  /// recomputed hash) and which holds `count` events, given the head anchor; `nil` when
  /// they agree. Pure: `checkIntegrity()` and `verify` share it.
  static func headFinding(
    anchor: (seq: Int64, hash: String), tail: (seq: Int64, hash: String, computed: String)?,
    count: Int64, firstGap: Int64?
  ) -> (seq: Int64, finding: String)? {
    let tailSeq = tail?.seq ?? 0
    if tailSeq < anchor.seq {
      return (
        tailSeq + 1,
        "the newest events are gone: the ledger ends at #\(tailSeq), but SchemaLedger's head "
          + "anchor says it appended up to #\(anchor.seq) (events deleted)"
      )
    }
    if tailSeq > anchor.seq {
      return (
        anchor.seq + 1,
        "events #\(anchor.seq + 1)...#\(tailSeq) were not appended by SchemaLedger (its head "
          + "anchor says the ledger ends at #\(anchor.seq)): rows inserted by hand"
      )
    }
    if let tail, tail.hash != anchor.hash || tail.computed != tail.hash {
      return (
        tail.seq,
        "the last event was replaced or edited (its hash no longer matches the head anchor "
          + "or its fields)"
      )
    }
    if count != tailSeq {
      let missing = tailSeq - count
      return (
        firstGap ?? 1,
        "\(missing) event\(missing == 1 ? " is" : "s are") missing before #\(tailSeq) "
          + "(deleted rows); the first missing one is #\(firstGap ?? 1)"
      )
    }
    return nil
  }

  /// The highest `seq`, or 0.
  private func maxSeq() throws -> Int64 {
    var seq: Int64 = 0
    try connection.query("SELECT max(seq) FROM schemaledger_events", []) {
      seq = $0.int64(0) ?? 0
    }
    return seq
  }

  /// The first `seq` missing below the highest one.
  private func firstGap() throws -> Int64 {
    var gap: Int64 = 1
    try connection.query(
      """
      SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM schemaledger_events WHERE seq = 1) THEN 1
        ELSE (SELECT min(seq) + 1 FROM schemaledger_events AS e WHERE NOT EXISTS (
          SELECT 1 FROM schemaledger_events AS n WHERE n.seq = e.seq + 1)) END
      """, []
    ) { gap = $0.int64(0) ?? 1 }
    return gap
  }

  /// Checks every event's hash and link; throws `tampered` at the first break.
  private func verifyWholeChain() throws {
    var chain = ChainVerifier(key: key)
    try forEachEvent { chain.check($0) }
    if let broken = chain.firstBreak {
      throw LedgerError.tampered(
        database: connection.location, seq: broken.seq, finding: broken.reason)
    }
  }
}
