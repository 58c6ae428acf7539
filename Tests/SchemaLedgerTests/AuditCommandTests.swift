import Foundation
import Testing

@testable import SchemaLedger

@Suite("schemaledger history, replay, verify, export", .timeLimit(.minutes(1)))
struct AuditCommandTests {
  @Test("history --kind, --migration, --limit and --jsonl")
  func historyFilters() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let applied = try fixture.cli(["history", "--kind", "applied", "--jsonl"])
      #expect(applied.status == 0)
      let lines = applied.stdout.split(separator: "\n")
      #expect(lines.count == 2)
      #expect(lines.allSatisfy { $0.contains("\"kind\":\"applied\"") })
      let one = try fixture.cli(["history", "--migration", "002_b", "--limit", "1"])
      #expect(one.stdout.split(separator: "\n").count == 2)
      #expect(one.stdout.contains("applied") && one.stdout.contains("002_b"))
      let since = try fixture.cli(["history", "--since", "2999-01-01"])
      #expect(since.stdout == "No events.\n")
      let badKind = try fixture.cli(["history", "--kind", "applid"])
      #expect(badKind.status == 64)
      #expect(badKind.stderr.contains("Unknown kind 'applid'"))
      let badTime = try fixture.cli(["history", "--since", "last tuesday"])
      #expect(badTime.status == 64)
      #expect(badTime.stderr.contains("--since needs a time like 2026-11-25"))
    }
  }

  @Test("replay --at shows the state then; --schema prints the reconstructed DDL")
  func replay() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let early = try fixture.cli(["replay", "--at", "4"])
      #expect(early.status == 0)
      #expect(early.stdout.contains("After event #4 (4 events): version 1"))
      #expect(early.stdout.contains("001_a") && !early.stdout.contains("002_b"))
      let schema = try fixture.cli(["replay", "--schema"])
      #expect(schema.stdout == "CREATE TABLE a (x);\nCREATE TABLE b (x);\n")
      let json = try fixture.cli(["replay", "--at", "4", "--schema", "--json"])
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      #expect(object["schema"] as? String == "CREATE TABLE a (x);\n")
      #expect(object["current_version"] as? Int == 1)
    }
  }

  @Test("replay --at past the ledger's end exits 1 and says where the ledger ends")
  func replayPastEnd() throws {
    try withFixture { fixture in
      let empty = try fixture.cli(["replay", "--at", "1"])
      #expect(empty.status == 1)
      #expect(empty.stderr.contains("has no events yet; event #1 is past its end"))
      try fixture.applyTwoReversible()
      let past = try fixture.cli(["replay", "--at", "500"])
      #expect(past.status == 1)
      #expect(past.stderr.contains("ends at event #6; event #500 is past its end"))
      #expect(!past.stderr.contains("Usage:"))
      #expect(past.stdout.isEmpty)
      let schema = try fixture.cli(["replay", "--at", "7", "--schema"])
      #expect(schema.status == 1)
      #expect(schema.stdout.isEmpty)
      let last = try fixture.cli(["replay", "--at", "6"])
      #expect(last.status == 0)
      #expect(last.stdout.contains("After event #6 (6 events): version 2"))
      #expect(!last.stdout.contains("current state"))
    }
  }

  @Test("replay --at a time after the last event shows the current state and says so")
  func replayLaterTime() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let later = try fixture.cli(["replay", "--at", "2999-01-01"])
      #expect(later.status == 0)
      #expect(
        later.stdout.hasPrefix(
          "After event #6 (6 events): version 2 (no event after 2999-01-01T00:00:00.000Z; "
            + "this is the current state)\n"))
      let json = try fixture.cli(["replay", "--at", "2999-01-01", "--json"])
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
      #expect(object["at_end"] as? Bool == true)
      let earlier = try fixture.cli(["replay", "--at", "2000-01-01", "--json"])
      let before = try #require(
        try JSONSerialization.jsonObject(with: Data(earlier.stdout.utf8)) as? [String: Any])
      #expect(before["at_end"] as? Bool == false)
      #expect(before["last_seq"] as? Int == 0)
    }
  }

  @Test("verify exits 0 when everything holds and 3 when it finds drift")
  func verify() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let clean = try fixture.cli(["verify"])
      #expect(clean.status == 0)
      #expect(clean.stdout.contains("OK: 6 events checked"))
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("CREATE TABLE rogue (x)")
      let drift = try fixture.cli(["verify"])
      #expect(drift.status == 3)
      #expect(drift.stdout.contains("added table rogue"))
    }
  }

  @Test("export to a file, then verify --export checks it on its own")
  func export() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let file = fixture.directory.appendingPathComponent("ledger.jsonl").path
      let export = try fixture.cli(["export", "--output", file])
      #expect(export.status == 0)
      #expect(export.stderr.contains("exported 6 events"))
      let check = try ToolProcess.run(["verify", "--export", file], in: fixture.directory)
      #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
      var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
      lines[1] = Substring(
        lines[1].replacingOccurrences(of: "\"kind\":\"planned\"", with: "\"kind\":\"failed\""))
      try (lines.joined(separator: "\n") + "\n").write(
        toFile: file, atomically: true, encoding: .utf8)
      let tampered = try ToolProcess.run(["verify", "--export", file], in: fixture.directory)
      #expect(tampered.status == 3)
      #expect(tampered.stdout.contains("Hash chain broken at event #2"))
    }
  }
}
