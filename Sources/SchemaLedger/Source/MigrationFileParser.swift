/// Parses the text of one migration into sections, directives and a `Migration`.
///
/// Understands dbmate markers (`-- migrate:up` / `-- migrate:down`, with the option
/// `transaction:false`), goose markers (`-- +goose Up` / `Down` / `StatementBegin` /
/// `StatementEnd` / `NO TRANSACTION`) and files with no marker (up only). The one
/// directive is `-- depends: ID_OR_VERSION ...` at the top of the up section. Every other
/// `--` comment is a comment. Pure: text in, value or error out.
struct MigrationFileParser {
  /// Identity taken from the file name.
  struct Identity: Equatable {
    var id: String
    var version: MigrationVersion
    var name: String
  }

  let file: String
  let identity: Identity

  // MARK: - Single files

  /// Parses a single-file migration (dbmate, goose, or up-only).
  func parseSingleFile(_ text: String) throws -> Migration {
    let lines = text.lfLines
    var style: MarkerStyle?
    var upStart: Int?
    var downStart: Int?
    var sectionEnds: [Int] = []
    var outside: String?
    for (index, rawLine) in lines.enumerated() {
      guard let marker = try marker(in: rawLine, line: index + 1) else { continue }
      if let style, style != marker.style {
        throw MigrationSourceError.mixedMarkerStyles(file: file, line: index + 1)
      }
      style = marker.style
      switch marker.kind {
      case .up(let reason):
        guard upStart == nil else {
          throw MigrationSourceError.duplicateMarker(
            file: file, line: index + 1, marker: String(rawLine).trimmed)
        }
        if let downStart {
          throw MigrationSourceError.markerOutOfOrder(file: file, line: downStart)
        }
        upStart = index + 1
        sectionEnds.append(index)
        if let reason { outside = reason }
      case .down:
        guard downStart == nil else {
          throw MigrationSourceError.duplicateMarker(
            file: file, line: index + 1, marker: String(rawLine).trimmed)
        }
        downStart = index + 1
        sectionEnds.append(index)
      case .noTransaction(let reason):
        outside = reason
      case .comment:
        break
      }
    }
    if upStart == nil, downStart != nil {
      throw MigrationSourceError.downWithoutUp(file: file)
    }
    guard let upStart else {
      // No markers: the whole file is the up section, and the migration is irreversible.
      return try makeMigration(
        up: Section(text: text, firstLine: 1), down: nil, outsideReason: nil)
    }
    let preamble = Section.text(of: lines[0..<(sectionEnds[0])], in: text)
    let preambleToken = SQLScanner.firstTokenOffset(in: preamble, from: 0)
    if preambleToken < preamble.utf8.count {
      throw MigrationSourceError.sqlBeforeUpMarker(
        file: file, line: preamble.lineNumber(atUTF8Offset: preambleToken))
    }
    let upEnd = downStart.map { $0 - 1 } ?? lines.count
    let up = Section(
      text: Section.text(of: lines[upStart..<max(upStart, upEnd)], in: text),
      firstLine: upStart + 1)
    let down = downStart.map {
      Section(text: Section.text(of: lines[$0..<lines.count], in: text), firstLine: $0 + 1)
    }
    if let down, let line = Self.firstDirectiveLine(in: down) {
      throw MigrationSourceError.badDirective(
        file: file, line: line,
        message: "'-- depends:' belongs at the top of the up section, not in the down section")
    }
    var migration = try makeMigration(up: up, down: down, outsideReason: outside)
    // Directives may also stand above the up marker, with the file's leading comments.
    migration.dependencies =
      try directives(in: Section(text: preamble, firstLine: 1)) + migration.dependencies
    return migration
  }

  // MARK: - Separate up and down texts

  /// Parses a migration whose up and down SQL are separate files (golang-migrate pairs,
  /// diesel folders). `upFile`/`downFile` name those files for messages.
  static func parsePair(
    identity: Identity, upFile: String, upText: String, downFile: String?, downText: String?,
    outsideReason: String?
  ) throws -> Migration {
    let parser = MigrationFileParser(file: upFile, identity: identity)
    var migration = try parser.makeMigration(
      up: Section(text: upText, firstLine: 1),
      down: downText.map { Section(text: $0, firstLine: 1) },
      outsideReason: outsideReason)
    if let downFile, migration.downLocation != nil {
      migration.downLocation = SourceLocation(file: downFile, line: 1)
    }
    return migration
  }

