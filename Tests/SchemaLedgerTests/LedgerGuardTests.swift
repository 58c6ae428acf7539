import Foundation
import Testing

@testable import SchemaLedger

/// While a migration's SQL runs, SQLite's authorizer refuses every statement that would
/// change SchemaLedger's own objects (`schemaledger_*`); reading them stays allowed.
@Suite("Migrations cannot change the ledger")
struct LedgerGuardTests {
  /// A statement a migration may not run, and what the refusal must name.
  struct Forbidden: CustomTestStringConvertible, Sendable {
    var statement: String
    var named: String
    var testDescription: String { statement }
  }

  static let forbidden: [Forbidden] = [
    Forbidden(
      statement: "DROP TRIGGER schemaledger_events_no_delete;",
      named: "drops the trigger schemaledger_events_no_delete"),
    Forbidden(
      statement: "DELETE FROM schemaledger_events;",
      named: "deletes from the table schemaledger_events"),
    Forbidden(
      statement: "INSERT INTO schemaledger_events (seq, kind, run_id, actor_user, actor_host, "
        + "actor_pid, recorded_at, prev_hash, hash) VALUES (1000, 'baselined', 'r', 'u', 'h', "
        + "1, '2026-01-01T00:00:00.000Z', 'x', 'y');",
      named: "inserts into the table schemaledger_events"),
    Forbidden(
      statement: "DROP TABLE schemaledger_events;", named: "drops the table schemaledger_events"),
    Forbidden(
      statement: "UPDATE schemaledger_meta SET value = '9' WHERE key = 'format_version';",
      named: "updates the table schemaledger_meta"),
    Forbidden(
      statement: "ALTER TABLE schemaledger_events ADD COLUMN forged TEXT;",
      named: "alters the table schemaledger_events"),
    Forbidden(
      statement: "CREATE TRIGGER x AFTER INSERT ON schemaledger_events BEGIN SELECT 1; END;",
      named: "creates the trigger x on schemaledger_events"),
    Forbidden(
      statement: "CREATE TEMP TRIGGER hide BEFORE INSERT ON main.schemaledger_events "
        + "BEGIN SELECT RAISE(IGNORE); END;",
      named: "creates the trigger hide on schemaledger_events"),
    Forbidden(
      statement: "CREATE INDEX forged ON schemaledger_events (kind);",
      named: "creates the index forged on schemaledger_events"),
    Forbidden(
      statement: "DROP INDEX schemaledger_events_by_migration;",
      named: "drops the index schemaledger_events_by_migration"),
    Forbidden(
      statement: "DROP VIEW schemaledger_state;", named: "drops the view schemaledger_state"),
    Forbidden(
      statement: "CREATE TEMP VIEW schemaledger_state AS SELECT 1;",
      named: "creates the view schemaledger_state"),
    Forbidden(
      statement: "CREATE TABLE SchemaLedger_Extra (x);",
      named: "creates the table SchemaLedger_Extra"),
    Forbidden(
      statement: "ALTER TABLE ok RENAME TO schemaledger_hidden;",
      named: "renames the table ok to schemaledger_hidden"),
    Forbidden(statement: "PRAGMA writable_schema = ON;", named: "PRAGMA writable_schema on"),
    Forbidden(
      statement: "CREATE TRIGGER spy AFTER INSERT ON ok BEGIN DELETE FROM schemaledger_events; "
        + "END; INSERT INTO ok VALUES (1);",
      named: "deletes from the table schemaledger_events (in the body of spy)"),
  ]

  /// Applies `001_ok` (table `ok`), then writes `002_evil`: a table, then `statement` on
  /// line 2 (line 3 outside a transaction).
  private func prepare(_ fixture: Fixture, _ statement: String, transactional: Bool = true)
    throws
  {
    try fixture.migration("001_ok.sql", "CREATE TABLE ok (x);")
    try fixture.ledger().migrate()
    let marker = transactional ? "" : "-- migrate:up transaction:false\n"
    try fixture.migration("002_evil.sql", "\(marker)CREATE TABLE half (x);\n\(statement)\n")
  }

