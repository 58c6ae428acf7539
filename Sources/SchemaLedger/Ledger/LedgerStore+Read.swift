/// Reading events back: whole, as projection rows, filtered, and single recorded texts.
extension LedgerStore {
  /// Calls `body` with each event in `seq` order, every field loaded, streaming (one
  /// event in memory at a time). `after` skips events up to and including that `seq`.
  func forEachEvent(
    after: Int64 = 0, through: Int64 = .max, _ body: (LedgerEvent) throws -> Void
  ) throws {
    let sql =
      "SELECT \(allColumns) FROM \(eventsWithTexts) WHERE e.seq > ? AND e.seq <= ? "
      + "ORDER BY e.seq"
    let location = connection.location
    // Repeated ids, checksums and actors share one `String` across the read.
    var texts = TextInterner()
    try connection.query(sql, [.integer(after), .integer(through)]) { row in
      try body(try Self.event(from: row, database: location, texts: &texts))
    }
  }

  /// Calls `body` with each event in `seq` order as the projection reads it: a
  /// `ProjectionRow` that decodes a column only when asked, so replaying a long ledger
  /// reads neither the SQL texts nor the hashes, and allocates few strings.
  func forEachProjectionRow(
    after: Int64 = 0, through: Int64 = .max, _ body: (ProjectionRow) throws -> Void
  ) throws {
    let location = connection.location
    try connection.query(
      ProjectionRow.select(format: format), [.integer(after), .integer(through)]
    ) { row in
      try body(try ProjectionRow(row: row, database: location))
    }
  }

  /// Calls `body` with each event `filter` selects, oldest first, with its SQL. Uses the
  /// `(migration, seq)` index when filtering by migration.
  func forEachEvent(matching filter: HistoryFilter, _ body: (LedgerEvent) throws -> Void)
    throws
  {
    let (clause, arguments) = filter.whereClause
    var select = "SELECT \(allColumns) FROM \(eventsWithTexts) \(clause)"
    var bound = arguments
    if let limit = filter.limit {
      select = "SELECT * FROM (\(select) ORDER BY seq DESC LIMIT ?) AS newest"
      bound.append(.integer(Int64(limit)))
    }
    let location = connection.location
    var texts = TextInterner()
    try connection.query(select + " ORDER BY seq", bound) { row in
      try body(try Self.event(from: row, database: location, texts: &texts))
    }
  }

  /// Every column of `eventsWithTexts`, in `event(from:)` order: a format-1 ledger has
  /// no `version_text`; from format 3 the texts come from `schemaledger_sql`.
  private var allColumns: String {
    """
    e.seq, e.kind, e.migration, e.version, e.direction, e.checksum, e.run_id, e.actor_user, \
    e.actor_host, e.actor_pid, e.recorded_at, e.duration_ms, e.transactional, \
    \(format >= 3 ? "coalesce(e.sql, s.text), coalesce(e.down_sql, d.text)" : "e.sql, e.down_sql"), \
    e.error, e.error_code, e.detail, e.depends_on, e.schema_fingerprint, e.prev_hash, e.hash, \
    \(format >= 2 ? "e.version_text" : "NULL")
    """
  }

  /// The events as `e`, joined from format 3 with their texts (`s`: `sql`, `d`:
  /// `down_sql`), so that every event read carries its SQL.
  private var eventsWithTexts: String {
    format >= 3
      ? """
      schemaledger_events AS e \
      LEFT JOIN schemaledger_sql AS s ON s.hash = e.sql_hash \
      LEFT JOIN schemaledger_sql AS d ON d.hash = e.down_sql_hash
      """
      : "schemaledger_events AS e"
  }

  /// The `seq` of the last event recorded at or before `time` (ledger order: the first
  /// event after `time` ends the range); `Int64.max` when no event is later.
  func lastSeq(atOrBefore time: String) throws -> Int64 {
    var firstAfter: Int64?
    try connection.query(
      "SELECT min(seq) FROM schemaledger_events WHERE recorded_at > ?", [.text(time)]
    ) { firstAfter = $0.int64(0) }
    return firstAfter.map { $0 - 1 } ?? .max
  }

  /// The names of the append-only triggers present now (on the events and the texts).
  func presentTriggers() throws -> Set<String> {
    let guarded: Set = [LedgerSchema.eventsTable, LedgerSchema.sqlTable]
    return Set(
      try connection.catalogObjects(.named(prefix: LedgerSchema.objectPrefix))
        .filter { $0.type == "trigger" && guarded.contains($0.table) }.map(\.name))
  }

  /// The append-only triggers this connection's engine creates for a ledger of its
  /// format (`LedgerDDL.guardTriggers`), or SQLite's for an older format.
  func expectedTriggers() -> Set<String> {
    format == LedgerSchema.formatVersion
      ? connection.ledgerDDL.guardTriggers : Self.triggerNames(format: format)
  }

  /// The trigger names `ledger/schema.sql` creates for a SQLite ledger of `format` (the
  /// texts' two from format 3).
  static func triggerNames(format: Int) -> Set<String> {
    var names: Set<String> = ["schemaledger_events_no_update", "schemaledger_events_no_delete"]
    if format >= 3 {
      names.formUnion(["schemaledger_sql_no_update", "schemaledger_sql_no_delete"])
    }
    return names
  }

  /// The last `baselined` event's `seq` and the highest version any `baselined` event
  /// records, or `nil` when the database was never adopted with a baseline.
  func lastBaseline() throws -> (seq: Int64, version: MigrationVersion)? {
    var result: (Int64, MigrationVersion)?
    try forEachEvent(matching: HistoryFilter(kinds: [.baselined])) { event in
      guard let version = event.version else { return }
      result = (event.seq, max(result?.1 ?? version, version))
    }
    return result
  }

