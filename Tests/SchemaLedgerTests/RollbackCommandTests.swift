import Foundation
import Testing

@testable import SchemaLedger

@Suite("schemaledger rollback", .timeLimit(.minutes(1)))
struct RollbackCommandTests {
  @Test("rollback prints the rehearsal and one line per step, then a summary")
  func output() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let result = try fixture.cli(["rollback", "--all"])
      #expect(result.status == 0, "\(result.stderr)")
      let lines = result.stderr.split(separator: "\n").map(String.init)
      #expect(lines.first == "rehearsing 2 steps on a scratch copy ... passed")
      #expect(lines.dropFirst().first?.hasPrefix("rolling back 002_b ... ok (") == true)
      #expect(lines.dropLast().last?.hasPrefix("rolling back 001_a ... ok (") == true)
      #expect(lines.last?.hasPrefix("ledger head: ") == true)
      #expect(result.stdout.contains("Rolled back 2 migrations in"))
      #expect(result.stdout.contains("no version applied"))
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("rollback --dry-run prints the recorded down SQL and writes nothing")
  func dryRun() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let before = try fixture.ledgerRows()
      let result = try fixture.cli(["rollback", "--steps", "2", "--dry-run"])
      #expect(result.status == 0)
      #expect(result.stdout.contains("Plan: roll back 2 migrations, newest first."))
      #expect(result.stdout.contains("1. 002_b"))
      #expect(result.stdout.contains("    DROP TABLE b;"))
      #expect(try fixture.ledgerRows() == before)
      let json = try fixture.cli(["rollback", "--to", "1", "--dry-run", "--json"])
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      let steps = try #require(object["steps"] as? [[String: Any]])
      #expect(steps.map { $0["id"] as? String } == ["002_b"])
      let target = try #require(object["target"] as? [String: Any])
      #expect(target["kind"] as? String == "to_version")
      #expect(target["version"] as? Int == 1)
    }
  }

  @Test("an irreversible migration in the way exits 1 and names it")
  func irreversible() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(try fixture.cli(["apply"]).status == 0)
      let result = try fixture.cli(["rollback"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("Error: Cannot roll back: 001_a has no down section"))
      #expect(try fixture.schemaObjects() == ["table a"])
    }
  }

  @Test(
    "conflicting or bad targets are usage errors",
    arguments: [
      (["rollback", "--all", "--steps", "2"], "Give only one of --steps, --to and --all."),
      (["rollback", "--steps", "0"], "--steps needs a number ≥ 1, not '0'."),
      (["rollback", "--steps", "many"], "--steps needs a number ≥ 1, not 'many'."),
    ])
  func usage(arguments: [String], message: String) throws {
    try withFixture { fixture in
      let result = try fixture.cli(arguments)
      #expect(result.status == 64)
      #expect(result.stderr.contains("Error: \(message)"))
      #expect(result.stderr.contains("See 'schemaledger rollback --help'."))
    }
  }

  @Test("a rollback killed mid-step is recorded by the next run; the migration stays applied")
  func killedRollback() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_big.sql",
        Fixture.dbmate(
          up: "CREATE TABLE big (x INTEGER);",
          down: """
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)
            INSERT INTO big SELECT x FROM c;
            DROP TABLE big;
            """))
      #expect(try fixture.cli(["apply"]).status == 0)
      let victim = try ToolProcess.start(
        ["rollback", "--no-rehearse", "-d", fixture.databasePath, "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(victim.waitForStderr(containing: "rolling back 001_big"))
      kill(victim.process.processIdentifier, SIGKILL)
      _ = victim.wait()
      let status = try fixture.cli(["status"])
      #expect(status.stdout.contains("applied"))
      let rerun = try fixture.cli(["apply"])
      #expect(rerun.status == 0, "\(rerun.stderr)")
      #expect(rerun.stderr.contains("recorded interrupted attempt of 001_big"))
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.direction == .down)
      #expect(failed.error?.contains("still applied") == true)
      #expect(try fixture.schemaObjects() == ["table big"])
      #expect(try fixture.query("SELECT count(*) FROM big") == ["0"])
    }
  }
}
