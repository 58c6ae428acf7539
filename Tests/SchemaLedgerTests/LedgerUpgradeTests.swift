import Foundation
import Testing

@testable import SchemaLedger

@Suite("Ledger format upgrade")
struct LedgerUpgradeTests {
  static let createA = "CREATE TABLE a (x);\n"

  /// The format-1 DDL, exactly as format 1's `ledger/schema.sql` published it.
  static func format1Schema() throws -> String {
    let sql = try String(
      contentsOf: repositoryRoot.appendingPathComponent(
        "Tests/SchemaLedgerTests/Fixtures/format1-schema.sql"),
      encoding: .utf8)
    try #require(sql.contains("format version 1") && !sql.contains("version_text"))
    return sql
  }

  /// The events a format-1 run that applied `1_a` recorded.
  static func format1Events(checksum: String) -> [LedgerEvent] {
    let actor = LedgerActor(user: "alice", host: "old-build", pid: 42)
    func event(_ kind: EventKind, _ time: String, sql: String? = nil) -> LedgerEvent {
      LedgerEvent(
        kind: kind, migration: "1_a", version: 1, direction: .up, checksum: checksum,
        runID: "format-1-run", actor: actor, recordedAt: time,
        durationMs: kind == .applied ? 3 : nil, transactional: true, sql: sql)
    }
    return [
      event(.planned, "2026-01-01T00:00:00.000Z"),
      event(.started, "2026-01-01T00:00:00.001Z"),
      event(.applied, "2026-01-01T00:00:00.004Z", sql: createA),
    ]
  }

  /// The hash format 1 gave `event`, computed here from format 1's rules (`version` as
  /// the decimal of its one number), not by today's code: the upgrade must keep it valid.
  static func format1Hash(_ event: LedgerEvent) -> String {
    let fields: [String?] = [
      String(event.seq), event.kind.rawValue, event.migration,
      event.version?.singleNumber.map { String($0) }, event.direction?.rawValue, event.checksum,
      event.runID, event.actor.user, event.actor.host, String(event.actor.pid), event.recordedAt,
      event.durationMs.map { String($0) }, event.transactional.map { $0 ? "1" : "0" },
      event.sql, event.downSQL, event.error, event.errorCode.map { String($0) }, event.detail,
      event.dependsOn?.joined(separator: " "), event.schemaFingerprint, event.prevHash,
    ]
    let encoded = fields.map { field in field.map { "\($0.utf8.count):\($0);" } ?? "-;" }
    return SHA256.hexDigest("schemaledger-event-v1\n" + encoded.joined())
  }

