/// The append-only event store: creates the ledger, appends events with their hash
/// chain, and reads them back in order.
///
/// The store remembers the last event's `seq` and `hash` (its tail) so appending costs one
/// `INSERT`; call `reloadTail()` after a transaction that appended was rolled back.
final class LedgerStore {
  let connection: any DatabaseConnection
  /// The ledger's format version, as `checkFormat()` last read it (or an upgrade left it).
  var format = LedgerSchema.formatVersion
  /// Whether `checkFormat()` has read `format` from the ledger.
  var formatRead = false
  /// Addresses of texts that transactions of this store stored and committed
  /// (`noteCommitted`).
  private var committedAddresses = Set<TextAddress>()
  /// Text → address, for the texts this store hashed (`address(of:)`).
  private var addressMemo: [String: TextAddress] = [:]
  private(set) var lastSeq: Int64 = 0
  private(set) var lastHash = LedgerEvent.genesisHash
  /// The key given for a keyed chain (`LedgerKey`), or `nil`.
  let key: LedgerKey?
  /// The `seq` of the `keyed` event and the key id it names, as `loadKeying()` read them
  /// (`schemaledger_meta` key `keyed`); `nil` for a ledger whose hashes are not keyed.
  var keying: (seq: Int64, keyID: String)?

  /// Whether `checkShape()` found the tables to be a ledger's (checked once per store).
  var shapeChecked = false

  init(connection: any DatabaseConnection, key: LedgerKey? = nil) {
    self.connection = connection
    self.key = key
  }

  // MARK: - Create

  /// Creates the ledger (tables, index, triggers, views, format version) when missing,
  /// checks its format version, upgrades an older format in place (recording an
  /// `upgraded` event for `runID` by `actor`), recreates a dropped trigger, and loads the
  /// tail. Idempotent.
  func prepare(runID: String, actor: LedgerActor) throws {
    let found = try exists()
    if found { try checkShape() }  // never add triggers or rows to someone else's tables
    if !found {
      try connection.inTransaction { try connection.executeScript(connection.ledgerDDL.create) }
    }
    try checkFormat()
    try requireKey()
    try checkIntegrity()
    if format < LedgerSchema.formatVersion {
      try connection.inTransaction { try upgrade(runID: runID, actor: actor) }
    }
    if try presentTriggers() != expectedTriggers() {
      // Idempotent: creates what is missing (a dropped trigger), keeps the rest. Run only
      // on a ledger of this build's format: the DDL names format 3's columns.
      try connection.inTransaction { try connection.executeScript(connection.ledgerDDL.create) }
    }
    try reloadTail()
    if key != nil, keying == nil { try startKeying(runID: runID, actor: actor) }
  }

  /// Reads the last event's `seq` and `hash` from the database.
  func reloadTail() throws {
    lastSeq = 0
    lastHash = LedgerEvent.genesisHash
    try connection.query(
      "SELECT seq, hash FROM schemaledger_events ORDER BY seq DESC LIMIT 1", []
    ) { row in
      lastSeq = row.int64(0) ?? 0
      lastHash = row.text(1) ?? LedgerEvent.genesisHash
    }
  }

  // MARK: - Append

  /// Appends `event`, filling in `seq`, `prevHash` and `hash`; returns the stored event.
  /// Runs in the caller's transaction when there is one.
  @discardableResult
  func append(_ event: LedgerEvent) throws -> LedgerEvent {
    try append([event])[0]
  }

  /// Appends `events` in order with as few `INSERT` statements as possible (one for up
  /// to `rowsPerInsert` events): every statement a migration's DDL invalidates has to be
  /// prepared again, so fewer statements cost less. Returns the stored events.
  @discardableResult
  func append(_ events: [LedgerEvent], alsoStoring extraTexts: [String] = []) throws
    -> [LedgerEvent]
  {
    var stored: [LedgerEvent] = []
    stored.reserveCapacity(events.count)
    var seq = lastSeq
    var previous = lastHash
    for var event in events {
      seq += 1
      event.seq = seq
      event.prevHash = previous
      event.hash = hash(of: event)
      previous = event.hash
      stored.append(event)
    }
    // Each distinct text once per call, stored before the events that name it: with
    // `ON CONFLICT DO NOTHING` (a text already stored is left as it is), unless a committed
    // transaction of this store is known to have stored it (`noteCommitted`).
    var seen = Set<TextAddress>()
    var texts: [SQLValue] = []
    func reference(_ text: String?) -> String? {
      guard let text else { return nil }
      let address = address(of: text)
      let hex = address.hex
      if !committedAddresses.contains(address), seen.insert(address).inserted {
        texts += [.text(hex), .text(text)]
      }
      return hex
    }
    let references = stored.map { (sql: reference($0.sql), downSQL: reference($0.downSQL)) }
    for text in extraTexts { _ = reference(text) }
    var start = 0
    while start < texts.count {
      let chunk = texts[start..<min(start + 2 * Self.textsPerInsert, texts.count)]
      try write { try connection.execute(Self.insertTextsSQL(rows: chunk.count / 2), Array(chunk)) }
      start += chunk.count
    }
    start = 0
    while start < stored.count {
      // A step's one or two events: the one-row statement, executed per event (after a
      // migration's DDL every statement is compiled again, and one row compiles cheapest).
      let end = min(start + (stored.count <= 2 ? 1 : Self.rowsPerInsert), stored.count)
      var values: [SQLValue] = []
      values.reserveCapacity((end - start) * Self.columnCount)
      for index in start..<end {
        Self.appendColumns(of: stored[index], references[index], to: &values)
      }
      do {
        try write { try connection.execute(Self.insertSQL(rows: end - start), values) }
      } catch let error as any DatabaseError where error.isPrimaryKeyViolation {
        throw LedgerError.concurrentAppend(database: connection.location, seq: stored[start].seq)
      }
      start = end
    }
    if let last = stored.last { try recordHead(seq: last.seq, hash: last.hash) }
    lastSeq = seq
    lastHash = previous
    return stored
  }

