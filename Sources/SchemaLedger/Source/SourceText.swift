/// Turning a file's bytes into the text SchemaLedger works with: valid UTF-8, no byte
/// order mark, LF line endings (so a checkout on another OS is not an edit).
enum SourceText {
  /// Decodes `bytes` as UTF-8, dropping a leading BOM and turning CRLF into LF.
  /// Throws `invalidUTF8` naming the line of the first bad byte.
  static func decode(_ bytes: [UInt8], file: String) throws -> String {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    if let bad = firstInvalidUTF8Offset(body) {
      let line = 1 + body[body.startIndex..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
      throw MigrationSourceError.invalidUTF8(file: file, line: line)
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
