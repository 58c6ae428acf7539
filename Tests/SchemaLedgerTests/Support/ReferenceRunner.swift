import Foundation

/// Runs a layout fixture the way the tool that wrote it would, through the `sqlite3`
/// command-line shell: the reference side of `LayoutFixtureTests`.
///
/// Independent of SchemaLedger on purpose (no parser, no connection of the product): it
/// knows only the `.reference` list next to each fixture folder, one entry a line, in the
/// order the original tool runs them:
///
/// - `path`: the whole file, relative to the fixture folder;
/// - `path#up`: only the up section of a single-file dbmate or goose migration, the lines
///   after `-- migrate:up` / `-- +goose Up` up to `-- migrate:down` / `-- +goose Down`.
///
/// Blank lines and lines starting with `#` are comments. `${name}` in the SQL is replaced
/// with the test's value for `name`; one left over is an error, never sent to SQLite.
enum ReferenceRunner {
  /// The shell; the tests need it installed.
  static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

  /// Application objects: neither the ledger's nor SQLite's own.
  static let appObjects = "name NOT LIKE 'schemaledger%' AND name NOT LIKE 'sqlite_%'"

  /// A reference step that did not work, with what the shell said.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// One line of a `.reference` list.
  struct Entry: Equatable {
    /// Relative to the fixture folder.
    var path: String
    /// Only the up section of the file (`path#up`), not the whole file.
    var upSectionOnly: Bool
  }

  /// The entries of the list at `list`, in order.
  static func entries(in list: URL) throws -> [Entry] {
    try String(contentsOf: list, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: true)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
      .map { line in
        line.hasSuffix("#up")
          ? Entry(path: String(line.dropLast(3)), upSectionOnly: true)
          : Entry(path: line, upSectionOnly: false)
      }
  }

  /// Runs every entry of `list` (paths relative to `folder`), in order, each in its own
  /// `sqlite3` process, on a new database at `databasePath`.
  static func apply(
    list: URL, folder: URL, placeholders: [String: String], databasePath: String
  ) throws {
    guard !FileManager.default.fileExists(atPath: databasePath) else {
      throw Failure(description: "the reference database \(databasePath) already exists")
    }
    let entries = try entries(in: list)
    guard !entries.isEmpty else { throw Failure(description: "\(list.path) lists nothing") }
    for entry in entries {
      let sql = try self.sql(of: entry, in: folder, placeholders: placeholders)
      do {
        _ = try run(sql, on: databasePath)
      } catch let failure as Failure {
        throw Failure(description: "reference run of \(entry.path): \(failure.description)")
      }
    }
  }

  /// The SQL the original tool runs for `entry`, placeholders substituted.
  static func sql(
    of entry: Entry, in folder: URL, placeholders: [String: String]
  ) throws -> String {
    let file = folder.appendingPathComponent(entry.path)
    let text = try String(contentsOf: file, encoding: .utf8)
    let sql = entry.upSectionOnly ? try upSection(of: text, file: entry.path) : text
    return try substitute(sql, placeholders, file: entry.path)
  }

  /// The lines after the up marker, up to the down marker or the end.
  static func upSection(of text: String, file: String) throws -> String {
    var section: [Substring] = []
    var inside = false
    var found = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("-- migrate:up") || trimmed == "-- +goose Up" {
        inside = true
        found = true
      } else if trimmed.hasPrefix("-- migrate:down") || trimmed == "-- +goose Down" {
        inside = false
      } else if inside {
        section.append(line)
      }
    }
    guard found else { throw Failure(description: "\(file) has no up marker") }
    return section.joined(separator: "\n") + "\n"
  }

  /// `text` with each `${name}` replaced by `placeholders[name]`; throws when a
  /// `${...}` is left.
  static func substitute(
    _ text: String, _ placeholders: [String: String], file: String
  ) throws -> String {
    var result = text
    for (name, value) in placeholders {
      result = result.replacingOccurrences(of: "${\(name)}", with: value)
    }
    if let start = result.range(of: "${") {
      let rest = result[start.lowerBound...].prefix { $0 != "}" && $0 != "\n" }
      throw Failure(description: "\(file): no value for the placeholder \(rest)}")
    }
    return result
  }

  /// The application's schema (`sqlite_master` without the ledger's and SQLite's own
  /// objects) and every application table's rows, as the `sqlite3` shell prints them:
  /// equal texts mean equal schema and data.
  static func schemaAndData(of databasePath: String) throws -> String {
    guard FileManager.default.fileExists(atPath: databasePath) else {
      throw Failure(description: "no database at \(databasePath)")
    }
    let tables = try run(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND \(appObjects) ORDER BY name;\n",
      on: databasePath, readOnly: true
    ).split(separator: "\n")
    var script = """
      .headers on
      .mode quote
      SELECT type, name, tbl_name, sql FROM sqlite_master
      WHERE \(appObjects) ORDER BY type, name;

      """
    for table in tables {
      let quoted = table.replacingOccurrences(of: "\"", with: "\"\"")
      script += ".print\n.print 'rows of \(table)'\n"
      script += "SELECT * FROM \"\(quoted)\" ORDER BY 1;\n"
    }
    return try run(script, on: databasePath, readOnly: true)
  }

  /// Feeds `script` to `sqlite3` on `databasePath` (standard input from a file, output
  /// drained to files) and returns what it printed; throws on a non-zero exit or
  /// anything on standard error. `-bail` stops at the first error; `-init /dev/null`
  /// keeps a `~/.sqliterc` out of it.
  @discardableResult
  static func run(_ script: String, on databasePath: String, readOnly: Bool = false) throws
    -> String
  {
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("schemaledger-reference-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let input = try scratch.write("input.sql", script)
    let stdoutURL = try scratch.write("stdout", "")
    let stderrURL = try scratch.write("stderr", "")

    let process = Process()
    process.executableURL = sqlite3
    process.arguments =
      ["-bail", "-init", "/dev/null"] + (readOnly ? ["-readonly"] : []) + [databasePath]
    process.standardInput = try FileHandle(forReadingFrom: input)
    process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
    process.standardError = try FileHandle(forWritingTo: stderrURL)
    try process.run()
    process.waitUntilExit()

    let stdout = try String(contentsOf: stdoutURL, encoding: .utf8)
    let stderr = try String(contentsOf: stderrURL, encoding: .utf8)
    guard process.terminationStatus == 0, stderr.isEmpty else {
      throw Failure(
        description: "sqlite3 exited \(process.terminationStatus) on \(databasePath): \(stderr)")
    }
    return stdout
  }
}
