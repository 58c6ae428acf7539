import Glibc

/// A ledger row as the projection reads it: `seq`, `kind` and `direction` are decoded up
/// front, every other column only when the fold asks for it, and texts go through the
/// projection's `TextInterner` (compared with the previous row's first). Valid only inside
/// the `forEachProjectionRow` call that hands it out.
struct ProjectionRow: ProjectableEvent {
  /// The columns of `ProjectionRow.select`, in order.
  enum Column: Int, CaseIterable {
    case seq, kind, direction, runID, migration, version, checksum, actorUser, actorHost,
      actorPID, recordedAt, transactional, hasDownSQL, dependsOn, error, detail, versionText
  }

  /// Selects every column the fold may use, in `Column` order, from a ledger of `format`
  /// (format 1 has no `version_text`; from format 3 a down SQL is named by
  /// `down_sql_hash`); a text costs little until it is read, so the columns a kind does
  /// not use cost little. The SQL texts themselves are never read.
  static func select(format: Int) -> String {
    switch format {
    case ...1: selectFormat1
    case 2: selectFormat2
    default: selectFormat3
    }
  }

  private static let selectFormat3 = selectColumns(
    hasDownSQL: "(down_sql IS NOT NULL OR down_sql_hash IS NOT NULL)", versionText: "version_text")
  private static let selectFormat2 = selectColumns(
    hasDownSQL: "down_sql IS NOT NULL", versionText: "version_text")
  private static let selectFormat1 = selectColumns(
    hasDownSQL: "down_sql IS NOT NULL", versionText: "NULL")

  private static func selectColumns(hasDownSQL: String, versionText: String) -> String {
    """
    SELECT seq, kind, direction, run_id, migration, version, checksum, actor_user, \
    actor_host, actor_pid, recorded_at, transactional, \(hasDownSQL), depends_on, \
    error, detail, \(versionText) FROM schemaledger_events WHERE seq > ? AND seq <= ? \
    ORDER BY seq
    """
  }

  let row: any SQLRow
  let seq: Int64
  let kind: EventKind
  let direction: Direction?

  /// Decodes the eager columns; throws `LedgerError.unreadableEvent` for an unknown kind
  /// or direction.
  init(row: any SQLRow, database: String) throws {
    self.row = row
    seq = row.int64(Column.seq.rawValue) ?? 0
    func unreadable(_ reason: String) -> LedgerError {
      .unreadableEvent(database: database, seq: row.int64(0) ?? 0, reason: reason)
    }
    guard let bytes = row.textBytes(Column.kind.rawValue), let kind = EventKind(utf8: bytes)
    else {
      throw unreadable("unknown kind '\(row.text(Column.kind.rawValue) ?? "NULL")'")
    }
    self.kind = kind
    if let bytes = row.textBytes(Column.direction.rawValue) {
      guard let value = Direction(utf8: bytes) else {
        throw unreadable("unknown direction '\(String(decoding: bytes, as: UTF8.self))'")
      }
      direction = value
    } else {
      direction = nil
    }
  }

  private func number(_ column: Column, _ texts: inout TextInterner) -> Int32? {
    row.textBytes(column.rawValue).map {
      texts.number(of: UnsafeRawBufferPointer($0), column: column.rawValue)
    }
  }

  private func integer(_ column: Column) -> Int64? { row.int64(column.rawValue) }

  func runID(_ texts: inout TextInterner) -> Int32 {
    number(.runID, &texts) ?? texts.number(of: "")
  }

  func migration(_ texts: inout TextInterner) -> Int32? { number(.migration, &texts) }

  var version: MigrationVersion? {
    MigrationVersion(stored: integer(.version), text: row.text(Column.versionText.rawValue))
  }

  func checksum(_ texts: inout TextInterner) -> String? {
    guard let number = number(.checksum, &texts) else { return nil }
    return texts[number]
  }

  func actor(_ texts: inout TextInterner) -> LedgerActor {
    let user = number(.actorUser, &texts)
    let host = number(.actorHost, &texts)
    return LedgerActor(
      user: user.map { texts[$0] } ?? "", host: host.map { texts[$0] } ?? "",
      pid: integer(.actorPID) ?? 0)
  }

  var recordedTime: InlineText {
    row.textBytes(Column.recordedAt.rawValue).map { InlineText(UnsafeRawBufferPointer($0)) }
      ?? InlineText()
  }

  var transactional: Bool? { integer(.transactional).map { $0 != 0 } }
  var hasDownSQL: Bool { integer(.hasDownSQL) == 1 }
  var dependsOn: [String]? {
    row.text(Column.dependsOn.rawValue).map { $0.split(separator: " ").map(String.init) }
  }
  var error: String? { row.text(Column.error.rawValue) }
  var detail: String? { row.text(Column.detail.rawValue) }
}

extension EventKind {
  /// The kind stored as `bytes`, or `nil`.
  init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
    guard let start = bytes.baseAddress else { return nil }
    for (kind, name) in Self.storedNames where name.count == bytes.count {
      if name.withUnsafeBytes({ memcmp($0.baseAddress!, start, bytes.count) }) == 0 {
        self = kind
        return
      }
    }
    return nil
  }

  private static let storedNames = allCases.map { ($0, Array($0.rawValue.utf8)) }
}

extension Direction {
  /// `up` or `down` from stored bytes.
  init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
    if bytes.count == 2, bytes[0] == UInt8(ascii: "u"), bytes[1] == UInt8(ascii: "p") {
      self = .up
    } else if bytes.count == 4, bytes[0] == UInt8(ascii: "d"), bytes[1] == UInt8(ascii: "o"),
      bytes[2] == UInt8(ascii: "w"), bytes[3] == UInt8(ascii: "n")
    {
      self = .down
    } else {
      return nil
    }
  }
}
