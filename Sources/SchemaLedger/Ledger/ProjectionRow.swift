#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A ledger row as the projection reads it: `seq`, `kind`, `direction` and `run_id` are
/// decoded up front, every other column only when the fold asks for it, and texts that
/// repeat the previous row's (a run's id and actor, a migration's id on its `started`
/// and outcome) reuse its `String`. Valid only inside the `forEachProjectionRow` call
/// that hands it out.
struct ProjectionRow: ProjectableEvent {
  /// The columns of `ProjectionRow.select`, in order.
  enum Column: Int, CaseIterable {
    case seq, kind, direction, runID, migration, version, checksum, actorUser, actorHost,
      actorPID, recordedAt, transactional, hasDownSQL, dependsOn, error, detail
  }

  /// Selects every column the fold may use, in `Column` order; SQLite decodes a text
  /// only when it is read, so the columns a kind does not use cost little.
  static let select = """
    SELECT seq, kind, direction, run_id, migration, version, checksum, actor_user, \
    actor_host, actor_pid, recorded_at, transactional, down_sql IS NOT NULL, depends_on, \
    error, detail FROM schemaledger_events WHERE seq > ? AND seq <= ? ORDER BY seq
    """

  let row: any SQLRow
  let texts: RepeatedTexts
  let seq: Int64
  let kind: EventKind
  let direction: Direction?
  let runID: String

  /// Decodes the eager columns; throws `LedgerError.unreadableEvent` for an unknown kind
  /// or direction.
  init(row: any SQLRow, texts: RepeatedTexts, database: String) throws {
    self.row = row
    self.texts = texts
    seq = row.int64(Column.seq.rawValue) ?? 0
    func unreadable(_ reason: String) -> LedgerError {
      .unreadableEvent(database: database, seq: row.int64(0) ?? 0, reason: reason)
    }
    guard let kind = texts.kind(row, Column.kind.rawValue) else {
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
    runID = texts.text(row, Column.runID.rawValue) ?? ""
  }

  private func text(_ column: Column) -> String? { texts.text(row, column.rawValue) }
  private func integer(_ column: Column) -> Int64? { row.int64(column.rawValue) }

  var migration: String? { text(.migration) }
  var version: Int64? { integer(.version) }
  var checksum: String? { text(.checksum) }
  var actor: LedgerActor {
    LedgerActor(
      user: text(.actorUser) ?? "", host: text(.actorHost) ?? "", pid: integer(.actorPID) ?? 0)
  }
  var recordedAt: String { row.text(Column.recordedAt.rawValue) ?? "" }
  func appendRecordedAt(to buffer: inout [UInt8]) {
    if let bytes = row.textBytes(Column.recordedAt.rawValue) { buffer.append(contentsOf: bytes) }
  }
  var transactional: Bool? { integer(.transactional).map { $0 != 0 } }
  var hasDownSQL: Bool { integer(.hasDownSQL) == 1 }
  var dependsOn: [String]? { text(.dependsOn).map { $0.split(separator: " ").map(String.init) } }
  var error: String? { row.text(Column.error.rawValue) }
  var detail: String? { row.text(Column.detail.rawValue) }
}

/// Reuses the `String` of a column when a row repeats the previous row's value (a run's
/// id, the actor, the kind, a migration's id and checksum on consecutive events): reading
/// a long ledger then allocates far fewer strings. Used by one read, on one thread.
///
/// The previous bytes live in one buffer per column, compared with `memcmp`: this runs
/// for several columns of every event of a replay.
final class RepeatedTexts {
  private static let columns = 32
  private var previous: [(bytes: UnsafeMutableRawBufferPointer, count: Int, text: String)?]
  private let kinds = EventKind.allCases.map { ($0, Array($0.rawValue.utf8)) }

  init() {
    previous = Array(repeating: nil, count: Self.columns)
  }

  deinit {
    for entry in previous { entry?.bytes.deallocate() }
  }

  /// The column's text, shared with the previous row's when the bytes are the same.
  func text(_ row: any SQLRow, _ column: Int) -> String? {
    guard let value = row.textBytes(column) else { return nil }
    guard column < Self.columns else { return String(decoding: value, as: UTF8.self) }
    if let entry = previous[column], entry.count == value.count,
      value.isEmpty || memcmp(entry.bytes.baseAddress!, value.baseAddress!, value.count) == 0
    {
      return entry.text
    }
    let text = String(decoding: value, as: UTF8.self)
    var bytes = previous[column]?.bytes ?? UnsafeMutableRawBufferPointer(start: nil, count: 0)
    if bytes.count < value.count {
      bytes.deallocate()
      bytes = .allocate(byteCount: max(value.count, 64), alignment: 1)
    }
    if !value.isEmpty {
      bytes.baseAddress!.copyMemory(from: value.baseAddress!, byteCount: value.count)
    }
    previous[column] = (bytes, value.count, text)
    return text
  }

  /// The column as an `EventKind`, compared as bytes; `nil` for NULL or an unknown kind.
  func kind(_ row: any SQLRow, _ column: Int) -> EventKind? {
    guard let value = row.textBytes(column), let start = value.baseAddress else { return nil }
    for (kind, name) in kinds where name.count == value.count {
      if name.withUnsafeBytes({ memcmp($0.baseAddress!, start, value.count) }) == 0 {
        return kind
      }
    }
    return nil
  }
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
