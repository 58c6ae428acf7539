/// Turning a file's bytes into the text SchemaLedger works with: valid UTF-8 without NUL
/// bytes, no byte order mark, LF line endings (so a checkout on another OS is not an edit).
enum SourceText {
  /// Decodes `bytes` as UTF-8, dropping a leading BOM and turning CRLF into LF.
  /// Throws `invalidUTF8` naming the line of the first bad byte, and `nulByte` naming the
  /// line of the first NUL: SQLite reads SQL as a C string, so everything after a NUL
  /// would silently never run.
  static func decode(_ bytes: [UInt8], file: String) throws -> String {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    if let bad = firstInvalidUTF8Offset(body) {
      throw MigrationSourceError.invalidUTF8(file: file, line: line(of: bad, in: body))
    }
    if let nul = body.firstIndex(of: 0) {
      throw MigrationSourceError.nulByte(file: file, line: line(of: nul, in: body))
    }
    var normalized: [UInt8] = []
    normalized.reserveCapacity(body.count)
    var index = body.startIndex
    while index < body.endIndex {
      let byte = body[index]
      let next = body.index(after: index)
      if byte == 0x0D, next < body.endIndex, body[next] == 0x0A {
        index = next
        continue
      }
      normalized.append(byte)
      index = next
    }
    return String(decoding: normalized, as: UTF8.self)
  }

  /// The 1-based line of the byte at `offset`.
  private static func line(of offset: Int, in body: ArraySlice<UInt8>) -> Int {
    1 + body[body.startIndex..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
  }

  /// The index of the first byte that does not start a valid UTF-8 sequence, if any.
  private static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = bytes.startIndex
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar): offset += scalar.count
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }
}
