import Foundation
import Testing

@testable import SchemaLedger

/// A folder entry `apply` must refuse, added to a folder that was applied before.
enum BrokenLayoutEntry: String, CaseIterable, Sendable {
  /// `notes.sql`: a `.sql` file with no version.
  case unknownSQLFile
  /// `20240101000000_init/` with `schema.sql` but no `migration.sql`.
  case prismaFolderWithoutMigrationSQL
  /// A drizzle journal entry whose `.sql` file does not exist.
  case drizzleJournalEntryWithoutFile
  /// `V2__b.sql` (flyway) beside `001_a.sql` (sql-files).
  case mixedLayouts
  /// `V2__b.sql` using `${missing_value}`, which no `--placeholder` gives.
  case unsetPlaceholder
  /// `002_b.sql` still byte-identical to what `schemaledger new` writes.
  case unwrittenTemplate

  /// The drizzle journal, listing `tags`.
  static func drizzleJournal(_ tags: [String]) -> String {
    let entries = tags.enumerated().map { index, tag in
      """
          {
            "idx": \(index),
            "version": "6",
            "when": \(1_700_000_000_000 + index * 86_400_000),
            "tag": "\(tag)",
            "breakpoints": true
          }
      """
    }
    return """
      {
        "version": "7",
        "dialect": "sqlite",
        "entries": [
      \(entries.joined(separator: ",\n"))
        ]
      }

      """
  }

  /// Writes the valid folder that is applied first.
  func writeValidFolder(_ fixture: Fixture) throws {
    switch self {
    case .drizzleJournalEntryWithoutFile:
      try fixture.migration("0000_init.sql", "CREATE TABLE `a` (\n\t`x` integer\n);\n")
      try fixture.migration("meta/_journal.json", Self.drizzleJournal(["0000_init"]))
    case .unsetPlaceholder:
      try fixture.migration("V1__a.sql", "CREATE TABLE a (x);\n")
    default:
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);\n")
    }
  }

  /// Adds the broken entry.
  func addBrokenEntry(_ fixture: Fixture) throws {
    switch self {
    case .unknownSQLFile:
      try fixture.migration("notes.sql", "-- scratch queries\nSELECT count(*) FROM a;\n")
    case .prismaFolderWithoutMigrationSQL:
      try fixture.migration("20240101000000_init/schema.sql", "CREATE TABLE b (x);\n")
    case .drizzleJournalEntryWithoutFile:
      try fixture.migration(
        "meta/_journal.json", Self.drizzleJournal(["0000_init", "0001_missing"]))
    case .mixedLayouts:
      try fixture.migration("V2__b.sql", "CREATE TABLE b (x);\n")
    case .unsetPlaceholder:
      try fixture.migration("V2__b.sql", "INSERT INTO a (x) VALUES ('${missing_value}');\n")
    case .unwrittenTemplate:
      try fixture.migration("002_b.sql", "-- migrate:up\n\n\n-- migrate:down\n\n")
    }
  }

  /// Key words stderr must contain: the broken entry's name, and what is wrong.
  var expectedInStderr: [String] {
    switch self {
    case .unknownSQLFile: ["notes.sql", "sql-files"]
    case .prismaFolderWithoutMigrationSQL: ["20240101000000_init", "migration.sql"]
    case .drizzleJournalEntryWithoutFile: ["0001_missing"]
    case .mixedLayouts: ["001_a.sql", "V2__b.sql", "--layout"]
    case .unsetPlaceholder: ["V2__b.sql", "missing_value"]
    case .unwrittenTemplate: ["002_b.sql", "not written yet"]
    }
  }
}

@Suite("Folders apply refuses, and why", .timeLimit(.minutes(1)))
struct LayoutErrorTests {
  @Test(
    "a broken entry exits 1, names it and what is wrong, and leaves the database as it was",
    arguments: BrokenLayoutEntry.allCases)
  func refused(_ entry: BrokenLayoutEntry) throws {
    try withFixture { fixture in
      try entry.writeValidFolder(fixture)
      let first = try fixture.cli(["apply"])
      try #require(first.status == 0, "the valid folder did not apply: \(first.stderr)")
      let database = URL(fileURLWithPath: fixture.databasePath)
      let before = try Data(contentsOf: database)

      try entry.addBrokenEntry(fixture)
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      for words in entry.expectedInStderr {
        #expect(result.stderr.contains(words), "stderr: \(result.stderr)")
      }
      #expect(try Data(contentsOf: database) == before)
    }
  }

  @Test("an up section with only comments applies and is recorded")
  func commentOnlyUpSection() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);\n")
      try fixture.migration("002_b.sql", "-- migrate:up\n-- nothing yet\n-- migrate:down\n")
      let result = try fixture.cli(["apply"])
      try #require(result.status == 0, "\(result.stderr)")
      #expect(try fixture.ledgerRows().contains("applied 002_b"))
    }
  }
}