  // MARK: - Building the migration

  /// Builds the migration. An up section with no statement is a no-op migration, applied
  /// and recorded like any other.
  private func makeMigration(
    up: Section, down: Section?, outsideReason: String?
  ) throws -> Migration {
    let dependencies = try directives(in: up)
    // sqlx: a file whose very first bytes are `-- no-transaction` runs outside one.
    let sqlxReason =
      up.firstLine == 1 && up.text.hasPrefix("-- no-transaction")
      ? "marked '-- no-transaction'" : nil
    let reason = outsideReason ?? sqlxReason ?? Self.transactionControlReason(in: up.text)
    return Migration(
      id: identity.id, version: identity.version, name: identity.name,
      upSQL: up.text, downSQL: down?.text,
      checksum: SHA256.hexDigest(up.text),
      transactionMode: reason.map { .outside(reason: $0) } ?? .wrapped,
      dependencies: dependencies,
      upLocation: SourceLocation(file: file, line: up.firstLine),
      downLocation: down.map { SourceLocation(file: file, line: $0.firstLine) })
  }

  /// `-- depends: a b` lines; only allowed before the up section's first statement.
  private func directives(in section: Section) throws -> [String] {
    var dependencies: [String] = []
    let firstToken = SQLScanner.firstTokenOffset(in: section.text, from: 0)
    let hasStatement = firstToken < section.text.utf8.count
    let firstStatementLine =
      hasStatement ? section.text.lineNumber(atUTF8Offset: firstToken) : Int.max
    for (index, line) in section.text.lfLines.enumerated() {
      guard let value = Self.directiveValue(line, name: "depends") else { continue }
      let lineNumber = section.firstLine + index
      guard index + 1 < firstStatementLine else {
        throw MigrationSourceError.badDirective(
          file: file, line: lineNumber,
          message: "'-- depends:' must come before the section's first statement")
      }
      let names = value.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
      guard !names.isEmpty else {
        throw MigrationSourceError.badDirective(
          file: file, line: lineNumber,
          message: "'-- depends:' names no migration (write '-- depends: 0002_users')")
      }
      dependencies += names.map(String.init)
    }
    return dependencies
  }

  /// The line of the first `-- depends:` in `section`, if any.
  private static func firstDirectiveLine(in section: Section) -> Int? {
    return section.text.lfLines.firstIndex { directiveValue($0, name: "depends") != nil }
      .map { section.firstLine + $0 }
  }

  /// The value of a `-- NAME: value` directive line, when `line` is one.
  private static func directiveValue(_ line: Substring, name: String) -> Substring? {
    // Most lines are SQL: leave them before any character-level work.
    guard line.utf8.drop(while: { $0 == 0x20 || $0 == 0x09 }).starts(with: [0x2D, 0x2D])
    else { return nil }
    let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
    guard trimmed.hasPrefix("--") else { return nil }
    let body = trimmed.dropFirst(2).drop(while: { $0 == " " || $0 == "\t" })
    guard body.lowercased().hasPrefix(name + ":") else { return nil }
    return body.dropFirst(name.count + 1)
  }

  /// Why `sql` cannot run inside SchemaLedger's transaction, if it cannot: it manages its
  /// own transaction (`BEGIN` / `COMMIT` / `END` / `ROLLBACK`), runs `VACUUM`, or runs
  /// what PostgreSQL refuses in a transaction (`CREATE INDEX CONCURRENTLY` and the other
  /// `CONCURRENTLY` forms, `CREATE` / `DROP DATABASE` or `TABLESPACE`, `ALTER SYSTEM`).
  static func transactionControlReason(in sql: String) -> String? {
    for statement in SQLScanner.statements(in: sql) {
      guard let first = statement.leadingWords.first else { continue }
      let second = statement.leadingWords.dropFirst().first ?? ""
      if statement.isConcurrently {
        return "\(first) ... CONCURRENTLY cannot run inside a transaction"
      }
      if ["CREATE", "DROP"].contains(first) && ["DATABASE", "TABLESPACE"].contains(second)
        || (first == "ALTER" && second == "SYSTEM")
      {
        return "\(first) \(second) cannot run inside a transaction"
      }
      switch first {
      case "BEGIN", "COMMIT", "END":
        return "manages its own transaction (\(first))"
      case "ROLLBACK" where !statement.rollsBackToSavepoint:
        return "manages its own transaction (ROLLBACK)"
      case "VACUUM":
        return "VACUUM cannot run inside a transaction"
      default:
        continue
      }
    }
    return nil
  }

