import Foundation
import Testing

@testable import SchemaLedger

@Suite("The ledger store")
struct LedgerStoreTests {
  @Test("ledger/schema.sql is exactly the DDL the code runs")
  func schemaFileMatchesCode() throws {
    let file = try String(
      contentsOf: repositoryRoot.appendingPathComponent("ledger/schema.sql"), encoding: .utf8)
    #expect(file == SQLiteLedgerDDL.sql + "\n")
  }

  @Test("the created ledger has the documented table, index, triggers, views and format")
  func createdObjects() throws {
    try withFixture { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      let objects = try fixture.query(
        "SELECT type || ' ' || name FROM sqlite_master WHERE name LIKE 'schemaledger%' ORDER BY 1")
      #expect(
        objects == [
          "index schemaledger_events_by_migration",
          "table schemaledger_events",
          "table schemaledger_meta",
          "table schemaledger_sql",
          "trigger schemaledger_events_no_delete",
          "trigger schemaledger_events_no_update",
          "trigger schemaledger_sql_no_delete",
          "trigger schemaledger_sql_no_update",
          "view schemaledger_events_with_sql",
          "view schemaledger_history",
          "view schemaledger_state",
        ])
      #expect(
        try fixture.query("SELECT value FROM schemaledger_meta WHERE key = 'format_version'")
          == ["3"])
    }
  }

  @Test(
    "UPDATE and DELETE on the ledger are rejected by the database",
    arguments: [
      "UPDATE schemaledger_events SET kind = 'applied' WHERE seq = 1",
      "DELETE FROM schemaledger_events WHERE seq = 1",
      "DELETE FROM schemaledger_events",
    ])
  func appendOnly(statement: String) throws {
    try withFixture { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      let before = try fixture.ledgerRows()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      do {
        try connection.execute(statement)
        Issue.record("the ledger accepted: \(statement)")
      } catch SQLiteError.statementFailed(let code, let message, _, _) {
        #expect(code == 1811)  // SQLITE_CONSTRAINT_TRIGGER
        #expect(message.contains("append-only"))
      }
      #expect(try fixture.ledgerRows() == before)
    }
  }

  @Test("every event's hash covers its fields and links to the previous one")
  func hashChain() throws {
    try withFixture { fixture in
      try fixture.migration(
        "1_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "DROP TABLE a;"))
      try fixture.migration("2_b.sql", "CREATE TABEL b (x);")
      _ = try? fixture.ledger().migrate()
      let events = try fixture.events()
      #expect(events.count == 6)
      #expect(events.first?.prevHash == LedgerEvent.genesisHash)
      for (previous, event) in zip(events, events.dropFirst()) {
        #expect(event.prevHash == previous.hash)
      }
      for event in events {
        #expect(event.hash == event.computedHash)
        var tampered = event
        tampered.actor.user += "x"
        #expect(tampered.computedHash != event.hash)
      }
      #expect(events.map(\.seq) == Array(1...6))
    }
  }

  @Test("the canonical encoding is length-prefixed and marks NULLs")
  func canonicalEncoding() {
    let event = LedgerEvent(
      kind: .applied, migration: "1_a", version: 1, direction: .up, checksum: "c",
      runID: "r", actor: LedgerActor(user: "u", host: "h", pid: 7),
      recordedAt: "2026-01-01T00:00:00.000Z", durationMs: 5, transactional: true,
      sql: "x;y", seq: 3, prevHash: "p")
    #expect(
      event.canonicalEncoding
        == "schemaledger-event-v1\n1:3;7:applied;3:1_a;1:1;2:up;1:c;1:r;1:u;1:h;1:7;"
        + "24:2026-01-01T00:00:00.000Z;1:5;1:1;3:x;y;-;-;-;-;-;-;1:p;")
  }

  @Test("a ledger written in a newer format is refused")
  func newerFormat() throws {
    try withFixture { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("UPDATE schemaledger_meta SET value = '99'")
      try fixture.migration("2_b.sql", "CREATE TABLE b (x);")
      #expect(
        throws: LedgerError.newerFormat(
          database: fixture.databasePath, found: 99, supported: 3)
      ) { try fixture.ledger().migrate() }
      #expect(try fixture.schemaObjects() == ["table a"])
    }
  }

  @Test("the state view agrees with the projection")
  func stateView() throws {
    try withFixture { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("2_b.sql", "CREATE TABEL b (x);")
      _ = try? fixture.ledger().migrate()
      #expect(
        try fixture.query("SELECT migration || ' ' || status FROM schemaledger_state")
          == ["1_a applied", "2_b failed"])
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_history") == ["6"])
    }
  }
}
