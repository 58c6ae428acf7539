/// Which statement of a migration would change the ledger, told from its words before it
/// runs: PostgreSQL has no authorizer to refuse it as it runs, as SQLite's does.
///
/// A name is protected when it is the ledger's schema or starts with its objects' prefix
/// (`schemaledger_`). Reading the ledger is allowed; changing it is not:
///
/// - a query (`SELECT`, `WITH`, `VALUES`, `TABLE`, `SHOW`, `EXPLAIN` without `ANALYZE`)
///   and the data statements (`INSERT`, `UPDATE`, `DELETE`, `MERGE`, and `EXPLAIN ANALYZE`
///   of one) may name the ledger anywhere but as what they write: the name after `INTO`,
///   `UPDATE`, `DELETE FROM`, `ONLY` (of those), in a data-changing `WITH` too;
/// - `CREATE TABLE ... AS` and `CREATE [MATERIALIZED] VIEW ... AS` may read the ledger in
///   their query, when what they create is not the ledger's;
/// - any other statement (DDL, `COPY`, `TRUNCATE`, `GRANT`, `DO`, a function's body)
///   must not name it at all.
///
/// Text in quotes ('...') and comments is not looked at; a dollar-quoted body is (a
/// function could change the ledger when called).
struct LedgerWriteCheck {
  let schema: String
  let prefix: String

  /// One word of a statement: a keyword or name (`text` uppercased for keywords,
  /// `name` as written and lowercased unless quoted), or a punctuation byte.
  private struct Token {
    var text: String
    var name: String
    var isWord: Bool
  }

  /// The protected name `statement` would write, or `nil`.
  func protectedName(in statement: String) -> String? {
    var tokens = Self.tokens(of: statement)
    guard let first = tokens.first?.text else { return nil }
    switch first {
    case "SELECT", "WITH", "VALUES", "TABLE", "SHOW", "INSERT", "UPDATE", "DELETE", "MERGE":
      return writtenName(in: tokens)
    case "EXPLAIN":
      // EXPLAIN ANALYZE runs the statement; plain EXPLAIN only plans it.
      guard tokens.contains(where: { $0.text == "ANALYZE" || $0.text == "ANALYSE" }) else {
        return nil
      }
      return writtenName(in: tokens)
    case "CREATE":
      tokens.removeFirst()
      while let word = tokens.first?.text,
        ["OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "MATERIALIZED", "RECURSIVE"]
          .contains(word)
      {
        tokens.removeFirst()
      }
      // `AS` outside parentheses starts the query (`GENERATED ... AS` of a column is
      // inside them).
      var depth = 0
      let asIndex = tokens.firstIndex { token in
        if token.text == "(" { depth += 1 }
        if token.text == ")" { depth -= 1 }
        return depth == 0 && token.text == "AS"
      }
      guard let kind = tokens.first?.text, kind == "TABLE" || kind == "VIEW", let asIndex
      else { return anyName(in: tokens) }
      // What it creates (before AS) must not be the ledger's; its query may read it.
      return anyName(in: Array(tokens[..<asIndex]))
        ?? writtenName(in: Array(tokens[(asIndex + 1)...]))
    default:
      return anyName(in: tokens)
    }
  }

  private func isProtected(_ token: Token) -> Bool {
    token.isWord && (token.name == schema.lowercased() || token.name.hasPrefix(prefix.lowercased()))
  }

  /// The first protected name anywhere.
  private func anyName(in tokens: [Token]) -> String? {
    tokens.first(where: isProtected)?.name
  }

  /// The first protected name a query or data statement writes: its word before (the
  /// schema's word, when the name is qualified) is `INTO`, `UPDATE` or `ONLY`, or `FROM`
  /// right after `DELETE`.
  private func writtenName(in tokens: [Token]) -> String? {
    for (index, token) in tokens.enumerated() where isProtected(token) {
      var before = index - 1
      // `schema.name`: look before the schema's word.
      if before >= 1, tokens[before].text == "." { before -= 2 }
      guard before >= 0 else { continue }
      let word = tokens[before].text
      if ["INTO", "UPDATE", "ONLY"].contains(word)
        || (word == "FROM" && before >= 1 && tokens[before - 1].text == "DELETE")
      {
        return token.name
      }
    }
    return nil
  }

  /// The words and punctuation of `statement`, without quoted text and comments.
  private static func tokens(of statement: String) -> [Token] {
    let bytes = Array(statement.utf8)
    var tokens: [Token] = []
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case 0x27:  // '...'
        index = PostgresStatement.closingQuote(byte, in: bytes, from: index + 1)
        tokens.append(Token(text: "'", name: "", isWord: false))
      case 0x22:  // "..."
        let end = PostgresStatement.closingQuote(byte, in: bytes, from: index + 1)
        let name = String(decoding: bytes[(index + 1)..<max(index + 1, end - 1)], as: UTF8.self)
          .replacing("\"\"", with: "\"")
        tokens.append(Token(text: name.uppercased(), name: name, isWord: true))
        index = end
      case 0x2D where index + 1 < bytes.count && bytes[index + 1] == 0x2D:
        while index < bytes.count && bytes[index] != 0x0A { index += 1 }
      case 0x2F where index + 1 < bytes.count && bytes[index + 1] == 0x2A:
        index += 2
        while index + 1 < bytes.count && !(bytes[index] == 0x2A && bytes[index + 1] == 0x2F) {
          index += 1
        }
        index += 2
      case _ where PostgresStatement.isIdentifierStart(byte):
        var end = index
        while end < bytes.count && PostgresStatement.isIdentifierPart(bytes[end]) { end += 1 }
        let word = String(decoding: bytes[index..<end], as: UTF8.self)
        tokens.append(Token(text: word.uppercased(), name: word.lowercased(), isWord: true))
        index = end
      default:
        if byte > 0x20 {
          tokens.append(
            Token(text: String(UnicodeScalar(byte)), name: "", isWord: false))
        }
        index += 1
      }
    }
    return tokens
  }
}