  /// The address of `text` in `schemaledger_sql` (its SHA-256), remembered for the texts
  /// this store wrote, so that a step's up SQL is hashed once for its `planned` event and
  /// its outcome.
  func address(of text: String) -> TextAddress {
    if let known = addressMemo[text] { return known }
    let address = TextAddress(of: text)
    if addressMemo.count >= 4096 { addressMemo.removeAll(keepingCapacity: true) }
    addressMemo[text] = address
    return address
  }

  /// Tells the store that the transaction holding the `append` of `events` (and
  /// `extraTexts`) committed: their texts are stored, so later appends in this store need
  /// not write them again. Call it only after a commit that succeeded; a store never told
  /// simply writes every text with `INSERT OR IGNORE`.
  func noteCommitted(_ events: [LedgerEvent], extraTexts: [String] = []) {
    guard format >= 3 else { return }
    for event in events {
      if let sql = event.sql { committedAddresses.insert(address(of: sql)) }
      if let downSQL = event.downSQL { committedAddresses.insert(address(of: downSQL)) }
    }
    for text in extraTexts { committedAddresses.insert(address(of: text)) }
  }

  /// Tells the store that `address` is in `schemaledger_sql` (a text just read from it):
  /// an event naming it again need not write it.
  func noteStored(_ address: TextAddress) {
    guard format >= 3 else { return }
    committedAddresses.insert(address)
  }

  /// Runs `body`, turning the append-only triggers' refusal into `LedgerError.appendOnly`.
  private func write(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch SQLiteError.statementFailed(_, let message, _, _)
      where message.contains("append-only")
    {
      throw LedgerError.appendOnly(database: connection.location, message: message)
    }
  }

  /// Rows per `INSERT` of events: 23 parameters each, well under SQLite's limit of 32,766.
  private static let rowsPerInsert = 500
  /// Rows per `INSERT` of texts (2 parameters each).
  private static let textsPerInsert = 50
  private static let columnCount = 23

  private static func insertSQL(rows: Int) -> String {
    if rows == 1 { return insertOneSQL }
    if rows == 2 { return insertTwoSQL }
    return insertSQLText(rows: rows)
  }

  // The one- and two-row statements run once per step: built once, not per call.
  private static let insertOneSQL = insertSQLText(rows: 1)
  private static let insertTwoSQL = insertSQLText(rows: 2)

  /// Events name their texts by hash (`sql_hash`, `down_sql_hash`); `sql` and `down_sql`
  /// stay `NULL` (format 3).
  private static func insertSQLText(rows: Int) -> String {
    let row = "(" + Array(repeating: "?", count: columnCount).joined(separator: ", ") + ")"
    return """
      INSERT INTO schemaledger_events (seq, kind, migration, version, direction, checksum, \
      run_id, actor_user, actor_host, actor_pid, recorded_at, duration_ms, transactional, \
      sql_hash, down_sql_hash, error, error_code, detail, depends_on, schema_fingerprint, \
      prev_hash, hash, version_text) VALUES
      """ + Array(repeating: row, count: rows).joined(separator: ", ")
  }

  private static func insertTextsSQL(rows: Int) -> String {
    "INSERT INTO schemaledger_sql (hash, text) VALUES "
      + Array(repeating: "(?, ?)", count: rows).joined(separator: ", ")
      + " ON CONFLICT (hash) DO NOTHING"
  }

  private static func appendColumns(
    of event: LedgerEvent, _ texts: (sql: String?, downSQL: String?),
    to values: inout [SQLValue]
  ) {
    values += [
      .integer(event.seq), .text(event.kind.rawValue), .text(event.migration),
      .integer(event.version?.singleNumber), .text(event.direction?.rawValue),
      .text(event.checksum),
      .text(event.runID), .text(event.actor.user), .text(event.actor.host),
      .integer(event.actor.pid), .text(event.recordedAt), .integer(event.durationMs),
      .integer(event.transactional.map { $0 ? 1 : 0 }), .text(texts.sql),
      .text(texts.downSQL), .text(event.error), .integer(event.errorCode),
      .text(event.detail), .text(event.dependsOn?.joined(separator: " ")),
      .text(event.schemaFingerprint), .text(event.prevHash),
      .text(event.hash), .text(event.version?.textForStorage),
    ]
  }

}