  /// The SQL recorded on the event `seq`, or `nil`.
  func recordedSQL(seq: Int64) throws -> String? {
    try recordedText(seq: seq, column: "sql")
  }

  /// The down SQL recorded on the event `seq` (an `applied` event), or `nil`.
  func recordedDownSQL(seq: Int64) throws -> String? {
    try recordedText(seq: seq, column: "down_sql")
  }

  /// The down SQL recorded on each event of `seqs` that has one, by `seq`: in a few
  /// queries rather than one per event (a rollback plan, the folder's down sections),
  /// which on a server is a round trip each. Checked as `recordedDownSQL(seq:)` checks
  /// one text.
  func recordedDownSQL(seqs: [Int64]) throws -> [Int64: String] {
    var texts: [Int64: String] = [:]
    let unique = Array(Set(seqs)).sorted()
    var start = 0
    while start < unique.count {
      let chunk = Array(unique[start..<min(start + 500, unique.count)])
      try recordedTexts(seqs: chunk, column: "down_sql") { texts[$0] = $1 }
      start += chunk.count
    }
    return texts
  }

  /// The applied migrations whose file's down section differs from the down SQL a
  /// rollback would use (`DownSectionCheck`), with the recorded texts read at once.
  func downSectionEdited(state: LedgerState, source: MigrationSource) throws -> [String] {
    let texts = try recordedDownSQL(
      seqs: DownSectionCheck.recordedDownSQLSeqs(state: state, source: source))
    return DownSectionCheck.edited(state: state, source: source) { texts[$0] }
  }

  /// The text of `column` (`sql` or `down_sql`) of event `seq`, resolved from format 3 by
  /// its hash. SchemaLedger runs these texts (a rollback, a repeatable's previous
  /// application), so a text that no longer hashes to its address is refused
  /// (`LedgerError.tampered`) rather than run.
  private func recordedText(seq: Int64, column: String) throws -> String? {
    var text: String?
    try recordedTexts(seqs: [seq], column: column) { text = $1 }
    return text
  }

  /// Calls `body` with the text of `column` of each event of `seqs` that has one (see
  /// `recordedText(seq:column:)`).
  private func recordedTexts(
    seqs: [Int64], column: String, _ body: (Int64, String) -> Void
  ) throws {
    if !formatRead { try checkFormat() }
    let list = Array(repeating: "?", count: seqs.count).joined(separator: ", ")
    let arguments = seqs.map { SQLValue.integer($0) }
    guard format >= 3 else {
      try connection.query(
        "SELECT seq, \(column) FROM schemaledger_events WHERE seq IN (\(list))", arguments
      ) { row in
        if let seq = row.int64(0), let text = row.text(1) { body(seq, text) }
      }
      return
    }
    var tampered: LedgerError?
    try connection.query(
      """
      SELECT e.seq, coalesce(e.\(column), s.text), e.\(column)_hash \
      FROM schemaledger_events AS e \
      LEFT JOIN schemaledger_sql AS s ON s.hash = e.\(column)_hash WHERE e.seq IN (\(list))
      """, arguments
    ) { row in
      let seq = row.int64(0) ?? 0
      let text = row.text(1)
      // Hashed through the store's memo: the text is stored, and a rollback that
      // records it again neither hashes nor writes it a second time.
      let computed = text.map { address(of: $0) }
      if let address = row.text(2), computed?.hex != address {
        if tampered == nil {
          tampered = LedgerError.tampered(
            database: connection.location, seq: seq,
            finding: text == nil
              ? "its \(column) names the text \(address), which schemaledger_sql does not "
                + "hold (deleted rows)"
              : "its \(column) text in schemaledger_sql no longer hashes to its address "
                + "\(address) (the text was edited after it was written)")
        }
        return
      }
      if let computed, row.text(2) != nil { noteStored(computed) }
      if let text { body(seq, text) }
    }
    if let tampered { throw tampered }
  }

  private static func event(
    from row: any SQLRow, database: String, texts: inout TextInterner
  ) throws -> LedgerEvent {
    let seq = row.int64(0) ?? 0
    func unreadable(_ reason: String) -> LedgerError {
      .unreadableEvent(database: database, seq: seq, reason: reason)
    }
    guard let bytes = row.textBytes(1), let kind = EventKind(utf8: bytes) else {
      throw unreadable("unknown kind '\(row.text(1) ?? "NULL")'")
    }
    var direction: Direction?
    if let bytes = row.textBytes(4) {
      guard let value = Direction(utf8: bytes) else {
        throw unreadable("unknown direction '\(String(decoding: bytes, as: UTF8.self))'")
      }
      direction = value
    }
    func text(_ column: Int) -> String? {
      guard let bytes = row.textBytes(column) else { return nil }
      let number = texts.number(of: UnsafeRawBufferPointer(bytes), column: column)
      return texts[number]
    }
    return LedgerEvent(
      kind: kind, migration: text(2),
      version: MigrationVersion(stored: row.int64(3), text: row.text(22)), direction: direction,
      checksum: text(5), runID: text(6) ?? "",
      actor: LedgerActor(user: text(7) ?? "", host: text(8) ?? "", pid: row.int64(9) ?? 0),
      recordedAt: row.text(10) ?? "", durationMs: row.int64(11),
      transactional: row.int64(12).map { $0 != 0 }, sql: row.text(13), downSQL: row.text(14),
      error: row.text(15), errorCode: row.int64(16), detail: row.text(17),
      dependsOn: row.text(18).map { $0.split(separator: " ").map(String.init) },
      schemaFingerprint: row.text(19), seq: seq, prevHash: row.text(20) ?? "",
      hash: row.text(21) ?? "")
  }
}
