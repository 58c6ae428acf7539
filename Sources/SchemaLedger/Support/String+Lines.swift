/// Splitting and trimming lines by their UTF-8 bytes, for the migration parser's speed.
extension String {
  /// The lines of the string, split on LF (no CR handling: sources are normalised first).
  /// Works on UTF-8 bytes, so it costs far less than splitting on `Character`.
  var lfLines: [Substring] {
    var lines: [Substring] = []
    var start = utf8.startIndex
    var index = start
    while index != utf8.endIndex {
      if utf8[index] == 0x0A {
        lines.append(self[start..<index])
        start = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    lines.append(self[start..<endIndex])
    return lines
  }

  /// The string without leading and trailing spaces and tabs.
  var trimmed: String {
    let bytes = utf8
    guard let first = bytes.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
      let last = bytes.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
    else { return "" }
    return String(self[first...last])
  }
}
