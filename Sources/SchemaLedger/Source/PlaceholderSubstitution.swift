/// Replaces placeholders in a migration's text before it is parsed: Flyway's `${name}`
/// everywhere in a Flyway file, and goose's environment references between
/// `-- +goose ENVSUB ON` and `-- +goose ENVSUB OFF`. Pure: text and values in, text and
/// the names used out. A placeholder without a value is an error naming `file:line`.
///
/// Line breaks are kept, so a line number of the substituted text is the same line of the
/// file (unless a value holds a line break).
struct PlaceholderSubstitution {
  /// The file, for messages and `${flyway:filename}`.
  let file: String
  /// Values given by the operator (`--placeholder`, `SourceOptions.placeholders`).
  let values: [String: String]
  /// The environment, read by goose ENVSUB blocks after `values`.
  let environment: [String: String]

  /// The text with its placeholders replaced and the names used (sorted), or `nil` when
  /// it has none.
  typealias Result = (text: String, names: [String])

  // MARK: - Flyway

  /// Flyway: every `${name}` in the file. Built in: `flyway:defaultSchema`,
  /// `flyway:schemas` and `flyway:database` (`main`), `flyway:user` (empty, as Flyway
  /// has it on SQLite), `flyway:filename`, `flyway:table` (`schemaledger_events`).
  func flyway(_ text: String) throws -> Result? {
    guard text.contains("${") else { return nil }
    var names = Set<String>()
    var lines: [String] = []
    for (index, line) in text.lfLines.enumerated() {
      lines.append(
        try replacing(in: line, line: index + 1) { reference in
          guard reference.hasPrefix("{"), reference.hasSuffix("}") else { return nil }
          let name = String(reference.dropFirst().dropLast())
          names.insert(name)
          return try flywayValue(name, line: index + 1)
        })
    }
    return (lines.joined(separator: "\n"), names.sorted())
  }

  private func flywayValue(_ name: String, line: Int) throws -> String {
    if let value = values[name] { return value }
    switch name {
    case "flyway:defaultSchema", "flyway:schemas", "flyway:database": return "main"
    case "flyway:user": return ""
    case "flyway:filename": return PathName.lastComponent(of: file)
    case "flyway:table": return "schemaledger_events"
    default: throw MigrationSourceError.missingPlaceholder(file: file, line: line, name: name)
    }
  }

  // MARK: - goose ENVSUB

  /// goose: `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}` and `${VAR:?message}`
  /// on the lines between `-- +goose ENVSUB ON` and `-- +goose ENVSUB OFF` (markers are
  /// case-insensitive). goose expands an unset variable to nothing; SchemaLedger refuses
  /// it, so a typo cannot run as an empty string.
  func gooseEnvsub(_ text: String) throws -> Result? {
    guard text.lowercased().contains("+goose envsub") else { return nil }
    var names = Set<String>()
    var lines: [String] = []
    var active = false
    for (index, line) in text.lfLines.enumerated() {
      let marker = String(line).trimmed.lowercased()
      if marker.hasPrefix("--"), String(marker.dropFirst(2)).trimmed.hasPrefix("+goose envsub") {
        active = marker.hasSuffix("on")
        lines.append(String(line))
        continue
      }
      guard active else {
        lines.append(String(line))
        continue
      }
      lines.append(
        try replacing(in: line, line: index + 1) { reference in
          try gooseValue(reference, line: index + 1, names: &names)
        })
    }
    guard !names.isEmpty else { return nil }
    return (lines.joined(separator: "\n"), names.sorted())
  }

  /// The value of a goose reference (`{VAR:-x}` or `VAR`, without the `$`), or `nil`
  /// when the text after `$` is not a reference (`$$`, `$1`).
  private func gooseValue(_ reference: String, line: Int, names: inout Set<String>) throws
    -> String?
  {
    var body = Substring(reference)
    if body.hasPrefix("{") {
      guard body.hasSuffix("}") else { return nil }
      body = body.dropFirst().dropLast()
    }
    let name = String(body.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
    guard let first = name.first, first == "_" || first.isLetter else { return nil }
    names.insert(name)
    let operation = body.dropFirst(name.count)
    let value = values[name] ?? environment[name]
    if operation.hasPrefix(":-") {
      return (value?.isEmpty ?? true) ? String(operation.dropFirst(2)) : value
    }
    if operation.hasPrefix("-") { return value ?? String(operation.dropFirst()) }
    if let value, !(operation.hasPrefix(":?") && value.isEmpty) { return value }
    throw MigrationSourceError.missingPlaceholder(file: file, line: line, name: name)
  }

  // MARK: - Scanning

  /// `line` with each `$…` reference replaced by what `value` returns for it (`{…}` up to
  /// the closing brace, or the name that follows); a `nil` keeps the text as it is.
  private func replacing(
    in line: Substring, line number: Int, _ value: (String) throws -> String?
  ) throws -> String {
    guard line.contains("$") else { return String(line) }
    var result = ""
    var rest = line
    while let dollar = rest.firstIndex(of: "$") {
      result += rest[..<dollar]
      let after = rest[rest.index(after: dollar)...]
      if after.hasPrefix("$") {
        // `$$` (a dollar-quote, or an escaped `$`) is never a reference.
        result += "$$"
        rest = after.dropFirst()
        continue
      }
      var reference: Substring
      if after.hasPrefix("{"), let close = after.firstIndex(of: "}") {
        reference = after[...close]
      } else {
        reference = after.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
      }
      if !reference.isEmpty, let replacement = try value(String(reference)) {
        result += replacement
        rest = after[reference.endIndex...]
      } else {
        result += "$"
        rest = after
      }
    }
    return result + rest
  }
}
