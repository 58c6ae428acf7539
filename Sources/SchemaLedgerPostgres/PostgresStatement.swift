/// The ledger's statements, written once for every engine (`?` placeholders, unqualified
/// `schemaledger_*` names), as PostgreSQL runs them: placeholders numbered `$1`, `$2`,
/// ..., and the ledger's tables and views qualified with the schema they live in.
/// Quoted strings, quoted identifiers and comments are left as they are.
enum PostgresStatement {
  /// The objects of the ledger, found in its own schema on PostgreSQL.
  static let ledgerObjects: Set<String> = [
    "schemaledger_events", "schemaledger_sql", "schemaledger_meta", "schemaledger_history",
    "schemaledger_state", "schemaledger_events_with_sql",
  ]

  /// `sql` with `?` numbered and the ledger's object names qualified with `schema`.
  static func rewrite(_ sql: String, ledgerSchema schema: String) -> String {
    let bytes = Array(sql.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 32)
    var index = 0
    var parameter = 0
    let qualifier = Array(quoted(schema).utf8) + [0x2E]
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x27, 0x22:  // '...' or "...": copied up to the closing quote ('' and "" escape)
        let end = closingQuote(byte, in: bytes, from: index + 1)
        out += bytes[index..<end]
        index = end
      case 0x2D where index + 1 < bytes.count && bytes[index + 1] == 0x2D:  // -- comment
        var end = index
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        out += bytes[index..<end]
        index = end
      case 0x3F:  // ? (numbered in order), or ?NNN (that parameter)
        var end = index + 1
        while end < bytes.count && (0x30...0x39).contains(bytes[end]) { end += 1 }
        if end > index + 1 {
          out.append(0x24)
          out += bytes[(index + 1)..<end]
        } else {
          parameter += 1
          out += Array("$\(parameter)".utf8)
        }
        index = end
      case _ where isIdentifierStart(byte):
        var end = index
        while end < bytes.count && isIdentifierPart(bytes[end]) { end += 1 }
        let word = String(decoding: bytes[index..<end], as: UTF8.self)
        let qualified = index > 0 && bytes[index - 1] == 0x2E
        if !qualified && ledgerObjects.contains(word.lowercased()) { out += qualifier }
        out += bytes[index..<end]
        index = end
      default:
        out.append(byte)
        index += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `name` as a quoted identifier.
  static func quoted(_ name: String) -> String {
    "\"" + name.replacing("\"", with: "\"\"") + "\""
  }

  /// The index just past the quote that closes one opened before `start`.
  private static func closingQuote(_ quote: UInt8, in bytes: [UInt8], from start: Int) -> Int {
    var index = start
    while index < bytes.count {
      if bytes[index] == quote {
        if index + 1 < bytes.count && bytes[index + 1] == quote {
          index += 2
          continue
        }
        return index + 1
      }
      index += 1
    }
    return bytes.count
  }

  private static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
      || byte >= 0x80
  }

  private static func isIdentifierPart(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || (0x30...0x39).contains(byte) || byte == 0x24
  }
}
