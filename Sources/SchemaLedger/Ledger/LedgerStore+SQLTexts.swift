/// The checks of the table of SQL texts (format 3), for `verify`.
extension LedgerStore {
  /// A text that does not hash to its address, or an address no text is stored under,
  /// with the events that name it.
  struct SQLTextFinding: Equatable {
    /// The address (`sql_hash` / `down_sql_hash` / `schemaledger_sql.hash`).
    var address: String
    /// `true`: no text is stored under `address`; `false`: the text stored there does not
    /// hash to it.
    var isMissing: Bool
    /// The events that name `address`, in order.
    var events: [Int64]
  }

  /// Hashes each distinct text of `schemaledger_sql` once (streamed, one text in memory at
  /// a time) and compares it with its address; finds the addresses events name that hold
  /// no text. Empty before format 3.
  func sqlTextFindings() throws -> [SQLTextFinding] {
    guard format >= 3 else { return [] }
    var findings: [SQLTextFinding] = []
    try connection.query("SELECT hash, text FROM schemaledger_sql ORDER BY hash", []) { row in
      var hasher = SHA256()
      if let bytes = row.textBytes(1) { hasher.update(UnsafeRawBufferPointer(bytes)) }
      let address = row.text(0) ?? ""
      if SHA256.hex(hasher.finalize()) != address {
        findings.append(SQLTextFinding(address: address, isMissing: false, events: []))
      }
    }
    try connection.query(
      """
      SELECT DISTINCT address FROM (
        SELECT sql_hash AS address FROM schemaledger_events WHERE sql_hash IS NOT NULL
        UNION ALL
        SELECT down_sql_hash FROM schemaledger_events WHERE down_sql_hash IS NOT NULL) AS referenced
      WHERE address NOT IN (SELECT hash FROM schemaledger_sql) ORDER BY address
      """, []
    ) { findings.append(SQLTextFinding(address: $0.text(0) ?? "", isMissing: true, events: [])) }
    for index in findings.indices {
      try connection.query(
        """
        SELECT seq FROM schemaledger_events WHERE sql_hash = ?1 OR down_sql_hash = ?1 \
        ORDER BY seq
        """, [.text(findings[index].address)]
      ) { findings[index].events.append($0.int64(0) ?? 0) }
    }
    return findings
  }
}

/// A text's address in `schemaledger_sql`: the SHA-256 of its UTF-8 bytes, kept as its 32
/// bytes inline (a store remembers thousands of them without an allocation each); `hex`
/// is the stored form.
struct TextAddress: Hashable, Sendable {
  private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

  /// The address of `text`.
  init(of text: String) {
    let digest = SHA256.hash(text)
    withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: digest) }
  }

  /// 64 lowercase hex digits, as `sql_hash`, `down_sql_hash` and `schemaledger_sql.hash`
  /// store it.
  var hex: String {
    withUnsafeBytes(of: words) { SHA256.hex(Array($0)) }
  }

  static func == (lhs: TextAddress, rhs: TextAddress) -> Bool {
    lhs.words == rhs.words
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(words.0)
    hasher.combine(words.1)
    hasher.combine(words.2)
    hasher.combine(words.3)
  }
}
