import Foundation
import Testing

@testable import SchemaLedger

@Suite("schemaledger baseline, import, resolve, accept", .timeLimit(.minutes(1)))
struct AdoptionCommandTests {
  @Test("baseline --to records without running; a missing --reason is a usage error")
  func baseline() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      let noReason = try fixture.cli(["baseline", "--to", "1"])
      #expect(noReason.status == 64)
      #expect(noReason.stderr.contains("baseline needs --reason TEXT"))
      let missing = try fixture.cli(["baseline", "--to", "1", "--reason", "legacy db"])
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("does not exist"))
      // The legacy database, made by hand.
      try SQLiteConnection(path: fixture.databasePath).execute("CREATE TABLE a (x)")
      let result = try fixture.cli(["baseline", "--to", "1", "--reason", "legacy db"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("Baselined 1 migration up to version 1: 001_a"))
      #expect(try fixture.schemaObjects() == ["table a"])
      let status = try fixture.cli(["status"])
      #expect(status.stdout.contains("001_a") && status.stdout.contains("1 pending"))
    }
  }

  @Test("accept through the CLI, then apply stops refusing the edit")
  func accept() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "DROP TABLE a;"))
      #expect(try fixture.cli(["apply"]).status == 0)
      try fixture.migration(
        "001_a.sql",
        Fixture.dbmate(up: "-- the users table\nCREATE TABLE a (x);", down: "DROP TABLE a;"))
      let refused = try fixture.cli(["apply"])
      #expect(refused.status == 1)
      #expect(refused.stderr.contains("An applied migration was edited after it ran"))
      let accepted = try fixture.cli(["accept", "001_a", "--reason", "comment only, PR #12"])
      #expect(accepted.status == 0, "\(accepted.stderr)")
      #expect(accepted.stdout.contains("Accepted the edit of 001_a"))
      #expect(try fixture.cli(["apply"]).status == 0)
      let again = try fixture.cli(["accept", "001_a", "--reason", "again"])
      #expect(again.status == 1)
      #expect(again.stderr.contains("there is no edit to accept"))
    }
  }

  @Test(
    "import and resolve name their mistakes",
    arguments: [
      (["import"], "import needs --from TOOL"),
      (["import", "--from", "rails"], "Unknown tool 'rails'"),
      (["resolve", "001_a", "--reason", "x"], "resolve needs --as applied or --as rolled-back"),
      (["resolve", "--as", "applied", "--reason", "x"], "Give exactly one ID."),
    ])
  func usage(arguments: [String], message: String) throws {
    try withFixture { fixture in
      let result = try fixture.cli(arguments)
      #expect(result.status == 64)
      #expect(result.stderr.contains(message))
    }
  }
}