  // MARK: - Markers

  private enum MarkerStyle { case dbmate, goose }

  private struct Marker {
    enum Kind: Equatable {
      case up(outsideReason: String?)
      case down, comment
      case noTransaction(String)
    }
    var style: MarkerStyle
    var kind: Kind
  }

  /// Recognises a marker line; throws on one that is almost a marker.
  private func marker(in rawLine: Substring, line: Int) throws -> Marker? {
    // Most lines are SQL: leave them before building any string.
    guard rawLine.utf8.drop(while: { $0 == 0x20 || $0 == 0x09 }).starts(with: [0x2D, 0x2D])
    else { return nil }
    let text = String(rawLine).trimmed
    let body = String(text.dropFirst(2)).trimmed
    let lower = body.lowercased()
    if lower.hasPrefix("+goose") {
      return try gooseMarker(String(body.dropFirst(6)).trimmed, text: text, line: line)
    }
    guard Self.looksLikeDbmateMarker(lower) else { return nil }
    let words = body.split(whereSeparator: { $0 == " " || $0 == "\t" })
    let head = words.first.map(String.init) ?? ""
    guard head == "migrate:up" || head == "migrate:down" else {
      let expected = Self.closestSection(lower) == "down" ? "-- migrate:down" : "-- migrate:up"
      throw MigrationSourceError.misspeltMarker(
        file: file, line: line, text: text, expected: expected)
    }
    var outside: String?
    for option in words.dropFirst() {
      switch option.lowercased() {
      case "transaction:false" where head == "migrate:up": outside = "marked transaction:false"
      case "transaction:true": break
      default:
        throw MigrationSourceError.misspeltMarker(
          file: file, line: line, text: text,
          expected: head == "migrate:up" ? "-- migrate:up transaction:false" : "-- migrate:down")
      }
    }
    let kind: Marker.Kind = head == "migrate:up" ? .up(outsideReason: outside) : .down
    return Marker(style: .dbmate, kind: kind)
  }

  /// `migrate:...`, `migrate: up`, `migrate up`, `migrate-down`: meant as a marker.
  /// Prose such as `-- Migrate the old rows` is not.
  private static func looksLikeDbmateMarker(_ lower: String) -> Bool {
    guard lower.hasPrefix("migrate") else { return false }
    let rest = lower.dropFirst("migrate".count)
    if rest.first == ":" { return true }
    let word = rest.drop(while: { $0 == " " || $0 == "\t" || $0 == "-" || $0 == "_" })
      .prefix { $0.isLetter }
    return word == "up" || word == "down"
  }

  /// `up` or `down`, whichever the text after `migrate` is closer to (`dwon` → `down`).
  private static func closestSection(_ lower: String) -> String {
    let word = String(
      lower.dropFirst("migrate".count).drop { !$0.isLetter }.prefix { $0.isLetter })
    return EditDistance.between(word, "down") < EditDistance.between(word, "up") ? "down" : "up"
  }

  private func gooseMarker(_ command: String, text: String, line: Int) throws -> Marker {
    switch command.lowercased() {
    case "up": return Marker(style: .goose, kind: .up(outsideReason: nil))
    case "down": return Marker(style: .goose, kind: .down)
    case "statementbegin", "statementend", "envsub on", "envsub off":
      return Marker(style: .goose, kind: .comment)
    case "no transaction":
      return Marker(style: .goose, kind: .noTransaction("marked '-- +goose NO TRANSACTION'"))
    default:
      throw MigrationSourceError.misspeltMarker(
        file: file, line: line, text: text,
        expected:
          "-- +goose Up, Down, StatementBegin, StatementEnd, NO TRANSACTION or ENVSUB ON/OFF")
    }
  }
}

/// A section's text and the file line it starts on.
struct Section {
  var text: String
  var firstLine: Int

  /// The text spanned by consecutive `lines` of `text` (without the last line's LF).
  static func text(of lines: ArraySlice<Substring>, in text: String) -> String {
    guard let first = lines.first, let last = lines.last else { return "" }
    return String(text[first.startIndex..<last.endIndex])
  }
}
