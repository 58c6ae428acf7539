/// The in-place upgrade of an older ledger: the steps from each format to the next, run
/// in order in one transaction and recorded by one `upgraded` event.
extension LedgerStore {
  /// One step of the upgrade: brings a ledger of format `format - 1` to `format`, inside
  /// the caller's transaction, and says what it changed (for the `upgraded` event).
  struct UpgradeStep: Sendable {
    /// The format the step leaves the ledger in.
    let format: Int
    /// Runs the step; returns what changed.
    let run: @Sendable (LedgerStore) throws -> String
  }

  /// Every step, oldest first; the last one reaches `LedgerSchema.formatVersion`.
  static let upgradeSteps: [UpgradeStep] = [
    UpgradeStep(format: 2) { store in
      try store.connection.executeScript(
        try store.connection.ledgerDDL.upgrade(to: 2, database: store.connection.location))
      return LedgerSchema.upgradeSummary
    },
    UpgradeStep(format: 3) { store in try store.storeSQLTextsOnce() },
  ]

  /// Brings an older ledger to this build's format inside the caller's transaction: runs
  /// every step from the ledger's format on, then appends one `upgraded` event naming the
  /// formats and what each step changed. Events already recorded keep their hashes: no
  /// step changes a value the canonical encoding covers (format 2 hashes a one-number
  /// version as format 1 did; format 3 moves texts, and an event's hash covers its text,
  /// wherever it is stored).
  func upgrade(runID: String, actor: LedgerActor) throws {
    try checkFormat()  // another runner may have upgraded it while we waited
    guard format < LedgerSchema.formatVersion else { return }
    let from = format
    var changes: [String] = []
    for step in Self.upgradeSteps where step.format > format {
      changes.append(try step.run(self))
      format = step.format
    }
    try reloadTail()
    try append(
      LedgerEvent(
        kind: .upgraded, runID: runID, actor: actor,
        detail: "ledger format \(from) -> \(format): " + changes.joined(separator: "; ")))
  }

  /// The step to format 3: adds `sql_hash` and `down_sql_hash`, the table of texts and the
  /// view that resolves them, then moves every inline text into `schemaledger_sql` (each
  /// distinct text once, under its SHA-256, computed here) and leaves `sql` and `down_sql`
  /// `NULL` on the events that named them.
  ///
  /// That move updates event rows, which the no-update trigger refuses: the step drops the
  /// trigger and creates it again in the same transaction, so no other connection ever
  /// sees the ledger without it, and a failure undoes the whole upgrade. It changes where
  /// a text is stored, not what any event says: the event's hash covers the text itself
  /// (resolved through its address, the text's own SHA-256), so every hash stays valid,
  /// and `verify` recomputes them all from the resolved texts.
  func storeSQLTextsOnce() throws -> String {
    let ddl = connection.ledgerDDL
    try connection.executeScript(try ddl.upgrade(to: 3, database: connection.location))
    try connection.execute(ddl.dropEventsNoUpdateTrigger)
    var seqs: [Int64] = []
    try connection.query(
      """
      SELECT seq FROM schemaledger_events WHERE sql IS NOT NULL OR down_sql IS NOT NULL \
      ORDER BY seq
      """, []
    ) { seqs.append($0.int64(0) ?? 0) }
    var stored = Set<String>()
    var storedBytes = 0
    var movedBytes = 0
    var movedTexts = 0
    // One event at a time: a ledger may hold texts of many megabytes.
    for seq in seqs {
      var texts: [String?] = [nil, nil]
      try connection.query(
        "SELECT sql, down_sql FROM schemaledger_events WHERE seq = ?", [.integer(seq)]
      ) { row in texts = [row.text(0), row.text(1)] }
      var addresses: [SQLValue] = []
      for text in texts {
        guard let text else {
          addresses.append(.null)
          continue
        }
        let hash = SHA256.hexDigest(text)
        movedTexts += 1
        movedBytes += text.utf8.count
        if stored.insert(hash).inserted {
          storedBytes += text.utf8.count
          try connection.execute(
            "INSERT INTO schemaledger_sql (hash, text) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING",
            [.text(hash), .text(text)])
        }
        addresses.append(.text(hash))
      }
      try connection.execute(
        """
        UPDATE schemaledger_events SET sql = NULL, down_sql = NULL, sql_hash = ?, \
        down_sql_hash = ? WHERE seq = ?
        """, addresses + [.integer(seq)])
    }
    try connection.executeScript(ddl.eventsNoUpdateTrigger)
    try connection.execute(
      "UPDATE schemaledger_meta SET value = '3' WHERE key = 'format_version'")
    return "stored each distinct SQL text once in the new table schemaledger_sql, named "
      + "by its SHA-256 from the new columns sql_hash and down_sql_hash: moved \(movedTexts) "
      + "text\(movedTexts == 1 ? "" : "s") (\(movedBytes) bytes) of \(seqs.count) "
      + "event\(seqs.count == 1 ? "" : "s"), stored as \(stored.count) distinct "
      + "text\(stored.count == 1 ? "" : "s") (\(storedBytes) bytes); added the view "
      + "schemaledger_events_with_sql"
  }
}
