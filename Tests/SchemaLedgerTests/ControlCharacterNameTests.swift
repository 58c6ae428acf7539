import Foundation
import Testing

@testable import SchemaLedger

@Suite("Control characters in migration file names", .timeLimit(.minutes(1)))
struct ControlCharacterNameTests {
  @Test("apply refuses names with a newline or an ESC before anything runs, escaped")
  func applyRefuses() throws {
    try withFixture { fixture in
      try fixture.migration("001_a\nb.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_\u{1B}[31mred.sql", "CREATE TABLE b (x);")
      try fixture.migration("003_c.sql", "CREATE TABLE c (x);")
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("001_a\\nb.sql"))
      #expect(result.stderr.contains("002_\\u{1B}[31mred.sql"))
      #expect(result.stderr.contains("control character"))
      #expect(result.stderr.contains("Nothing was applied"))
      #expect(!result.stderr.contains("\u{1B}"))
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("a folder entry that is no migration is refused too, not skipped with a warning")
  func otherEntries() throws {
    try withTemporaryDirectory { directory in
      try directory.write("001_a.sql", "CREATE TABLE a (x);")
      try directory.write("notes\u{7}.txt", "ring")
      let error = try #require(throws: MigrationSourceError.self) {
        try MigrationSource(directory: directory.path)
      }
      #expect(error.description.contains("notes\\u{07}.txt"))
    }
  }

  @Test("in-memory names with control characters are refused")
  func inMemory() throws {
    let error = try #require(throws: MigrationSourceError.self) {
      try MigrationSource(files: [("001_a\tb.sql", "CREATE TABLE a (x);")])
    }
    #expect(error.description.contains("001_a\\tb.sql"))
    #expect(error.description.contains("control character"))
  }
}
