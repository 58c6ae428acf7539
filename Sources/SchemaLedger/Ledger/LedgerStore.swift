/// The append-only event store: creates the ledger, appends events with their hash
/// chain, and reads them back in order.
///
/// The store remembers the last event's `seq` and `hash` (its tail) so appending costs one
/// `INSERT`; call `reloadTail()` after a transaction that appended was rolled back.
final class LedgerStore {
  let connection: any DatabaseConnection
  /// The ledger's format version, as `checkFormat()` last read it.
  private(set) var format = LedgerSchema.formatVersion
  private(set) var lastSeq: Int64 = 0
  private(set) var lastHash = LedgerEvent.genesisHash
  /// The key given for a keyed chain (`LedgerKey`), or `nil`.
  let key: LedgerKey?
  /// The `seq` of the `keyed` event and the key id it names, as `loadKeying()` read them
  /// (`schemaledger_meta` key `keyed`); `nil` for a ledger whose hashes are not keyed.
  var keying: (seq: Int64, keyID: String)?

  init(connection: any DatabaseConnection, key: LedgerKey? = nil) {
    self.connection = connection
    self.key = key
  }

  // MARK: - Create

  /// `true` when the events table exists. Names starting with `schemaledger_` are the
  /// ledger's: when some exist without the events table, they are someone else's, and
  /// SchemaLedger refuses (`LedgerError.notALedger`) rather than read them as "no ledger
  /// yet" and create its own tables beside (or into) them.
  func exists() throws -> Bool {
    var found: [String] = []
    var events = false
    try connection.query(
      #"SELECT type, name FROM sqlite_master WHERE name LIKE 'schemaledger\_%' ESCAPE '\' "#
        + "ORDER BY name",
      []
    ) { row in
      let type = row.text(0) ?? ""
      let name = row.text(1) ?? ""
      if type == "table", name == LedgerSchema.eventsTable { events = true }
      found.append("\(type == "index" ? "an" : "a") \(type) \(name)")
    }
    guard events || found.isEmpty else {
      throw LedgerError.notALedger(
        database: connection.location,
        found: "\(Self.list(found)), but no table \(LedgerSchema.eventsTable)")
    }
    return events
  }

  /// Creates the ledger (table, index, triggers, views, format version) when missing,
  /// checks its format version, upgrades an older format in place (recording an
  /// `upgraded` event for `runID` by `actor`), and loads the tail. Idempotent.
  func prepare(runID: String, actor: LedgerActor) throws {
    let found = try exists()
    if found { try checkShape() }  // never add triggers or rows to someone else's tables
    if try !found || presentTriggers() != Self.triggerNames {
      // Idempotent: creates what is missing (a dropped trigger, too), keeps the rest.
      try connection.inTransaction { try connection.executeScript(LedgerSchema.sql) }
    }
    try checkFormat()
    try requireKey()
    try checkIntegrity()
    if format < LedgerSchema.formatVersion {
      try connection.inTransaction { try upgrade(runID: runID, actor: actor) }
    }
    try reloadTail()
    if key != nil, keying == nil { try startKeying(runID: runID, actor: actor) }
  }

  /// Refuses a ledger whose tables SchemaLedger did not make (`checkShape()`), or whose
  /// format version is newer than this build reads, or is not a version at all;
  /// remembers the format in `format`.
  func checkFormat() throws {
    try checkShape()
    var value: String?
    try connection.query(
      "SELECT value FROM schemaledger_meta WHERE key = 'format_version'", []
    ) { row in value = row.text(0) }
    format = try Self.formatVersion(value, database: connection.location)
    try loadKeying()
  }

  /// The format version stored as `value`: refuses a missing or malformed one
  /// (`LedgerError.malformedFormat`) and a newer one (`LedgerError.newerFormat`).
  static func formatVersion(_ value: String?, database: String) throws -> Int {
    guard let value, !value.isEmpty, value.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
      let version = Int(value), version >= 1
    else {
      throw LedgerError.malformedFormat(database: database, value: value)
    }
    guard version <= LedgerSchema.formatVersion else {
      throw LedgerError.newerFormat(
        database: database, found: version, supported: LedgerSchema.formatVersion)
    }
    return version
  }

  /// Whether `checkShape()` found the tables to be a ledger's (checked once per store).
  private var shapeChecked = false

  /// Refuses tables named like the ledger's that SchemaLedger did not make: an events
  /// table without the columns every format has, or no `schemaledger_meta (key, value)`.
  func checkShape() throws {
    guard !shapeChecked else { return }
    let events = try columns(of: LedgerSchema.eventsTable)
    let missing = LedgerSchema.format1Columns.filter { !events.contains($0) }
    if !missing.isEmpty {
      throw LedgerError.notALedger(
        database: connection.location,
        found: "a table \(LedgerSchema.eventsTable) without the columns of a ledger "
          + "(it has \(Self.list(events)); it lacks \(Self.list(missing)))")
    }
    let meta = try columns(of: LedgerSchema.metaTable)
    if !(meta.contains("key") && meta.contains("value")) {
      throw LedgerError.notALedger(
        database: connection.location,
        found: meta.isEmpty
          ? "a table \(LedgerSchema.eventsTable) but no table \(LedgerSchema.metaTable)"
          : "a table \(LedgerSchema.metaTable) without the columns key and value (it has "
            + "\(Self.list(meta)))")
    }
    shapeChecked = true
  }

  /// The column names of `table`, in order (none when there is no such table).
  private func columns(of table: String) throws -> [String] {
    var names: [String] = []
    try connection.query("SELECT name FROM pragma_table_info(?)", [.text(table)]) {
      names.append($0.text(0) ?? "")
    }
    return names
  }

