#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
