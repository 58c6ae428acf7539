/// A small lexical scanner for SQL text: finds where statements start and what keyword
/// each starts with, skipping comments and quoted text (also PostgreSQL's dollar-quoted
/// `$$ ... $$` and `$tag$ ... $tag$` bodies, which SQLite's syntax never contains). It
/// does not parse SQL; the database does that. It exists so the pure layers can classify a migration (does it manage its
/// own transaction?) and so errors can point at the line where a statement starts.
package enum SQLScanner {
  /// One statement found in a script.
  package struct Statement: Equatable {
    /// UTF-8 byte offset of the statement's first token.
    package var offset: Int
    /// The first two words, uppercased (`["CREATE", "TABLE"]`, `["COMMIT"]`).
    package var leadingWords: [String]
    /// `ROLLBACK [TRANSACTION] TO ...`: undoes a savepoint, not the transaction.
    var rollsBackToSavepoint = false
    /// `CONCURRENTLY` among its first four words (PostgreSQL's `CREATE [UNIQUE] INDEX
    /// CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY`).
    var isConcurrently = false
  }

  /// The UTF-8 byte offset of the first byte at or after `offset` that is neither
  /// whitespace nor inside a comment (`--` to end of line, `/* */`).
  static func firstTokenOffset(in sql: String, from offset: Int) -> Int {
    let utf8 = sql.utf8
    return utf8.withContiguousStorageIfAvailable { firstToken(in: $0, from: offset) }
      ?? firstToken(in: Array(utf8), from: offset)
  }

  /// The statements of `sql` in order. Semicolons inside quotes, comments and the body of
  /// a `CREATE TRIGGER ... BEGIN ... END` (SQLite's) do not end a statement; PostgreSQL's
  /// `CREATE TRIGGER ... EXECUTE FUNCTION f();` has no body and ends at its semicolon.
  package static func statements(in sql: String) -> [Statement] {
    let bytes = Array(sql.utf8)
    var result: [Statement] = []
    var index = firstToken(in: bytes, from: 0)
    while index < bytes.count {
      var words: [String] = []
      var lastWord = ""
      let start = index
      var isTrigger = false
      var inTriggerBody = false  // after a trigger's BEGIN, until its END
      var caseDepth = 0  // CASE ... END inside a trigger body does not end the trigger
      scan: while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
          index = skipQuoted(bytes, from: index, closing: byte)
          lastWord = ""
        case UInt8(ascii: "["):
          index = skipQuoted(bytes, from: index, closing: UInt8(ascii: "]"))
          lastWord = ""
        case UInt8(ascii: "$") where dollarTag(bytes, at: index) != nil:
          index = skipDollarQuoted(bytes, from: index, tag: dollarTag(bytes, at: index)!)
          lastWord = ""
        case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == byte,
          UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
          index = skipComment(bytes, from: index)
        case UInt8(ascii: ";"):
          index += 1
          if !inTriggerBody || lastWord == "END" { break scan }
          lastWord = ""
        default:
          if isWordByte(byte) {
            var end = index
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
            lastWord = String(decoding: bytes[index..<end], as: UTF8.self).uppercased()
            if words.count < 4 { words.append(lastWord) }
            if isTrigger, lastWord == "BEGIN" { inTriggerBody = true }
            if isTrigger, lastWord == "CASE" { caseDepth += 1 }
            if isTrigger, lastWord == "END", caseDepth > 0 {
              caseDepth -= 1
              lastWord = "END CASE"
            }
            if lastWord == "TRIGGER", words.first == "CREATE",
              words.count == 2 || (words.count == 3 && ["TEMP", "TEMPORARY"].contains(words[1]))
            {
              isTrigger = true
            }
            index = end
          } else {
            if byte > 0x20 { lastWord = "" }
            index += 1
          }
        }
      }
      result.append(
        Statement(
          offset: start, leadingWords: Array(words.prefix(2)),
          rollsBackToSavepoint: words.first == "ROLLBACK" && words.prefix(3).contains("TO"),
          isConcurrently: words.contains("CONCURRENTLY")))
      index = firstToken(in: bytes, from: index)
    }
    return result
  }

  /// `sql` with comments removed and every run of whitespace outside quoted text
  /// collapsed to one space, ends trimmed: the same statement written with other line
  /// breaks or comments compares equal, and the result is still valid SQL.
  static func collapsingWhitespace(_ sql: String) -> String {
    let bytes = Array(sql.utf8)
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = 0
    var pendingSpace = false
    while index < bytes.count {
      let byte = bytes[index]
      let next = index + 1 < bytes.count ? bytes[index + 1] : 0
      switch byte {
      case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
        pendingSpace = !result.isEmpty
        index += 1
      case UInt8(ascii: "-") where next == UInt8(ascii: "-"),
        UInt8(ascii: "/") where next == UInt8(ascii: "*"):
        pendingSpace = !result.isEmpty
        index = skipComment(bytes, from: index)
      case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "["):
        if pendingSpace { result.append(0x20) }
        pendingSpace = false
        let closing = byte == UInt8(ascii: "[") ? UInt8(ascii: "]") : byte
        let end = skipQuoted(bytes, from: index, closing: closing)
        result.append(contentsOf: bytes[index..<end])
        index = end
      default:
        if pendingSpace { result.append(0x20) }
        pendingSpace = false
        result.append(byte)
        index += 1
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  /// The new name in `ALTER TABLE [schema.]name RENAME TO new_name` (unquoted), or `nil`
  /// for any other statement (`RENAME [COLUMN] a TO b` renames a column). `statement` is
  /// one statement's text.
  static func renamedTable(in statement: String) -> String? {
    let tokens = leadingTokens(of: statement, count: 9)
    func isKeyword(_ index: Int, _ word: String) -> Bool {
      index < tokens.count && !tokens[index].quoted
        && tokens[index].text.uppercased() == word
    }
    guard isKeyword(0, "ALTER"), isKeyword(1, "TABLE"), tokens.count > 2 else { return nil }
    var index = 3  // after the table name
    if index < tokens.count, tokens[index] == Token(text: ".", quoted: false) { index += 2 }
    guard isKeyword(index, "RENAME"), isKeyword(index + 1, "TO"), index + 2 < tokens.count
    else { return nil }
    return tokens[index + 2].text
  }

  /// A token of `leadingTokens`: a word, a quoted name (unquoted, `quoted` set) or one
  /// punctuation character.
  private struct Token: Equatable {
    var text: String
    var quoted: Bool
  }

  /// The first `count` tokens of `sql`, skipping whitespace and comments.
  private static func leadingTokens(of sql: String, count: Int) -> [Token] {
    let bytes = Array(sql.utf8)
    var tokens: [Token] = []
    var index = firstToken(in: bytes, from: 0)
    while index < bytes.count, tokens.count < count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "["):
        let closing = byte == UInt8(ascii: "[") ? UInt8(ascii: "]") : byte
        let end = skipQuoted(bytes, from: index, closing: closing)
        let inner = bytes[(index + 1)..<max(index + 1, end - 1)]
        var text = String(decoding: inner, as: UTF8.self)
        if closing != UInt8(ascii: "]") {
          let quote = String(decoding: [closing], as: UTF8.self)
          text = text.replacing(quote + quote, with: quote)
        }
        tokens.append(Token(text: text, quoted: true))
        index = end
      default:
        if isWordByte(byte) {
          var end = index
          while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
          tokens.append(
            Token(text: String(decoding: bytes[index..<end], as: UTF8.self), quoted: false))
          index = end
        } else {
          tokens.append(Token(text: String(decoding: [byte], as: UTF8.self), quoted: false))
          index += 1
        }
      }
      index = firstToken(in: bytes, from: index)
    }
    return tokens
  }

  // MARK: - Lexing helpers

  private static func firstToken<C: RandomAccessCollection>(in bytes: C, from offset: Int) -> Int
  where C.Element == UInt8, C.Index == Int {
    var index = max(offset, bytes.startIndex)
    while index < bytes.endIndex {
      let byte = bytes[index]
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
        index += 1
      } else if byte == UInt8(ascii: "-"), index + 1 < bytes.endIndex, bytes[index + 1] == byte {
        index = skipComment(bytes, from: index)
      } else if byte == UInt8(ascii: "/"), index + 1 < bytes.endIndex,
        bytes[index + 1] == UInt8(ascii: "*")
      {
        index = skipComment(bytes, from: index)
      } else {
        return index
      }
    }
    return bytes.endIndex
  }

  /// Skips a `--` or `/* */` comment starting at `index`; returns the index after it.
  private static func skipComment<C: RandomAccessCollection>(_ bytes: C, from index: Int) -> Int
  where C.Element == UInt8, C.Index == Int {
    var cursor = index + 2
    if bytes[index] == UInt8(ascii: "-") {
      while cursor < bytes.endIndex, bytes[cursor] != 0x0A { cursor += 1 }
      return cursor
    }
    while cursor + 1 < bytes.endIndex {
      if bytes[cursor] == UInt8(ascii: "*"), bytes[cursor + 1] == UInt8(ascii: "/") {
        return cursor + 2
      }
      cursor += 1
    }
    return bytes.endIndex
  }

  /// Skips quoted text starting at `index` (a doubled closing quote is an escape).
  private static func skipQuoted(_ bytes: [UInt8], from index: Int, closing: UInt8) -> Int {
    var cursor = index + 1
    while cursor < bytes.count {
      if bytes[cursor] == closing {
        if cursor + 1 < bytes.count, bytes[cursor + 1] == closing, closing != UInt8(ascii: "]") {
          cursor += 2
          continue
        }
        return cursor + 1
      }
      cursor += 1
    }
    return bytes.count
  }

  /// The tag of a dollar quote opening at `index` (`$$` → `$$`, `$body$` → `$body$`), or
  /// `nil` when the `$` opens none (a SQLite parameter such as `$name`).
  private static func dollarTag(_ bytes: [UInt8], at index: Int) -> ArraySlice<UInt8>? {
    var cursor = index + 1
    if cursor < bytes.count, !(bytes[cursor] >= 0x30 && bytes[cursor] <= 0x39) {
      while cursor < bytes.count, isWordByte(bytes[cursor]) { cursor += 1 }
    }
    guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "$") else { return nil }
    return bytes[index...cursor]
  }

  /// Skips a dollar-quoted body opened at `index` by `tag`; returns the index after the
  /// closing tag (the end of the text when it is never closed).
  private static func skipDollarQuoted(
    _ bytes: [UInt8], from index: Int, tag: ArraySlice<UInt8>
  ) -> Int {
    var cursor = index + tag.count
    while cursor + tag.count <= bytes.count {
      if bytes[cursor] == UInt8(ascii: "$"), bytes[cursor..<(cursor + tag.count)] == tag {
        return cursor + tag.count
      }
      cursor += 1
    }
    return bytes.count
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
      || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte >= 0x80
  }
}

extension String {
  /// The 1-based line number of the UTF-8 byte `offset` in this string.
  func lineNumber(atUTF8Offset offset: Int) -> Int {
    var line = 1
    for (index, byte) in utf8.enumerated() {
      if index >= offset { break }
      if byte == 0x0A { line += 1 }
    }
    return line
  }
}
