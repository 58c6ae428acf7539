import Glibc

/// The texts a read or a projection has seen (migration ids, run ids, checksums, actors),
/// each stored once and numbered, looked up by their UTF-8 bytes: reading a long ledger
/// then makes one `String` per distinct text instead of one per event, and the fold
/// indexes arrays by number instead of hashing strings.
///
/// A value type, so that a copy of a projection folds on independently.
struct TextInterner: Sendable {
  private(set) var strings: [String] = []
  private var hashes: [UInt64] = []
  private var spans: [(start: Int, count: Int)] = []
  private var bytes: [UInt8] = []
  /// Open addressing: a number per slot, -1 when empty; the size is a power of two.
  private var table = [Int32](repeating: -1, count: 256)
  /// Per column of a row read, the last text's number: consecutive events repeat a run
  /// id, an actor and (on `started` and outcomes) a migration id.
  private var lastByColumn: [Int32] = []

  var count: Int { strings.count }

  subscript(number: Int32) -> String { strings[Int(number)] }

  /// The number of `text`, added when new.
  mutating func number(of text: UnsafeRawBufferPointer) -> Int32 {
    let hash = Self.hash(text)
    let mask = table.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let candidate = table[slot]
      if candidate < 0 { break }
      if hashes[Int(candidate)] == hash, matches(candidate, text) { return candidate }
      slot = (slot + 1) & mask
    }
    let number = Int32(strings.count)
    strings.append(String(decoding: text, as: UTF8.self))
    hashes.append(hash)
    spans.append((bytes.count, text.count))
    bytes.append(contentsOf: text)
    table[slot] = number
    if strings.count * 2 > table.count { grow() }
    return number
  }

  /// The number of `text`, added when new.
  mutating func number(of text: String) -> Int32 {
    var copy = text
    return copy.withUTF8 { number(of: UnsafeRawBufferPointer($0)) }
  }

  /// The number of `text` read from `column`, compared first with that column's previous
  /// text (no hashing when it repeats).
  mutating func number(of text: UnsafeRawBufferPointer, column: Int) -> Int32 {
    if column < lastByColumn.count {
      let last = lastByColumn[column]
      if last >= 0, matches(last, text) { return last }
    } else {
      lastByColumn.append(contentsOf: repeatElement(-1, count: column + 1 - lastByColumn.count))
    }
    let number = number(of: text)
    lastByColumn[column] = number
    return number
  }

  private func matches(_ number: Int32, _ text: UnsafeRawBufferPointer) -> Bool {
    let span = spans[Int(number)]
    guard span.count == text.count else { return false }
    guard let start = text.baseAddress, span.count > 0 else { return true }
    return bytes.withUnsafeBytes { memcmp($0.baseAddress! + span.start, start, span.count) } == 0
  }

  private mutating func grow() {
    table = [Int32](repeating: -1, count: table.count * 2)
    let mask = table.count - 1
    for (number, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & mask
      while table[slot] >= 0 { slot = (slot + 1) & mask }
      table[slot] = Int32(number)
    }
  }

  /// A multiply-xorshift hash, 8 bytes at a time (ids and checksums are 16 to 64 bytes):
  /// no adversary here, a collision costs one more comparison.
  private static func hash(_ text: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(text.count)
    var offset = 0
    while offset + 8 <= text.count {
      let word = text.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
      hash ^= hash >> 32
      offset += 8
    }
    var tail: UInt64 = 0
    while offset < text.count {
      tail = tail << 8 | UInt64(text[offset])
      offset += 1
    }
    hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    return hash ^ (hash >> 29)
  }
}
