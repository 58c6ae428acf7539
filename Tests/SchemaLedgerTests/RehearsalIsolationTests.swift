import Foundation
import Testing

@testable import SchemaLedger

/// A rehearsal runs the plan on a scratch copy, and `verify` replays the ledger's SQL on a
/// scratch database; SQL that would write another file (`ATTACH`, `VACUUM INTO`) is
/// refused there, so its side effects happen once, for real, or not at all.
@Suite("Rehearsals and replays write only their scratch database")
struct RehearsalIsolationTests {
  /// The SQL that writes one row into `side.sqlite` (beside the database; the tool runs in
  /// the fixture's folder).
  static let writeSide = "ATTACH DATABASE 'side.sqlite' AS side;\nINSERT INTO side.t VALUES (1);"

  /// Creates `side.sqlite` with an empty table `t`.
  private func createSide(_ fixture: Fixture) throws {
    let side = try SQLiteConnection(path: sidePath(fixture))
    try side.execute("CREATE TABLE t (x)")
  }

  private func sidePath(_ fixture: Fixture) -> String {
    fixture.directory.appendingPathComponent("side.sqlite").path
  }

  /// Rows in `side.sqlite`'s table `t`.
  private func sideRows(_ fixture: Fixture) throws -> Int {
    let side = try SQLiteConnection(path: sidePath(fixture), mode: .readOnly)
    var count = -1
    try side.query("SELECT count(*) FROM t", []) { count = Int($0.int64(0) ?? -1) }
    return count
  }

  @Test("apply --rehearse refuses a migration that attaches another file; apply writes it once")
  func applyRehearseAttach() throws {
    try withFixture { fixture in
      try createSide(fixture)
      try fixture.migration("001_side.sql", Self.writeSide)
      let refused = try fixture.cli(["apply", "--rehearse"])
      #expect(refused.status == 1, "stdout: \(refused.stdout)")
      #expect(
        refused.stderr.contains(
          "Migration 001_side attaches another database file ('side.sqlite') ("),
        "\(refused.stderr)")
      #expect(refused.stderr.contains("001_side.sql:1); a rehearsal cannot run it without "))
      #expect(refused.stderr.contains("writing outside the scratch copy. Nothing was changed"))
      #expect(refused.stderr.contains("run 'schemaledger apply' without --rehearse"))
      #expect(try sideRows(fixture) == 0)
      #expect(try fixture.ledgerRows() == ["rehearsed -"])
      let verdict = try #require(try fixture.events().last)
      #expect(verdict.detail == "failed at 001_side: apply of 001_side")
      #expect(verdict.error?.contains("attaches another database file ('side.sqlite')") == true)
      #expect(try fixture.ledger().status().entries.map(\.state) == [.pending])

      let applied = try fixture.cli(["apply"])
      #expect(applied.status == 0, "\(applied.stderr)")
      #expect(try sideRows(fixture) == 1)
    }
  }

  @Test("rollback (rehearsed by default) refuses a down section that attaches another file")
  func rollbackAttach() throws {
    try withFixture { fixture in
      try createSide(fixture)
      try fixture.migration(
        "001_a.sql",
        Fixture.dbmate(up: "CREATE TABLE a (x);", down: Self.writeSide + "\nDROP TABLE a;"))
      #expect(try fixture.cli(["apply"]).status == 0)
      let refused = try fixture.cli(["rollback"])
      #expect(refused.status == 1, "stdout: \(refused.stdout)")
      #expect(
        refused.stderr.contains(
          "The rollback of 001_a attaches another database file ('side.sqlite') (ledger event #"
        ), "\(refused.stderr)")
      #expect(refused.stderr.contains("run 'schemaledger rollback --no-rehearse'"))
      #expect(try sideRows(fixture) == 0)
      #expect(try fixture.schemaObjects() == ["table a"])
      #expect(try fixture.ledger().status().entries.map(\.state) == [.applied])

      let rolledBack = try fixture.cli(["rollback", "--no-rehearse"])
      #expect(rolledBack.status == 0, "\(rolledBack.stderr)")
      #expect(try sideRows(fixture) == 1)
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("apply --rehearse refuses VACUUM INTO another file and creates no file")
  func vacuumInto() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_copy.sql", "VACUUM INTO 'copy.sqlite';")
      let refused = try fixture.cli(["apply", "--rehearse"])
      #expect(refused.status == 1, "stdout: \(refused.stdout)")
      #expect(
        refused.stderr.contains(
          "Migration 002_copy writes a copy of the database to 'copy.sqlite' (VACUUM INTO)"),
        "\(refused.stderr)")
      let copy = fixture.directory.appendingPathComponent("copy.sqlite").path
      #expect(!FileManager.default.fileExists(atPath: copy))
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("A plain VACUUM and an in-memory ATTACH still rehearse")
  func privateDatabasesRehearse() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);\nINSERT INTO a VALUES (1);")
      try fixture.migration(
        "002_scratch.sql",
        "ATTACH DATABASE ':memory:' AS work;\nCREATE TABLE work.t AS SELECT x FROM a;\n"
          + "INSERT INTO a SELECT x + 1 FROM work.t;")
      try fixture.migration("003_vacuum.sql", "VACUUM;")
      let result = try fixture.cli(["apply", "--rehearse"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try fixture.query("SELECT x FROM a ORDER BY x") == ["1", "2"])
      #expect(
        try fixture.events().first?.detail == "passed: apply of 001_a, 002_scratch, 003_vacuum")
    }
  }

  @Test("verify replays an attaching migration without writing the other file")
  func verifyDoesNotWriteElsewhere() throws {
    try withFixture { fixture in
      try createSide(fixture)
      try fixture.migration("001_side.sql", Self.writeSide)
      #expect(try fixture.cli(["apply"]).status == 0)
      #expect(try sideRows(fixture) == 1)
      let verify = try fixture.cli(["verify"])
      #expect(verify.status == 3, "\(verify.stdout)\(verify.stderr)")
      #expect(
        (verify.stdout + verify.stderr).contains(
          "attaches another database file ('side.sqlite')"))
      #expect(try sideRows(fixture) == 1)
    }
  }
}