  /// The ledger's triggers, and what `verify` says about the ledger itself (hash chain,
  /// head anchor, triggers): nothing.
  private func expectLedgerIntact(_ fixture: Fixture) throws {
    #expect(
      try fixture.query(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'schemaledger%' "
          + "ORDER BY name")
        == LedgerStore.triggerNames(format: LedgerSchema.formatVersion).sorted())
    #expect(
      try fixture.query("SELECT value FROM schemaledger_meta WHERE key = 'format_version'")
        == [String(LedgerSchema.formatVersion)])
    let ledgerProblems = try fixture.ledger().verify().problems.filter { problem in
      switch problem {
      case .brokenChain, .missingTrigger, .headMismatch, .anchorMismatch: return true
      default: return false
      }
    }
    #expect(ledgerProblems.isEmpty, "\(ledgerProblems)")
  }

  @Test("A migration that changes the ledger fails, is undone and recorded", arguments: forbidden)
  func forbiddenStatement(_ forbidden: Forbidden) throws {
    try withFixture { fixture in
      try prepare(fixture, forbidden.statement)
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1, "stdout: \(result.stdout)")
      #expect(result.stderr.contains("002_evil.sql:2: refused: "), "\(result.stderr)")
      #expect(result.stderr.contains(forbidden.named), "\(result.stderr)")
      #expect(
        result.stderr.contains("migrations cannot change SchemaLedger's ledger"),
        "\(result.stderr)")
      #expect(result.stderr.contains("(SQLITE_AUTH). Migration 002_evil was undone"))
      #expect(result.stderr.contains("Remove the statement"))
      // Nothing of the step stayed: its first statement was rolled back with it.
      #expect(try fixture.schemaObjects() == ["table ok"])
      try expectLedgerIntact(fixture)
      #expect(try fixture.ledger().verify().isClean)
      #expect(try fixture.ledgerRows().suffix(2) == ["started 002_evil", "failed 002_evil"])
      let failed = try #require(try fixture.events().last)
      #expect(failed.error?.contains("002_evil.sql:2: refused: the statement ") == true)
      #expect(failed.errorCode == 23)  // SQLITE_AUTH
      #expect(try fixture.ledger().status().entries.map(\.state) == [.applied, .failed])
    }
  }

  @Test("DROP TABLE schemaledger_events is refused in a step outside a transaction too")
  func dropOutsideTransaction() throws {
    try withFixture { fixture in
      try prepare(fixture, "DROP TABLE schemaledger_events;", transactional: false)
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1, "stdout: \(result.stdout)")
      #expect(result.stderr.contains("002_evil.sql:3: refused: "), "\(result.stderr)")
      #expect(result.stderr.contains("drops the table schemaledger_events"))
      #expect(result.stderr.contains("ran outside a transaction"))
      // Outside a transaction the statement before it committed on its own.
      #expect(try fixture.schemaObjects() == ["table half", "table ok"])
      try expectLedgerIntact(fixture)
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.migration == "002_evil")
      #expect(failed.detail == "ran outside a transaction; may be partly done")
      #expect(failed.errorCode == 23)
    }
  }

  @Test("A down section that changes the ledger fails like any failed rollback step")
  func forbiddenDown() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql",
        Fixture.dbmate(
          up: "CREATE TABLE a (x);", down: "DROP TABLE a;\nDELETE FROM schemaledger_events;"))
      try fixture.ledger().migrate()
      let result = try fixture.cli(["rollback", "--no-rehearse"])
      #expect(result.status == 1, "stdout: \(result.stdout)")
      #expect(
        result.stderr.contains("(down SQL of 001_a):2: refused: the statement deletes from "),
        "\(result.stderr)")
      #expect(result.stderr.contains("001_a stays applied"))
      #expect(try fixture.schemaObjects() == ["table a"])
      try expectLedgerIntact(fixture)
      #expect(try fixture.ledger().status().entries.map(\.state) == [.applied])
    }
  }

  @Test("A migration may read the ledger")
  func readingIsAllowed() throws {
    try withFixture { fixture in
      try fixture.migration("001_ok.sql", "CREATE TABLE ok (x);")
      try fixture.migration(
        "002_read.sql",
        """
        CREATE TABLE seen AS SELECT count(*) AS n FROM schemaledger_events;
        INSERT INTO seen SELECT count(*) FROM schemaledger_state WHERE status = 'applied';
        CREATE VIEW my_history AS SELECT seq, kind FROM schemaledger_history;
        """)
      let result = try fixture.cli(["apply"])
      #expect(result.status == 0, "\(result.stderr)")
      // The two planned events, then 001's started and applied (002's started goes in
      // with its outcome, after its SQL); 001 is the one applied migration.
      #expect(try fixture.query("SELECT n FROM seen ORDER BY rowid") == ["4", "1"])
      #expect(try fixture.ledger().status().entries.map(\.state) == [.applied, .applied])
      // (verify cannot rebuild this schema: its replay database has no ledger to read.)
      try expectLedgerIntact(fixture)
    }
  }

  @Test("A migration writing its own tables and a virtual table runs as before")
  func ordinaryMigration() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_app.sql",
        """
        CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
        INSERT INTO notes (body) VALUES ('a'), ('b');
        CREATE VIRTUAL TABLE notes_search USING fts5(body);
        INSERT INTO notes_search SELECT body FROM notes;
        CREATE TRIGGER notes_touch AFTER UPDATE ON notes BEGIN SELECT 1; END;
        ALTER TABLE notes RENAME TO ledger_notes;
        UPDATE ledger_notes SET body = body || '!';
        DELETE FROM ledger_notes WHERE id = 2;
        """)
      let result = try fixture.cli(["apply"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try fixture.query("SELECT body FROM ledger_notes") == ["a!"])
      #expect(try fixture.query("SELECT count(*) FROM notes_search") == ["2"])
      #expect(try fixture.ledger().verify().isClean)
    }
  }
}
