import Foundation
import Testing

@testable import SchemaLedger

/// A command given `--json` that fails prints one error object on stdout (docs/json.md),
/// keeps its exit code, and still writes the `Error:` message on stderr.
@Suite("--json: the error object", .timeLimit(.minutes(2)))
struct JSONErrorTests {
  /// The error object: exactly these keys.
  static let schema = JSONSchema.object([
    "format": .integer, "kind": .string, "message": .string,
    "location": .optional(
      .object([
        "file": .optional(.string), "line": .optional(.integer), "migration": .optional(.string),
      ])
    ),
    "action": .optional(.string),
  ])

  /// Runs `arguments` on `fixture` (its database and migrations folder, unless
  /// `arguments` name their own: `withOwnPaths`), checks the shape, the exit code and
  /// stderr, and returns the error object.
  func failure(
    _ fixture: Fixture, _ arguments: [String], withOwnPaths: Bool = false, status: Int32,
    kind: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws -> [String: Any] {
    let result =
      withOwnPaths
      ? try ToolProcess.run(arguments, in: fixture.directory) : try fixture.cli(arguments)
    #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
    let object = try jsonObject(result.stdout)
    #expect(Self.schema.issues(object) == [], sourceLocation: sourceLocation)
    #expect(object["format"] as? Int == 1, sourceLocation: sourceLocation)
    #expect(object["kind"] as? String == kind, sourceLocation: sourceLocation)
    let message = try #require(object["message"] as? String, sourceLocation: sourceLocation)
    #expect(
      result.stderr.contains("Error: \(message)"), "\(result.stderr)",
      sourceLocation: sourceLocation)
    if let action = object["action"] as? String, kind != "usage" {
      let lowered = action.prefix(1).lowercased() + action.dropFirst()
      #expect(
        message.contains(action) || message.contains(lowered), sourceLocation: sourceLocation)
    }
    return object
  }

  func location(_ object: [String: Any]) -> [String: Any]? {
    object["location"] as? [String: Any]
  }

  @Test("a usage error: kind usage, exit 64, the help to read as the action")
  func usage() throws {
    try withFixture { fixture in
      let object = try failure(
        fixture, ["status", "--json", "--bogus"], status: 64, kind: "usage")
      #expect(object["message"] as? String == "Unknown option '--bogus'.")
      #expect(object["location"] is NSNull)
      #expect(object["action"] as? String == "See 'schemaledger status --help'.")
      // Even when --json is the option the command does not have.
      let other = try failure(
        fixture, ["baseline", "--json", "--to", "1", "--reason", "r"], status: 64, kind: "usage")
      #expect(other["message"] as? String == "Unknown option '--json'.")
      // Without --json, stdout stays empty.
      let plain = try fixture.cli(["status", "--bogus"])
      #expect(plain.status == 64 && plain.stdout.isEmpty)
    }
  }

  @Test("a bad migrations folder: kind source, the file and line")
  func source() throws {
    try withFixture { fixture in
      let missing = fixture.directory.appendingPathComponent("nowhere").path
      let folder = try failure(
        fixture, ["status", "--json", "-d", fixture.databasePath, "-m", missing],
        withOwnPaths: true, status: 1, kind: "source")
      #expect(location(folder)?["file"] as? String == missing)
      #expect(location(folder)?["line"] is NSNull)
      #expect(
        folder["action"] as? String
          == "Create it ('schemaledger new NAME' does) or point --migrations at it.")
      let file = try fixture.migration(
        "001_a.sql", "CREATE TABLE early (x);\n-- migrate:up\nCREATE TABLE a (x);\n")
      let marker = try failure(fixture, ["plan", "--json"], status: 1, kind: "source")
      #expect(location(marker)?["file"] as? String == file.path)
      #expect(location(marker)?["line"] as? Int == 1)
      #expect(location(marker)?["migration"] is NSNull)
      #expect(marker["action"] as? String == "Move it below '-- migrate:up'.")
    }
  }

  @Test("a refused plan: kind plan, the drifted file and migration")
  func plan() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let file = try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x, y);", down: "DROP TABLE a;"))
      let object = try failure(fixture, ["apply", "--json"], status: 1, kind: "plan")
      #expect(location(object)?["file"] as? String == file.path)
      #expect(location(object)?["migration"] as? String == "001_a")
      #expect((object["action"] as? String)?.hasPrefix("Restore the original file") == true)
    }
  }

  @Test("a failed migration: kind execution, the statement's file and line")
  func execution() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);"))
      let file = try fixture.migration(
        "002_b.sql", Fixture.dbmate(up: "CREATE TABLE b (x);\nCREATE TABEL c (x);"))
      let object = try failure(fixture, ["apply", "--json"], status: 1, kind: "execution")
      #expect(location(object)?["file"] as? String == file.path)
      #expect(location(object)?["line"] as? Int == 3)
      #expect(location(object)?["migration"] as? String == "002_b")
      #expect(
        object["action"] as? String == "Fix the statement and run 'schemaledger apply' again.")
      #expect(try fixture.ledgerRows().last == "failed 002_b")
    }
  }

  @Test("the ledger, the database and an input file: kinds ledger, database and file")
  func ledgerDatabaseFile() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let past = try failure(
        fixture, ["replay", "--json", "--at", "500"], status: 1, kind: "ledger")
      #expect(past["location"] is NSNull)
      #expect(
        (past["action"] as? String)?.hasPrefix("Give an event number from 0 to 6") == true)
      let key = fixture.directory.appendingPathComponent("missing.key").path
      let file = try failure(
        fixture, ["verify", "--json", "--ledger-key-file", key], status: 1, kind: "file")
      #expect(location(file)?["file"] as? String == key)
      #expect(file["action"] as? String == "Check the path and its permissions.")
    }
    try withFixture { fixture in
      try Data("not a database, just text\n".utf8).write(
        to: URL(fileURLWithPath: fixture.databasePath))
      let object = try failure(fixture, ["status", "--json"], status: 1, kind: "database")
      #expect(object["location"] is NSNull)
      #expect(object["action"] as? String == "Check --database points at the right file.")
    }
  }
}
