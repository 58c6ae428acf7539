/// Recognising a ledger: whether there is one, whether its tables are SchemaLedger's, and
/// which format it is in.
extension LedgerStore {
  /// `true` when the events table exists. Names starting with `schemaledger_` are the
  /// ledger's: when some exist without the events table, they are someone else's, and
  /// SchemaLedger refuses (`LedgerError.notALedger`) rather than read them as "no ledger
  /// yet" and create its own tables beside (or into) them.
  func exists() throws -> Bool {
    let objects = try connection.catalogObjects(.named(prefix: LedgerSchema.objectPrefix))
    let events = objects.contains { $0.type == "table" && $0.name == LedgerSchema.eventsTable }
    let found = objects.map { "\($0.type == "index" ? "an" : "a") \($0.type) \($0.name)" }
    guard events || found.isEmpty else {
      throw LedgerError.notALedger(
        database: connection.location,
        found: "\(Self.list(found)), but no table \(LedgerSchema.eventsTable)")
    }
    return events
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
    formatRead = true
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

  /// Refuses tables named like the ledger's that SchemaLedger did not make: an events
  /// table without the columns every format has, or no `schemaledger_meta (key, value)`.
  func checkShape() throws {
    guard !shapeChecked else { return }
    let events = try connection.columnNames(of: LedgerSchema.eventsTable)
    let missing = LedgerSchema.format1Columns.filter { !events.contains($0) }
    if !missing.isEmpty {
      throw LedgerError.notALedger(
        database: connection.location,
        found: "a table \(LedgerSchema.eventsTable) without the columns of a ledger "
          + "(it has \(Self.list(events)); it lacks \(Self.list(missing)))")
    }
    let meta = try connection.columnNames(of: LedgerSchema.metaTable)
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

  /// `a, b and c`.
  fileprivate static func list(_ items: [String]) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
  }
}