  /// `a, b and c`.
  private static func list(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
  }

  /// Brings a format-1 ledger to format 2, inside the caller's transaction: adds the
  /// `version_text` column, recreates the views that read it, sets the format version and
  /// appends the `upgraded` event. Events already recorded keep their hashes (format 2
  /// hashes a one-number version exactly as format 1 did).
  private func upgrade(runID: String, actor: LedgerActor) throws {
    try checkFormat()  // another runner may have upgraded it while we waited
    guard format < LedgerSchema.formatVersion else { return }
    let from = format
    try connection.executeScript(LedgerSchema.upgradeFromFormat1)
    format = LedgerSchema.formatVersion
    try reloadTail()
    try append(
      LedgerEvent(
        kind: .upgraded, runID: runID, actor: actor,
        detail: "ledger format \(from) -> \(format): \(LedgerSchema.upgradeSummary)"))
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
  func append(_ events: [LedgerEvent]) throws -> [LedgerEvent] {
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
    var start = 0
    while start < stored.count {
      let chunk = stored[start..<min(start + Self.rowsPerInsert, stored.count)]
      do {
        try connection.execute(Self.insertSQL(rows: chunk.count), chunk.flatMap(Self.columns))
      } catch SQLiteError.statementFailed(_, let message, _, _)
        where message.contains("append-only")
      {
        throw LedgerError.appendOnly(database: connection.location, message: message)
      } catch let error as SQLiteError where error.isPrimaryKeyViolation {
        throw LedgerError.concurrentAppend(database: connection.location, seq: chunk[0].seq)
      }
      start += chunk.count
    }
    if let last = stored.last { try recordHead(seq: last.seq, hash: last.hash) }
    lastSeq = seq
    lastHash = previous
    return stored
  }

  /// Rows per `INSERT`: 23 parameters each, well under SQLite's limit of 32,766.
  private static let rowsPerInsert = 500

  private static func insertSQL(rows: Int) -> String {
    let row = "(" + Array(repeating: "?", count: 23).joined(separator: ", ") + ")"
    return """
      INSERT INTO schemaledger_events (seq, kind, migration, version, direction, checksum, \
      run_id, actor_user, actor_host, actor_pid, recorded_at, duration_ms, transactional, sql, \
      down_sql, error, error_code, detail, depends_on, schema_fingerprint, prev_hash, hash, \
      version_text) VALUES
      """ + Array(repeating: row, count: rows).joined(separator: ", ")
  }

  private static func columns(of event: LedgerEvent) -> [SQLValue] {
    [
      .integer(event.seq), .text(event.kind.rawValue), .text(event.migration),
      .integer(event.version?.singleNumber), .text(event.direction?.rawValue),
      .text(event.checksum),
      .text(event.runID), .text(event.actor.user), .text(event.actor.host),
      .integer(event.actor.pid), .text(event.recordedAt), .integer(event.durationMs),
      .integer(event.transactional.map { $0 ? 1 : 0 }), .text(event.sql),
      .text(event.downSQL), .text(event.error), .integer(event.errorCode),
      .text(event.detail), .text(event.dependsOn?.joined(separator: " ")),
      .text(event.schemaFingerprint), .text(event.prevHash),
      .text(event.hash), .text(event.version?.textForStorage),
    ]
  }

  // MARK: - Read

  /// Calls `body` with each event in `seq` order, every field loaded, streaming (one
  /// event in memory at a time). `after` skips events up to and including that `seq`.
  func forEachEvent(
    after: Int64 = 0, through: Int64 = .max, _ body: (LedgerEvent) throws -> Void
  ) throws {
    let sql =
      "SELECT \(allColumns) FROM schemaledger_events WHERE seq > ? AND seq <= ? "
      + "ORDER BY seq"
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
    var select = "SELECT \(allColumns) FROM schemaledger_events \(clause)"
    var bound = arguments
    if let limit = filter.limit {
      select = "SELECT * FROM (\(select) ORDER BY seq DESC LIMIT ?)"
      bound.append(.integer(Int64(limit)))
    }
    let location = connection.location
    var texts = TextInterner()
    try connection.query(select + " ORDER BY seq", bound) { row in
      try body(try Self.event(from: row, database: location, texts: &texts))
    }
  }

  /// Every column, in `event(from:)` order; a format-1 ledger has no `version_text`.
  private var allColumns: String {
    """
    seq, kind, migration, version, direction, checksum, run_id, actor_user, actor_host, \
    actor_pid, recorded_at, duration_ms, transactional, sql, down_sql, error, error_code, \
    detail, depends_on, schema_fingerprint, prev_hash, hash, \
    \(format >= 2 ? "version_text" : "NULL")
    """
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

  /// The names of the append-only triggers present now.
  func presentTriggers() throws -> Set<String> {
    var names = Set<String>()
    try connection.query(
      """
      SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'schemaledger_events'
      """, []
    ) { names.insert($0.text(0) ?? "") }
    return names
  }

  /// The trigger names `ledger/schema.sql` creates.
  static let triggerNames: Set<String> = [
    "schemaledger_events_no_update", "schemaledger_events_no_delete",
  ]

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
    var sql: String?
    try connection.query("SELECT sql FROM schemaledger_events WHERE seq = ?", [.integer(seq)]) {
      sql = $0.text(0)
    }
    return sql
  }

  /// The down SQL recorded on the event `seq` (an `applied` event), or `nil`.
  func recordedDownSQL(seq: Int64) throws -> String? {
    var downSQL: String?
    try connection.query(
      "SELECT down_sql FROM schemaledger_events WHERE seq = ?", [.integer(seq)]
    ) { downSQL = $0.text(0) }
    return downSQL
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
