import Foundation
import Testing

@testable import SchemaLedger

/// A writer checks the ledger against its head anchor before acting: a ledger whose
/// newest events were deleted, whose middle has a hole, whose last event was edited or
/// that has rows SchemaLedger did not append is refused, and nothing runs.
@Suite("A writer refuses a ledger it cannot trust")
struct LedgerIntegrityTests {
  /// `001_accounts` creates a table; `002_credit` credits a balance (running it twice
  /// would credit it twice); `003_later` is pending.
  private func applyCredit(_ fixture: Fixture) throws {
    try fixture.migration(
      "001_accounts.sql", "CREATE TABLE accounts (id INTEGER, balance INTEGER);")
    try fixture.migration("002_credit.sql", "INSERT INTO accounts VALUES (1, 100);")
    try fixture.ledger().migrate()
    try fixture.migration("003_later.sql", "CREATE TABLE later (x);")
  }

  /// Runs `sql` on the database with the append-only triggers dropped, as someone with
  /// write access could.
  private func tamper(_ fixture: Fixture, _ sql: String) throws {
    let connection = try SQLiteConnection(path: fixture.databasePath)
    try connection.executeScript(
      """
      DROP TRIGGER schemaledger_events_no_update;
      DROP TRIGGER schemaledger_events_no_delete;
      \(sql)
      """)
  }

  /// Applies through the CLI and expects a refusal naming `words`, nothing run or written.
  private func expectRefusal(_ fixture: Fixture, _ words: [String]) throws {
    let before = try fixture.query("SELECT count(*) FROM schemaledger_events")
    let result = try fixture.cli(["apply"])
    #expect(result.status == 1, "stdout: \(result.stdout)")
    #expect(result.stderr.contains("is not as SchemaLedger left it"), "\(result.stderr)")
    for word in words { #expect(result.stderr.contains(word), "\(result.stderr)") }
    #expect(result.stderr.contains("schemaledger verify"))
    #expect(try fixture.query("SELECT count(*) FROM accounts") == ["1"])
    #expect(try fixture.query("SELECT count(*) FROM schemaledger_events") == before)
    #expect(!(try fixture.schemaObjects().contains("table later")))
  }

  @Test("Deleting the newest events is found: the credit does not run twice")
  func truncation() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      try tamper(
        fixture,
        "DELETE FROM schemaledger_events WHERE seq > (SELECT min(seq) FROM "
          + "schemaledger_events WHERE migration = '002_credit' AND kind = 'applied') - 3;")
      try expectRefusal(fixture, ["newest events are gone", "events deleted"])
      let report = try fixture.ledger().verify()
      #expect(report.problems.contains { if case .headMismatch = $0 { true } else { false } })
    }
  }

  @Test("Deleting an event in the middle is found")
  func middleDeletion() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      try tamper(fixture, "DELETE FROM schemaledger_events WHERE seq = 2;")
      try expectRefusal(fixture, ["missing before", "#2"])
    }
  }

  @Test("A forged event appended by hand (a baseline skipping 003) is found")
  func forgedRow() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      // A forger who computes a valid hash: the chain itself holds.
      let store = LedgerStore(connection: try SQLiteConnection(path: fixture.databasePath))
      try store.checkFormat()
      try store.reloadTail()
      var forged = LedgerEvent(
        kind: .baselined, migration: "003_later", version: 3, direction: .up,
        checksum: SHA256.hexDigest("CREATE TABLE later (x);"), runID: "forged",
        actor: LedgerActor(user: "mallory", host: "x", pid: 1), detail: "baseline: forged")
      forged.seq = store.lastSeq + 1
      forged.prevHash = store.lastHash
      forged.hash = forged.computedHash
      try store.connection.execute(
        """
        INSERT INTO schemaledger_events (seq, kind, migration, version, direction, checksum,
          run_id, actor_user, actor_host, actor_pid, recorded_at, detail, prev_hash, hash)
        VALUES (?, 'baselined', '003_later', 3, 'up', ?, 'forged', 'mallory', 'x', 1, ?, ?, ?, ?)
        """,
        [
          .integer(forged.seq), .text(forged.checksum), .text(forged.recordedAt),
          .text(forged.detail), .text(forged.prevHash), .text(forged.hash),
        ])
      #expect(
        try fixture.ledger().verify().problems.allSatisfy { problem in
          if case .brokenChain = problem { return false }
          return true
        })
      try expectRefusal(fixture, ["were not appended by SchemaLedger"])
    }
  }

  @Test("Editing the last event is found")
  func editedTail() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      try tamper(
        fixture,
        "UPDATE schemaledger_events SET detail = 'x' WHERE seq = (SELECT max(seq) FROM "
          + "schemaledger_events);")
      try expectRefusal(fixture, ["last event was replaced or edited"])
    }
  }

  @Test("A ledger from before anchors is verified once in full, then anchored")
  func unanchoredLedger() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("DELETE FROM schemaledger_meta WHERE key = 'head'")
      try fixture.ledger().migrate()
      #expect(try fixture.schemaObjects().contains("table later"))
      let head = try fixture.query("SELECT value FROM schemaledger_meta WHERE key = 'head'")
      let last = try #require(try fixture.events().last)
      #expect(head == ["\(last.seq) \(last.hash)"])
    }
  }

  @Test("A ledger from before anchors with a broken chain is refused")
  func unanchoredBrokenChain() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      try tamper(
        fixture,
        """
        DELETE FROM schemaledger_meta WHERE key = 'head';
        UPDATE schemaledger_events SET detail = 'edited' WHERE seq = 2;
        """)
      try expectRefusal(fixture, ["#2", "do not match its hash"])
    }
  }

  @Test("verify --anchor finds an event rewritten after the anchor was kept")
  func externalAnchor() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      let first = try #require(try fixture.events().first)
      let good = try fixture.cli(["verify", "--anchor", "\(first.seq):\(first.hash)"])
      #expect(good.status == 0, "\(good.stdout)")
      let wrong = String(repeating: "a", count: 64)
      let bad = try fixture.cli([
        "verify", "--anchor", "\(first.seq):\(wrong)", "--anchor", "999:\(wrong)",
      ])
      #expect(bad.status == 3)
      #expect(bad.stdout.contains("Your anchor says event #1 has hash \(wrong)"))
      #expect(bad.stdout.contains("event #999 does not exist"))
      let usage = try fixture.cli(["verify", "--anchor", "12"])
      #expect(usage.status == 64)
      #expect(usage.stderr.contains("--anchor needs SEQ:HASH"))
    }
  }

  @Test("A writer that lost the race for a seq says another runner got there first")
  func concurrentAppend() throws {
    try withFixture { fixture in
      try applyCredit(fixture)
      let first = LedgerStore(connection: try SQLiteConnection(path: fixture.databasePath))
      let second = LedgerStore(connection: try SQLiteConnection(path: fixture.databasePath))
      for store in [first, second] {
        try store.checkFormat()
        try store.reloadTail()
      }
      let event = LedgerEvent(kind: .rehearsed, runID: "r", actor: .current(), detail: "x")
      _ = try first.connection.inTransaction { try first.append(event) }
      let error = try #require(throws: LedgerError.self) {
        try second.connection.inTransaction { try second.append(event) }
      }
      #expect(error == .concurrentAppend(database: fixture.databasePath, seq: first.lastSeq))
      #expect(error.description.contains("Another runner got there first"))
    }
  }
}
