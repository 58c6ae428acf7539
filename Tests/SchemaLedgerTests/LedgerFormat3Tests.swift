import Foundation
import Testing

@testable import SchemaLedger

/// Ledger format 3: each distinct SQL text stored once, in `schemaledger_sql`, named by its
/// SHA-256 from the events; every reader still gets every event's SQL; older ledgers are
/// upgraded in place by the next writer, with every hash unchanged.
@Suite("Ledger format 3: SQL texts stored once")
struct LedgerFormat3Tests {
  static let up = "CREATE TABLE a (x);"
  static let down = "DROP TABLE a;"

  /// `1_a` (reversible) as a dbmate file, and its parsed migration.
  static func writeReversibleA(_ fixture: Fixture) throws -> Migration {
    try fixture.migration("1_a.sql", Fixture.dbmate(up: up, down: down))
    return try #require(try MigrationSource(directory: fixture.migrations.path).migrations.first)
  }

  /// Rows of events that still hold a text inline.
  static func inlineTexts(_ fixture: Fixture) throws -> String {
    try fixture.query(
      "SELECT count(*) FROM schemaledger_events WHERE sql IS NOT NULL OR down_sql IS NOT NULL"
    )[0]
  }

  // MARK: - Stored once

  @Test("A 1 MB migration stores its SQL text once; the file is smaller than twice the SQL")
  func largeMigrationStoredOnce() throws {
    try withFixture { fixture in
      var up = "CREATE TABLE big (x);\n"
      let line = "-- " + String(repeating: "padding ", count: 12) + "\n"
      while up.utf8.count < 1_000_000 { up += line }
      try fixture.migration("1_big.sql", Fixture.dbmate(up: up, down: "DROP TABLE big;"))
      try fixture.ledger().migrate()
      let recorded = try #require(
        try fixture.events().first { $0.kind == .applied }?.sql)
      #expect(recorded.utf8.count >= 1_000_000)
      #expect(
        try fixture.query(
          "SELECT count(*) FROM schemaledger_sql WHERE length(CAST(text AS BLOB)) >= 1000000")
          == ["1"])
      let stored = try #require(
        Int(try fixture.query("SELECT sum(length(CAST(text AS BLOB))) FROM schemaledger_sql")[0]))
      #expect(stored < recorded.utf8.count + 1000)
      #expect(try Self.inlineTexts(fixture) == "0")
      let size = try #require(
        try FileManager.default.attributesOfItem(atPath: fixture.databasePath)[.size] as? Int)
      #expect(size < 2 * recorded.utf8.count, "database file of \(size) bytes")
    }
  }

  @Test("planned and applied name the same text; the address is the text's SHA-256")
  func eventsNameTextsByHash() throws {
    try withFixture { fixture in
      let migration = try Self.writeReversibleA(fixture)
      try fixture.ledger().migrate()
      let rows = try fixture.query(
        """
        SELECT kind || ' ' || coalesce(sql_hash, '-') || ' ' || coalesce(down_sql_hash, '-')
        FROM schemaledger_events WHERE migration = '1_a' ORDER BY seq
        """)
      let upHash = SHA256.hexDigest(migration.upSQL)
      let downHash = SHA256.hexDigest(try #require(migration.downSQL))
      #expect(
        rows == [
          "planned \(upHash) -", "started - -", "applied \(upHash) \(downHash)",
        ])
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_sql") == ["2"])
      #expect(try Self.inlineTexts(fixture) == "0")
    }
  }

  @Test("history, export, replay, verify and rollback read every event's SQL")
  func readersResolveTexts() throws {
    try withFixture { fixture in
      let migration = try Self.writeReversibleA(fixture)
      let ledger = fixture.ledger()
      try ledger.migrate()
      #expect(try Self.inlineTexts(fixture) == "0")
      let events = try ledger.history()
      #expect(events.first { $0.kind == .planned }?.sql == migration.upSQL)
      let applied = try #require(events.first { $0.kind == .applied })
      #expect(applied.sql == migration.upSQL)
      #expect(applied.downSQL == migration.downSQL)
      #expect(events.allSatisfy { $0.hash == $0.computedHash })
      var lines: [String] = []
      try ledger.export { lines.append($0) }
      #expect(lines.contains { $0.contains("\"down_sql\":\"DROP TABLE a;") })
      #expect(SchemaMigrator.verifyExport(lines: lines, path: "export.jsonl").isClean)
      let schema = try #require(try ledger.replay(schema: true).schema)
      #expect(schema.objects.map(\.name) == ["a"])
      let report = try ledger.verify()
      #expect(report.isClean, "\(report.problems)")
      #expect(report.eventsChecked == events.count)
      try ledger.rollback(.steps(1))
      #expect(try fixture.schemaObjects() == [])
      #expect(try ledger.history().last?.sql == migration.downSQL)
      #expect(try ledger.verify().isClean)
    }
  }

  @Test("The view schemaledger_events_with_sql shows every event with its SQL")
  func viewResolvesTexts() throws {
    try withFixture { fixture in
      let migration = try Self.writeReversibleA(fixture)
      try fixture.ledger().migrate()
      #expect(
        try fixture.query(
          """
          SELECT sql || ' / ' || down_sql FROM schemaledger_events_with_sql
          WHERE kind = 'applied' ORDER BY seq
          """) == ["\(migration.upSQL) / \(try #require(migration.downSQL))"])
      let columns = try fixture.query(
        "SELECT name FROM pragma_table_info('schemaledger_events_with_sql')")
      let eventColumns = try fixture.query(
        "SELECT name FROM pragma_table_info('schemaledger_events')")
      #expect(columns == eventColumns)
    }
  }

  @Test("schemaledger_sql is append-only", arguments: ["UPDATE", "DELETE"])
  func textsAppendOnly(statement: String) throws {
    try withFixture { fixture in
      _ = try Self.writeReversibleA(fixture)
      try fixture.ledger().migrate()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      let sql =
        statement == "UPDATE"
        ? "UPDATE schemaledger_sql SET text = 'DROP TABLE other;'" : "DELETE FROM schemaledger_sql"
      #expect(throws: SQLiteError.self) { try connection.execute(sql) }
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_sql") == ["2"])
    }
  }

  // MARK: - Tampering with the texts

  /// Applies `1_a` and `2_b` (reversible), then replaces the stored down SQL of `2_b`
  /// with the triggers dropped; returns that text's address.
  static func editDownSQLOfB(_ fixture: Fixture) throws -> String {
    try fixture.writeTwoReversible()
    try fixture.ledger().migrate()
    let downOfB = try #require(
      try fixture.events().first { $0.kind == .applied && $0.migration == "002_b" }?.downSQL)
    let address = SHA256.hexDigest(downOfB)
    let connection = try SQLiteConnection(path: fixture.databasePath)
    try connection.execute("DROP TRIGGER schemaledger_sql_no_update")
    try connection.execute(
      "UPDATE schemaledger_sql SET text = 'DROP TABLE a;' WHERE hash = ?", [.text(address)])
    return address
  }

  @Test("verify finds a text edited in schemaledger_sql and names the events that use it")
  func editedTextFound() throws {
    try withFixture { fixture in
      let address = try Self.editDownSQLOfB(fixture)
      let users = try fixture.query(
        "SELECT seq FROM schemaledger_events WHERE down_sql_hash = '\(address)' ORDER BY seq")
      try #require(users.count == 1)
      let seq = try #require(Int64(users[0]))
      let report = try fixture.ledger().verify()
      #expect(report.problems.contains(.editedSQLText(address: address, events: [seq])))
      #expect(
        report.problems.contains(
          .missingTrigger(
            "schemaledger_sql_no_update",
            restore: SQLiteLedgerDDL.ddl.triggerDefinition(named: "schemaledger_sql_no_update"))))
      // The chain, recomputed from the resolved texts, breaks at that event too.
      #expect(
        report.problems.contains {
          if case .brokenChain(let found) = $0 { found.seq == seq } else { false }
        })
      let text = report.problems.map(String.init(describing:)).joined(separator: "\n")
      #expect(text.contains("event #\(seq)"))
    }
  }

  @Test("A rollback refuses to run a down SQL that no longer hashes to its address")
  func rollbackRefusesEditedText() throws {
    try withFixture { fixture in
      _ = try Self.editDownSQLOfB(fixture)
      #expect(throws: (any Error).self) {
        try fixture.ledger().rollback(.steps(1), rehearse: false)
      }
      #expect(try fixture.schemaObjects() == ["table a", "table b"])
    }
  }

  @Test("verify names the events whose text was deleted from schemaledger_sql")
  func missingTextFound() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      try fixture.ledger().migrate()
      let upOfB = try #require(
        try fixture.events().first { $0.kind == .applied && $0.migration == "002_b" }?.sql)
      let address = SHA256.hexDigest(upOfB)
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("DROP TRIGGER schemaledger_sql_no_delete")
      try connection.execute("DELETE FROM schemaledger_sql WHERE hash = ?", [.text(address)])
      let users = try fixture.query(
        "SELECT seq FROM schemaledger_events WHERE sql_hash = '\(address)' ORDER BY seq"
      ).compactMap { Int64($0) }
      #expect(users.count == 2)  // planned and applied of 2_b
      let report = try fixture.ledger().verify()
      #expect(report.problems.contains(.missingSQLText(address: address, events: users)))
    }
  }

  // MARK: - Upgrading a format-2 ledger

  /// The format-2 DDL, exactly as format 2's `ledger/schema.sql` published it.
  static func format2Schema() throws -> String {
    let sql = try String(
      contentsOf: repositoryRoot.appendingPathComponent(
        "Tests/SchemaLedgerTests/Fixtures/format2-schema.sql"),
      encoding: .utf8)
    try #require(sql.contains("format version 2") && !sql.contains("sql_hash"))
    return sql
  }

  /// Writes `1_a.sql` and a database holding its table and a format-2 ledger recording
  /// its application, texts inline (events chained and hashed as format 2 did, head
  /// anchored); returns the recorded events.
  @discardableResult
  static func writeFormat2Database(_ fixture: Fixture) throws -> [LedgerEvent] {
    let migration = try writeReversibleA(fixture)
    let connection = try SQLiteConnection(path: fixture.databasePath)
    try connection.executeScript(try format2Schema())
    try connection.executeScript(migration.upSQL)
    let actor = LedgerActor(user: "bob", host: "format-2-build", pid: 7)
    func event(_ kind: EventKind, _ time: String) -> LedgerEvent {
      LedgerEvent(
        kind: kind, migration: "1_a", version: 1, direction: .up, checksum: migration.checksum,
        runID: "format-2-run", actor: actor, recordedAt: time,
        durationMs: kind == .applied ? 2 : nil, transactional: true,
        sql: kind == .started ? nil : migration.upSQL,
        downSQL: kind == .applied ? migration.downSQL : nil)
    }
    var stored: [LedgerEvent] = []
    var previous = LedgerEvent.genesisHash
    let events = [
      event(.planned, "2026-02-01T00:00:00.000Z"), event(.started, "2026-02-01T00:00:00.001Z"),
      event(.applied, "2026-02-01T00:00:00.003Z"),
    ]
    for (index, var event) in events.enumerated() {
      event.seq = Int64(index + 1)
      event.prevHash = previous
      event.hash = event.computedHash
      previous = event.hash
      try connection.execute(
        """
        INSERT INTO schemaledger_events (seq, kind, migration, version, direction, checksum, \
        run_id, actor_user, actor_host, actor_pid, recorded_at, duration_ms, transactional, \
        sql, down_sql, error, error_code, detail, depends_on, schema_fingerprint, prev_hash, \
        hash, version_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \
        ?, ?, ?, ?)
        """,
        [
          .integer(event.seq), .text(event.kind.rawValue), .text(event.migration),
          .integer(event.version?.singleNumber), .text(event.direction?.rawValue),
          .text(event.checksum), .text(event.runID), .text(event.actor.user),
          .text(event.actor.host), .integer(event.actor.pid), .text(event.recordedAt),
          .integer(event.durationMs), .integer(event.transactional.map { $0 ? 1 : 0 }),
          .text(event.sql), .text(event.downSQL), .text(event.error),
          .integer(event.errorCode), .text(event.detail),
          .text(event.dependsOn?.joined(separator: " ")), .text(event.schemaFingerprint),
          .text(event.prevHash), .text(event.hash), .null,
        ])
      stored.append(event)
    }
    try connection.execute(
      "INSERT OR REPLACE INTO schemaledger_meta (key, value) VALUES ('head', ?)",
      [.text("3 \(previous)")])
    return stored
  }

  static func formatVersion(_ fixture: Fixture) throws -> [String] {
    try fixture.query("SELECT value FROM schemaledger_meta WHERE key = 'format_version'")
  }

  @Test("The hand-built ledger is format 2: texts inline, no table of texts")
  func handBuiltIsFormat2() throws {
    try withFixture { fixture in
      try Self.writeFormat2Database(fixture)
      #expect(try Self.formatVersion(fixture) == ["2"])
      #expect(try Self.inlineTexts(fixture) == "2")
      #expect(
        try fixture.query("SELECT count(*) FROM sqlite_master WHERE name = 'schemaledger_sql'")
          == ["0"])
    }
  }

  @Test("An apply upgrades a format-2 ledger: texts moved, one 'upgraded' event, hashes kept")
  func applyUpgradesFormat2() throws {
    try withFixture { fixture in
      let old = try Self.writeFormat2Database(fixture)
      let up = try #require(old[2].sql)
      let down = try #require(old[2].downSQL)
      try fixture.migration("2_b.sql", "CREATE TABLE b (x);\n")
      try fixture.ledger().migrate()
      #expect(try Self.formatVersion(fixture) == ["3"])
      #expect(try Self.inlineTexts(fixture) == "0")
      // The old events' texts are in schemaledger_sql, named by their SHA-256.
      #expect(
        try fixture.query("SELECT sql_hash FROM schemaledger_events WHERE seq = 3")
          == [SHA256.hexDigest(up)])
      #expect(
        try fixture.query(
          "SELECT text FROM schemaledger_sql WHERE hash = ?".replacing(
            "?", with: "'\(SHA256.hexDigest(down))'")) == [down])
      // Their hashes are unchanged, and they read back equal, with their SQL.
      #expect(
        try fixture.query("SELECT hash FROM schemaledger_events WHERE seq <= 3 ORDER BY seq")
          == old.map(\.hash))
      let events = try fixture.ledger().history()
      #expect(Array(events.prefix(old.count)) == old)
      let upgraded = events.filter { $0.kind == .upgraded }
      #expect(upgraded.count == 1)
      #expect(upgraded.first?.seq == 4)
      let detail = try #require(upgraded.first?.detail)
      #expect(detail.hasPrefix("ledger format 2 -> 3: "))
      #expect(
        detail.contains(
          "moved 3 texts (\(2 * up.utf8.count + down.utf8.count) bytes) of 2 events, stored as 2 distinct texts (\(up.utf8.count + down.utf8.count) bytes)"
        ))
      #expect(events.contains { $0.kind == .applied && $0.migration == "2_b" })
      let report = try fixture.ledger().verify()
      #expect(report.isClean, "\(report.problems)")
      #expect(report.eventsChecked == events.count)
      // The no-update trigger is back.
      #expect(
        try LedgerStore(connection: SQLiteConnection(path: fixture.databasePath))
          .presentTriggers() == LedgerStore.triggerNames(format: 3))
    }
  }

  @Test(
    "A read-only call reads a format-2 ledger and leaves it in format 2",
    arguments: LedgerUpgradeTests.ReadOnlyCall.allCases)
  func readOnlyKeepsFormat2(call: LedgerUpgradeTests.ReadOnlyCall) throws {
    try withFixture { fixture in
      try Self.writeFormat2Database(fixture)
      try fixture.migration("2_b.sql", "CREATE TABLE b (x);\n")
      try call.run(fixture.ledger())
      #expect(try Self.formatVersion(fixture) == ["2"])
      #expect(try Self.inlineTexts(fixture) == "2")
      #expect(
        try fixture.query("SELECT count(*) FROM sqlite_master WHERE name LIKE 'schemaledger_sql%'")
          == ["0"])
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_events") == ["3"])
    }
  }

  @Test("A format-2 ledger reads back with its SQL through history and verify")
  func format2ReadsBack() throws {
    try withFixture { fixture in
      let old = try Self.writeFormat2Database(fixture)
      #expect(try fixture.ledger().history() == old)
      #expect(try fixture.ledger().verify().isClean)
    }
  }
}

extension LedgerFormat3Tests {
  @Test("A run stores its texts with its planned events; a failed step's down SQL stays, unnamed")
  func textsStoredWithPlannedEvents() throws {
    try withFixture { fixture in
      try fixture.migration(
        "1_a.sql",
        Fixture.dbmate(up: "CREATE TABLE a (x); CREATE TABLE a (y);", down: "DROP TABLE a;"))
      #expect(throws: (any Error).self) { try fixture.ledger().migrate() }
      let down = try #require(
        try MigrationSource(directory: fixture.migrations.path).migrations.first?.downSQL)
      #expect(
        try fixture.query(
          "SELECT count(*) FROM schemaledger_sql WHERE hash = '\(SHA256.hexDigest(down))'")
          == ["1"])
      #expect(
        try fixture.query(
          "SELECT count(*) FROM schemaledger_events WHERE down_sql_hash IS NOT NULL")
          == ["0"])
      #expect(try fixture.ledger().verify().isClean)
    }
  }
}
