import Foundation
import Testing

@testable import SchemaLedger

@Suite("NUL bytes in migration files", .timeLimit(.minutes(1)))
struct NulByteTests {
  @Test("apply refuses a file with a NUL byte before anything runs, naming file and line")
  func applyRefuses() throws {
    try withFixture { fixture in
      try fixture.migrations.write(
        "001_a.sql", bytes: Array("CREATE TABLE a (x);\0CREATE TABLE b (x);".utf8))
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("001_a.sql:1: contains a NUL byte"))
      #expect(result.stderr.contains("Nothing was applied"))
      #expect(!result.stderr.contains("Usage:"))
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("the line is counted after a byte order mark and CRLF line endings")
  func lineAfterBOMAndCRLF() throws {
    try withTemporaryDirectory { directory in
      let text = "-- migrate:up\r\nCREATE TABLE a (x);\r\nSELECT 1;\0\r\n"
      try directory.write("001_a.sql", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
      let error = try #require(throws: MigrationSourceError.self) {
        try MigrationSource(directory: directory.path)
      }
      #expect(error.description.hasPrefix("\(directory.path)/001_a.sql:3: contains a NUL byte"))
    }
  }

  @Test("an in-memory source with a NUL byte is refused the same way")
  func inMemory() throws {
    let error = try #require(throws: MigrationSourceError.self) {
      try MigrationSource(files: [
        ("001_a.sql", "CREATE TABLE a (x);"),
        ("002_b.sql", "CREATE TABLE b (x);\n\u{0}CREATE TABLE c (x);"),
      ])
    }
    #expect(error.description.hasPrefix("002_b.sql:2: contains a NUL byte"))
    #expect(error.description.contains("Nothing was applied"))
  }
}
