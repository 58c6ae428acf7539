import SchemaLedger

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
    template(sql, ledgerSchema: schema).text()
  }

  /// A statement rewritten once, its placeholders left open: the ledger's statements are
  /// the same texts run again and again with other values (`PostgresConnection` keeps
  /// them by text).
  struct Template {
    /// The text around the placeholders: one more part than placeholders.
    var parts: [String]
    /// The parameter number of each placeholder, from 1.
    var numbers: [Int]

    /// The statement with `$n` placeholders, or with `literals` in their places.
    func text(literals: [String]? = nil) -> String {
      var text = parts[0]
      for (index, number) in numbers.enumerated() {
        if let literals, literals.indices.contains(number - 1) {
          text += literals[number - 1]
        } else {
          text += "$\(number)"
        }
        text += parts[index + 1]
      }
      return text
    }
  }

  /// `sql` as a `Template`, the ledger's object names qualified with `schema`.
  static func template(_ sql: String, ledgerSchema schema: String) -> Template {
    let bytes = Array(sql.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + 32)
    var parts: [String] = []
    var numbers: [Int] = []
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
          numbers.append(Int(String(decoding: bytes[(index + 1)..<end], as: UTF8.self)) ?? 0)
        } else {
          parameter += 1
          numbers.append(parameter)
        }
        parts.append(String(decoding: out, as: UTF8.self))
        out.removeAll(keepingCapacity: true)
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
    parts.append(String(decoding: out, as: UTF8.self))
    return Template(parts: parts, numbers: numbers)
  }

  /// The ledger object or schema `statement` would change, or `nil`
  /// (`LedgerWriteCheck`).
  static func protectedName(in statement: String, schema: String, prefix: String) -> String? {
    LedgerWriteCheck(schema: schema, prefix: prefix).protectedName(in: statement)
  }

  /// The statements of a script, each with the UTF-8 byte offset where it starts (its text
  /// runs to the next one's start), as `SQLScanner` finds them.
  static func split(_ sql: String) -> [(offset: Int, text: String)] {
    let utf8 = Array(sql.utf8)
    let starts = SQLScanner.statements(in: sql).map(\.offset)
    return starts.enumerated().map { index, start in
      let end = index + 1 < starts.count ? starts[index + 1] : utf8.count
      return (start, String(decoding: utf8[start..<end], as: UTF8.self))
    }
  }

  /// `name` as a quoted identifier.
  static func quoted(_ name: String) -> String {
    "\"" + name.replacing("\"", with: "\"\"") + "\""
  }

  /// The index just past the quote that closes one opened before `start`.
  static func closingQuote(_ quote: UInt8, in bytes: [UInt8], from start: Int) -> Int {
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

  static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
      || byte >= 0x80
  }

  static func isIdentifierPart(_ byte: UInt8) -> Bool {
    isIdentifierStart(byte) || (0x30...0x39).contains(byte) || byte == 0x24
  }
}