  /// Writes `1_a.sql` and a database holding its table and a format-1 ledger recording
  /// its application (events chained and hashed as format 1 hashed them); returns the
  /// recorded events.
  @discardableResult
  static func writeFormat1Database(_ fixture: Fixture) throws -> [LedgerEvent] {
    try fixture.migration("1_a.sql", createA)
    let checksum = try #require(
      try MigrationSource(directory: fixture.migrations.path).migrations.first?.checksum)
    let connection = try SQLiteConnection(path: fixture.databasePath)
    try connection.executeScript(try format1Schema())
    try connection.executeScript(createA)
    var stored: [LedgerEvent] = []
    var previous = LedgerEvent.genesisHash
    for (index, var event) in format1Events(checksum: checksum).enumerated() {
      event.seq = Int64(index + 1)
      event.prevHash = previous
      event.hash = format1Hash(event)
      previous = event.hash
      try connection.execute(
        """
        INSERT INTO schemaledger_events (seq, kind, migration, version, direction, checksum, \
        run_id, actor_user, actor_host, actor_pid, recorded_at, duration_ms, transactional, \
        sql, down_sql, error, error_code, detail, depends_on, schema_fingerprint, prev_hash, \
        hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
          .text(event.prevHash), .text(event.hash),
        ])
      stored.append(event)
    }
    return stored
  }

  /// A format-1 database with a pending `2_b`, migrated through the façade.
  static func upgradeByApplying(_ fixture: Fixture) throws -> [LedgerEvent] {
    let old = try writeFormat1Database(fixture)
    try fixture.migration("2_b.sql", "CREATE TABLE b (x);\n")
    try fixture.ledger().migrate()
    return old
  }

  static func formatVersion(_ fixture: Fixture) throws -> [String] {
    try fixture.query("SELECT value FROM schemaledger_meta WHERE key = 'format_version'")
  }

  static func hasVersionTextColumn(_ fixture: Fixture) throws -> Bool {
    try fixture.query("SELECT name FROM pragma_table_info('schemaledger_events')")
      .contains("version_text")
  }

  // MARK: - The hand-built format-1 ledger

  @Test("The hand-built ledger is format 1: no version_text, format_version 1")
  func handBuiltIsFormat1() throws {
    try withFixture { fixture in
      try Self.writeFormat1Database(fixture)
      #expect(try Self.formatVersion(fixture) == ["1"])
      #expect(try !Self.hasVersionTextColumn(fixture))
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_events") == ["3"])
    }
  }

  // MARK: - Upgrading on apply

  @Test("An apply on a format-1 ledger sets the format version to 3")
  func applySetsFormat3() throws {
    try withFixture { fixture in
      _ = try Self.upgradeByApplying(fixture)
      #expect(try Self.formatVersion(fixture) == ["3"])
    }
  }

  @Test("The upgrade from format 1 moves the inline SQL into schemaledger_sql")
  func applyMovesTexts() throws {
    try withFixture { fixture in
      _ = try Self.upgradeByApplying(fixture)
      #expect(
        try fixture.query(
          "SELECT count(*) FROM schemaledger_events WHERE sql IS NOT NULL OR down_sql IS NOT NULL"
        ) == ["0"])
      #expect(
        try fixture.query("SELECT sql_hash FROM schemaledger_events WHERE seq = 3")
          == [SHA256.hexDigest(Self.createA)])
      #expect(
        try fixture.query(
          "SELECT text FROM schemaledger_sql WHERE hash = '\(SHA256.hexDigest(Self.createA))'")
          == [Self.createA])
    }
  }

  @Test("The upgrade from format 1 to 3 is one transaction: a failing step leaves format 1")
  func upgradeIsOneTransaction() throws {
    try withFixture { fixture in
      try Self.writeFormat1Database(fixture)
      // A table of that name, but not of format 3's shape: the step to format 3 fails
      // after the step to format 2 ran.
      try SQLiteConnection(path: fixture.databasePath).execute(
        "CREATE TABLE schemaledger_sql (other TEXT)")
      try fixture.migration("2_b.sql", "CREATE TABLE b (x);\n")
      #expect(throws: (any Error).self) { try fixture.ledger().migrate() }
      #expect(try Self.formatVersion(fixture) == ["1"])
      #expect(try !Self.hasVersionTextColumn(fixture))
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_events") == ["3"])
      #expect(
        try fixture.query("SELECT count(*) FROM schemaledger_events WHERE sql IS NOT NULL")
          == ["1"])
      #expect(
        try fixture.schemaObjects()
          == ["table a", "table schemaledger_sql"].filter {
            !$0.contains("schemaledger")
          })
    }
  }

  @Test("An apply on a format-1 ledger adds the version_text column")
  func applyAddsColumn() throws {
    try withFixture { fixture in
      _ = try Self.upgradeByApplying(fixture)
      #expect(try Self.hasVersionTextColumn(fixture))
    }
  }

  @Test("The upgrade is recorded by exactly one 'upgraded' event, even after later applies")
  func oneUpgradedEvent() throws {
    try withFixture { fixture in
      _ = try Self.upgradeByApplying(fixture)
      try fixture.migration("3_c.sql", "CREATE TABLE c (x);\n")
      try fixture.ledger().migrate()
      let upgraded = try fixture.events().filter { $0.kind == .upgraded }
      #expect(upgraded.count == 1)
      #expect(upgraded.first?.seq == 4)
      #expect(upgraded.first?.detail?.hasPrefix("ledger format 1 -> 3: added the column") == true)
      #expect(upgraded.first?.detail?.contains("moved 1 text (") == true)
      #expect(try fixture.schemaObjects() == ["table a", "table b", "table c"])
    }
  }

  @Test("After the upgrade, verify finds the old events' hashes and the chain intact")
  func verifyAfterUpgrade() throws {
    try withFixture { fixture in
      _ = try Self.upgradeByApplying(fixture)
      let report = try fixture.ledger().verify()
      let eventCount = try fixture.query("SELECT count(*) FROM schemaledger_events")
      #expect(
        !report.problems.contains {
          if case .brokenChain = $0 { true } else { false }
        }, "\(report.problems)")
      #expect(["\(report.eventsChecked)"] == eventCount)
    }
  }

  @Test("After the upgrade, history reads every event, the format-1 ones unchanged")
  func historyAfterUpgrade() throws {
    try withFixture { fixture in
      let old = try Self.upgradeByApplying(fixture)
      let events = try fixture.ledger().history()
      #expect(events.map(\.seq) == Array(1...Int64(events.count)))
      #expect(Array(events.prefix(old.count)) == old)
      #expect(events.contains { $0.kind == .applied && $0.migration == "2_b" })
    }
  }

  // MARK: - Reading without upgrading

  /// A read-only façade call.
  enum ReadOnlyCall: String, CaseIterable, Sendable {
    case status, history, ledgerState, plan, verify, replay

    func run(_ ledger: SchemaMigrator) throws {
      switch self {
      case .status:
        let report = try ledger.status()
        #expect(report.entries.first { $0.id == "1_a" }?.state == .applied)
      case .history:
        #expect(try ledger.history().count == 3)
      case .ledgerState:
        #expect(try ledger.ledgerState().migrations["1_a"]?.status == .applied)
      case .plan:
        #expect(try ledger.plan().plan.steps.map(\.id) == ["2_b"])
      case .verify:
        #expect(try ledger.verify().eventsChecked == 3)
      case .replay:
        #expect(try ledger.replay().state.migrations["1_a"]?.status == .applied)
      }
    }
  }

  @Test(
    "A read-only call reads a format-1 ledger and leaves it in format 1",
    arguments: ReadOnlyCall.allCases)
  func readOnlyKeepsFormat1(call: ReadOnlyCall) throws {
    try withFixture { fixture in
      try Self.writeFormat1Database(fixture)
      try fixture.migration("2_b.sql", "CREATE TABLE b (x);\n")
      try call.run(fixture.ledger())
      #expect(try Self.formatVersion(fixture) == ["1"])
      #expect(try !Self.hasVersionTextColumn(fixture))
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_events") == ["3"])
    }
  }

  // MARK: - Versions of several parts

  @Test("A version of several parts is stored in version_text, with version NULL")
  func multiPartStored() throws {
    try withFixture { fixture in
      try fixture.migration("V1.10__a.sql", Self.createA)
      try fixture.ledger().migrate()
      #expect(
        try fixture.query(
          """
          SELECT coalesce(version, 'NULL') || ' ' || version_text FROM schemaledger_events
          WHERE kind = 'applied'
          """) == ["NULL 1.10"])
    }
  }

  @Test("A version of several parts reads back equal, in history and in the state")
  func multiPartReadBack() throws {
    try withFixture { fixture in
      try fixture.migration("V1.10__a.sql", Self.createA)
      try fixture.ledger().migrate()
      let version = try #require(MigrationVersion("1.10"))
      let applied = try fixture.events().first { $0.kind == .applied }
      #expect(applied?.version == version)
      #expect(applied?.version?.parts == [1, 10])
      #expect(try fixture.ledger().ledgerState().migrations["V1.10__a"]?.version == version)
    }
  }

  @Test("The state view lists versions of several parts in version order")
  func stateViewOrder() throws {
    try withFixture { fixture in
      try fixture.migration("V1.9__a.sql", "CREATE TABLE a (x);\n")
      try fixture.migration("V1.10__b.sql", "CREATE TABLE b (x);\n")
      try fixture.migration("V2__c.sql", "CREATE TABLE c (x);\n")
      try fixture.ledger().migrate()
      let rows = try fixture.query("SELECT migration FROM schemaledger_state")
      #expect(rows == ["V1.9__a", "V1.10__b", "V2__c"])
    }
  }

  @Test("A version of one part is stored in version, with version_text NULL")
  func singlePartStored() throws {
    try withFixture { fixture in
      try fixture.migration("V7__a.sql", Self.createA)
      try fixture.ledger().migrate()
      #expect(
        try fixture.query(
          """
          SELECT version || ' ' || coalesce(version_text, 'NULL') FROM schemaledger_events
          WHERE kind = 'applied'
          """) == ["7 NULL"])
    }
  }
}
