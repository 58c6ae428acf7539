import Foundation
import Testing

@testable import SchemaLedger

/// Messages that name the next step, asserted by their key words through the tool.
@Suite("Messages name the next step")
struct NextStepMessageTests {
  @Test("Rolling back an irreversible migration suggests recording its new down section")
  func irreversible() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.cli(["apply"]).expectSuccess()
      let result = try fixture.cli(["rollback"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("'schemaledger accept 001_a --with-down --reason TEXT'"))
    }
  }

  @Test("An edited applied migration shows what changed and both ways out")
  func driftDiff() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (\n  x INTEGER\n);\n")
      try fixture.cli(["apply"]).expectSuccess()
      try fixture.migration("001_a.sql", "CREATE TABLE a (\n  x INTEGER NOT NULL\n);\n")
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("-   x INTEGER\n"))
      #expect(result.stderr.contains("+   x INTEGER NOT NULL"))
      #expect(result.stderr.contains("restore the original file"))
      #expect(result.stderr.contains("'schemaledger accept 001_a --reason TEXT'"))
      let plan = try fixture.cli(["plan"])
      #expect(plan.stderr.contains("+   x INTEGER NOT NULL"))
    }
  }

  @Test("Two files with one version: the message says which one the database applied")
  func duplicateApplied() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.cli(["apply"]).expectSuccess()
      try fixture.migration("001_b.sql", "CREATE TABLE b (x);")
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("The database has applied 001_a"))
      #expect(result.stderr.contains("give \(fixture.migrations.path)/001_b.sql a new version"))
    }
  }

  @Test("A renamed applied file is recognised as a rename, not a missing file")
  func renamed() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.cli(["apply"]).expectSuccess()
      try FileManager.default.moveItem(
        at: fixture.migrations.appendingPathComponent("001_a.sql"),
        to: fixture.migrations.appendingPathComponent("001_create_a.sql"))
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("An applied migration was renamed"))
      #expect(result.stderr.contains("001_a is now"))
      #expect(result.stderr.contains("Rename the file back to its applied name (001_a)"))
      #expect(try fixture.schemaObjects() == ["table a"])
    }
  }

  @Test("A migration partly applied outside a transaction names the resolve command")
  func partlyApplied() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", "-- migrate:up transaction:false\nCREATE TABLE a (x);\nCREATE TABLE a (y);\n")
      #expect(try fixture.cli(["apply"]).status == 1)
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("'schemaledger resolve 001_a --as applied --reason TEXT'"))
      #expect(result.stderr.contains("--as rolled-back"))
    }
  }

  @Test("A failing statement after a baseline says the baseline may be too low")
  func baselineTooLow() throws {
    try withFixture { fixture in
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.executeScript("CREATE TABLE a (x); CREATE TABLE b (x);")
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.cli(["baseline", "--to", "1", "--reason", "adopted"]).expectSuccess()
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("already exists"))
      #expect(result.stderr.contains("the baseline may be set too low"))
      #expect(result.stderr.contains("'schemaledger baseline --to VERSION --reason TEXT'"))
    }
  }

  @Test("verify --export of a file that cannot be read is an error, not a usage error")
  func unreadableExport() throws {
    try withFixture { fixture in
      let result = try fixture.cli(["verify", "--export", "/nonexistent/export.jsonl"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("there is no such file"))
    }
  }

  @Test("A relative migrations folder that does not exist is shown with the current directory")
  func relativeFolder() throws {
    try withFixture { fixture in
      let result = try ToolProcess.run(
        ["status", "-d", fixture.databasePath, "-m", "migratons"], in: fixture.directory)
      #expect(result.status == 1)
      #expect(result.stderr.contains("\(fixture.directory.path)/migratons"))
      #expect(result.stderr.contains("current directory \(fixture.directory.path)"))
    }
  }
}

extension ToolProcess.Result {
  /// Fails the test unless the run exited 0.
  func expectSuccess() {
    #expect(status == 0, "stderr: \(stderr)")
  }
}

@Suite("verify's advice works anywhere")
struct TriggerRepairAdviceTests {
  @Test("A dropped trigger: the message prints the statement that restores it, and it does")
  func printedStatementRestores() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.cli(["apply"]).expectSuccess()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("DROP TRIGGER schemaledger_events_no_delete")
      let report = try fixture.ledger().verify()
      let problem = try #require(
        report.problems.first { if case .missingTrigger = $0 { true } else { false } })
      let text = problem.description
      let start = try #require(text.range(of: "CREATE TRIGGER"))
      let end = try #require(text.range(of: "END;", range: start.upperBound..<text.endIndex))
      try connection.executeScript(String(text[start.lowerBound..<end.upperBound]))
      #expect(try fixture.ledger().verify().isClean)
    }
  }
}
