import Foundation
import Testing

@testable import SchemaLedger

/// Tables named like the ledger's that SchemaLedger did not make, and ledgers whose format
/// version this build must not trust: refused by every command, the file left as it was.
@Suite("Not a SchemaLedger ledger")
struct ForeignLedgerTests {
  /// Runs each command on the fixture; checks exit 1, that stderr has every one of
  /// `words`, and that the database file's bytes did not change.
  private func expectRefused(
    _ commands: [[String]], _ fixture: Fixture, words: [String],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    let before = try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))
    let entries = {
      try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
        .filter { !$0.hasPrefix(".out-") && !$0.hasPrefix(".err-") }.sorted()
    }
    let entriesBefore = try entries()
    for command in commands {
      let result = try fixture.cli(command)
      #expect(result.status == 1, "\(command): \(result.stderr)", sourceLocation: sourceLocation)
      for word in words {
        #expect(
          result.stderr.contains(word), "\(command): '\(word)' not in \(result.stderr)",
          sourceLocation: sourceLocation)
      }
      #expect(
        try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath)) == before,
        "\(command) changed the file", sourceLocation: sourceLocation)
    }
    #expect(try entries() == entriesBefore, sourceLocation: sourceLocation)
  }

  @Test("the application's own schemaledger_events table is refused, not written to")
  func foreignEventsTable() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.executeScript(
        """
        CREATE TABLE schemaledger_events (id INTEGER PRIMARY KEY, name TEXT, payload TEXT);
        INSERT INTO schemaledger_events (name, payload) VALUES ('signup', '{}');
        """)
      try expectRefused(
        [
          ["apply"], ["status"], ["history"], ["verify"],
          ["baseline", "--to", "1", "--reason", "r"],
        ],
        fixture,
        words: [
          "has a table schemaledger_events without the columns of a ledger",
          "it has id, name and payload", "Nothing was changed", "rename them",
        ])
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("the application's own schemaledger_meta table, without a ledger, is refused")
  func foreignMetaTable() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.executeScript(
        """
        CREATE TABLE schemaledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO schemaledger_meta VALUES ('theme', 'dark');
        """)
      try expectRefused(
        [["apply"], ["status"], ["history"], ["verify"]], fixture,
        words: [
          "has a table schemaledger_meta, but no table schemaledger_events",
          "ALTER TABLE schemaledger_meta RENAME TO app_meta",
        ])
      #expect(
        try fixture.query("SELECT key || '=' || value FROM schemaledger_meta") == ["theme=dark"])
    }
  }

  @Test(
    "a malformed format version is refused, on the no-op and fast paths too",
    arguments: ["abc", "", "2x", "0"])
  func malformedFormat(value: String) throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(try fixture.cli(["apply"]).status == 0)  // records the startup check, too
      try SQLiteConnection(path: fixture.databasePath).execute(
        "UPDATE schemaledger_meta SET value = ? WHERE key = 'format_version'", [.text(value)])
      let words = ["has the format version '\(value)', which is not a version number"]
      try expectRefused([["apply"], ["status"], ["history"], ["verify"]], fixture, words: words)
      // Without the fast startup check, and with a migration pending.
      #expect(throws: LedgerError.malformedFormat(database: fixture.databasePath, value: value)) {
        try fixture.ledger { $0.fastStartupCheck = false }.migrate()
      }
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try expectRefused([["apply"], ["status"]], fixture, words: words)
    }
  }

  @Test("a missing format version is refused")
  func missingFormat() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(try fixture.cli(["apply"]).status == 0)
      try SQLiteConnection(path: fixture.databasePath).execute(
        "DELETE FROM schemaledger_meta WHERE key = 'format_version'")
      try expectRefused(
        [["apply"], ["status"]], fixture,
        words: ["The ledger in '\(fixture.databasePath)' has no format version"])
    }
  }

  @Test("a newer format version is refused when nothing is pending, through the fast check")
  func newerFormatOnFastPath() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(try fixture.cli(["apply"]).status == 0)
      let newer = LedgerSchema.formatVersion + 1
      try SQLiteConnection(path: fixture.databasePath).execute(
        "UPDATE schemaledger_meta SET value = ? WHERE key = 'format_version'",
        [.text(String(newer))])
      try expectRefused(
        [["apply"], ["status"]], fixture,
        words: ["has format version \(newer)", "upgrade SchemaLedger"])
    }
  }
}
