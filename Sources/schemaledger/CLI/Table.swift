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
    var text = ""
    text.reserveCapacity(table.count * (widths.reduce(0, +) + 2 * widths.count + 1))
    for (row, cells) in table.enumerated() {
      if row > 0 { text += "\n" }
      for (index, cell) in cells.enumerated() {
        if index > 0 { text += "  " }
        text += cell
        if index < cells.count - 1, index < widths.count {
          text.append(contentsOf: repeatElement(" ", count: widths[index] - cellWidths[row][index]))
        }
      }
    }
    return text
  }

  /// The cell's width in characters: its byte count when it is ASCII (the usual case,
  /// and much cheaper than counting grapheme clusters).
  private static func width(_ cell: String) -> Int {
    var cell = cell
    let ascii = cell.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
    return ascii ? cell.utf8.count : cell.count
  }
}
