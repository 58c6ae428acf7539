import Foundation
import Testing

@testable import SchemaLedger

/// Traps of the first minutes: a mistyped database path must not go unnoticed.
@Suite("A mistyped database path is noticed")
struct FirstRunTests {
  @Test("apply says it creates a new database; --no-create refuses and creates nothing")
  func creation() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let typo = fixture.directory.appendingPathComponent("app.sqlit").path
      let refused = try ToolProcess.run(
        ["apply", "--no-create", "-d", "app.sqlit", "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(refused.status == 1)
      #expect(refused.stderr.contains("Database 'app.sqlit'"))
      #expect(refused.stderr.contains("relative to \(fixture.directory.path)"))
      #expect(refused.stderr.contains("does not exist"))
      #expect(!FileManager.default.fileExists(atPath: typo))
      let created = try ToolProcess.run(
        ["apply", "-d", typo, "-m", fixture.migrations.path], in: fixture.directory)
      #expect(created.status == 0)
      #expect(created.stderr.hasPrefix("creating new database \(typo)\n"))
      let again = try ToolProcess.run(
        ["apply", "-d", typo, "-m", fixture.migrations.path], in: fixture.directory)
      #expect(!again.stderr.contains("creating"))
    }
  }

  @Test("The library refuses a missing database when creation is off")
  func libraryNoCreate() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(throws: ExecutionError.self) {
        try fixture.ledger { $0.createDatabase = false }.migrate()
      }
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("status says first that there is no database; verify of a missing database fails")
  func readersOnMissingDatabase() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let status = try fixture.cli(["status"])
      #expect(status.status == 0)
      #expect(status.stdout.hasPrefix("No database at \(fixture.databasePath) yet"))
      #expect(status.stdout.contains("001_a"))
      let json = try fixture.cli(["status", "--json"])
      #expect(json.stdout.contains("\"database_exists\" : false"))
      let verify = try fixture.cli(["verify"])
      #expect(verify.status == 1)
      #expect(verify.stderr.contains("does not exist"))
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }
}
