/// The startup check's record (`schemaledger_meta` key `startup_check`): what the last
/// run that left the database up to date knew, so that the next startup can skip reading
/// the migration files when nothing changed (`SchemaMigrator.Configuration.fastStartupCheck`).
/// A cache, not history: it is overwritten, and only trusted while the ledger still ends
/// at the `seq` it names.
struct StartupCheckRecord: Equatable {
  /// The ledger's last `seq` when it was recorded.
  var seq: Int64
  /// The current version then.
  var version: MigrationVersion?
  /// The migrations folder's signature (`DirectorySignature`).
  var signature: String
  /// The layout the folder was read as.
  var layout: MigrationLayout
  /// Applied migrations whose file's down section differed from the recorded down SQL,
  /// so that the fast path shows them as `status` does after reading the files.
  var downSectionEdited: [String]

  /// The stored text: `seq version signature layout` on the first line, then one id of
  /// `downSectionEdited` per line.
  var storedValue: String {
    (["\(seq) \(version.map(\.description) ?? "") \(signature) \(layout.rawValue)"]
      + downSectionEdited).joined(separator: "\n")
  }

  /// Reads `storedValue`'s form; `nil` for anything else (an older form: one full check).
  init?(storedValue: String) {
    let lines = storedValue.split(separator: "\n", omittingEmptySubsequences: false)
    let parts = lines.first?.split(separator: " ", omittingEmptySubsequences: false) ?? []
    guard parts.count == 4, let seq = Int64(parts[0]),
      let layout = MigrationLayout(rawValue: String(parts[3]))
    else { return nil }
    self.init(
      seq: seq, version: MigrationVersion(parts[1]), signature: String(parts[2]),
      layout: layout, downSectionEdited: lines.dropFirst().map(String.init))
  }

  init(
    seq: Int64, version: MigrationVersion?, signature: String, layout: MigrationLayout,
    downSectionEdited: [String]
  ) {
    self.seq = seq
    self.version = version
    self.signature = signature
    self.layout = layout
    self.downSectionEdited = downSectionEdited
  }
}

extension LedgerStore {
  /// The startup check's record and the ledger's last `seq` now, in one query; `nil`
  /// record when there is none (or an older form), `nil` when there is no ledger (or not
  /// one this check can read: the full check decides). Throws for a format version this
  /// build refuses, so that a ledger it must not trust is refused before "nothing to do".
  func startupCheck() throws -> (record: StartupCheckRecord?, lastSeq: Int64)? {
    var value: String?
    var lastSeq: Int64 = 0
    var formatValue: String?
    do {
      try connection.query(
        """
        SELECT (SELECT value FROM schemaledger_meta WHERE key = 'startup_check'), \
        (SELECT max(seq) FROM schemaledger_events), \
        (SELECT value FROM schemaledger_meta WHERE key = 'format_version')
        """, []
      ) { row in
        value = row.text(0)
        lastSeq = row.int64(1) ?? 0
        formatValue = row.text(2)
      }
    } catch is any DatabaseError {
      return nil
    }
    guard let value else { return (nil, lastSeq) }
    _ = try Self.formatVersion(formatValue, database: connection.location)
    return (StartupCheckRecord(storedValue: value), lastSeq)
  }

  /// Records the startup check.
  func recordStartupCheck(_ record: StartupCheckRecord) throws {
    try setMeta("startup_check", to: record.storedValue)
  }
}
