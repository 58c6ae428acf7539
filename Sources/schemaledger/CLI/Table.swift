/// Renders rows as a left-aligned text table with a header.
enum Table {
  static func render(header: [String], rows: [[String]]) -> String {
    let table = [header] + rows
    let cellWidths = table.map { $0.map(width) }
    var widths = [Int](repeating: 0, count: header.count)
    for row in cellWidths {
      for (index, width) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], width)
      }
    }
    // Built as bytes: appending padding to a `String` goes through generic code that is
    // slow for a table of a thousand rows.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(table.count * (widths.reduce(0, +) + 2 * widths.count + 1))
    for (row, cells) in table.enumerated() {
      if row > 0 { bytes.append(UInt8(ascii: "\n")) }
      for (index, cell) in cells.enumerated() {
        if index > 0 { bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
        bytes.append(contentsOf: cell.utf8)
        if index < cells.count - 1, index < widths.count {
          let padding = widths[index] - cellWidths[row][index]
          bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        }
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The cell's width in characters: its byte count when it is ASCII (the usual case,
  /// and much cheaper than counting grapheme clusters).
  private static func width(_ cell: String) -> Int {
    var cell = cell
    let ascii = cell.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
    return ascii ? cell.utf8.count : cell.count
  }
}
