import Foundation
import Testing

@testable import SchemaLedger

@Suite("Audit: history, replay, verify, export")
struct AuditTests {
  private func reversible(_ fixture: Fixture, _ count: Int) throws {
    for index in 1...count {
      try fixture.migration(
        "00\(index)_t\(index).sql",
        Fixture.dbmate(
          up: "CREATE TABLE t\(index) (id INTEGER PRIMARY KEY, v TEXT);\n"
            + "CREATE INDEX t\(index)_v ON t\(index)(v);",
          down: "DROP TABLE t\(index);"))
    }
  }

  @Test("history filters by migration, kinds, run, time and limit")
  func historyFilters() throws {
    try withFixture { fixture in
      try reversible(fixture, 3)
      try fixture.ledger().migrate(to: 2)
      try fixture.ledger().migrate()
      let ledger = fixture.ledger()
      let all = try ledger.history()
      #expect(
        try ledger.history(HistoryFilter(migration: "002_t2")).map(\.kind) == [
          .planned, .started, .applied,
        ])
      let outcomes = try ledger.history(HistoryFilter(kinds: [.applied, .failed]))
      #expect(outcomes.map(\.migration) == ["001_t1", "002_t2", "003_t3"])
      let secondRun = try #require(all.last?.runID)
      #expect(
        try ledger.history(HistoryFilter(runID: secondRun)).map(\.migration)
          == ["003_t3", "003_t3", "003_t3"])
      #expect(try ledger.history(HistoryFilter(limit: 2)).map(\.seq) == [8, 9])
      let cut = all[4].recordedAt
      #expect(try ledger.history(HistoryFilter(since: cut)).allSatisfy { $0.recordedAt >= cut })
      #expect(try ledger.history(HistoryFilter(until: cut)).allSatisfy { $0.recordedAt < cut })
      #expect(try ledger.history(HistoryFilter(since: "2999-01-01T00:00:00.000Z")).isEmpty)
    }
  }

  @Test("times are accepted as dates, ISO-8601 with zones, and normalised to UTC ms")
  func timeParsing() {
    #expect(Timestamp.parse("2026-11-25") == "2026-11-25T00:00:00.000Z")
    #expect(Timestamp.parse("2026-11-25T08:50") == "2026-11-25T08:50:00.000Z")
    #expect(Timestamp.parse("2026-11-25 08:50:12.5Z") == "2026-11-25T08:50:12.500Z")
    #expect(Timestamp.parse("2026-11-25T10:50:12+02:00") == "2026-11-25T08:50:12.000Z")
    #expect(Timestamp.parse("2026-11-25T08:50:12.123456Z") == "2026-11-25T08:50:12.123Z")
    #expect(Timestamp.parse("yesterday") == nil)
    #expect(Timestamp.parse("2026-13-01") == nil)
    #expect(Timestamp.parse("2026-11-25T08:50:12Zjunk") == nil)
  }

  @Test("replay at every point of a history with rollbacks and re-applies equals what was seen")
  func replayMatchesObservedStates() throws {
    try withFixture { fixture in
      try reversible(fixture, 4)
      let ledger = fixture.ledger()
      var observed: [(seq: Int64, applied: [String], schema: SchemaSnapshot)] = []
      func observe() throws {
        let connection = try SQLiteConnection(path: fixture.databasePath)
        observed.append(
          (
            try ledger.ledgerState().lastSeq, try ledger.ledgerState().appliedMigrations.map(\.id),
            try SchemaSnapshot.read(from: connection)
          ))
      }
      try ledger.migrate(to: 2)
      try observe()
      try ledger.migrate()
      try observe()
      try ledger.rollback(.steps(3), rehearse: false)
      try observe()
      try ledger.migrate(to: 3)
      try observe()
      try ledger.rollback(.all)
      try observe()
      try ledger.migrate()
      try observe()
      for point in observed {
        let replay = try ledger.replay(at: .seq(point.seq), schema: true)
        #expect(replay.state.appliedMigrations.map(\.id) == point.applied, "at #\(point.seq)")
        #expect(replay.schema == point.schema, "schema at #\(point.seq)")
        #expect(replay.state.lastSeq == point.seq)
      }
      // By time: the last event of the first run.
      let events = try ledger.history()
      let firstRunEnd = try #require(events.last { $0.runID == events[0].runID })
      let byTime = try ledger.replay(at: .time(firstRunEnd.recordedAt))
      #expect(byTime.state.lastSeq >= firstRunEnd.seq)
      #expect(try ledger.replay(at: .time("2000-01-01T00:00:00.000Z")).state.eventCount == 0)
    }
  }

  @Test("replay refuses an event number past the ledger's end and marks the end state")
  func replayPastEnd() throws {
    try withFixture { fixture in
      let ledger = fixture.ledger()
      #expect(throws: LedgerError.pastEnd(database: fixture.databasePath, seq: 1, lastSeq: 0)) {
        try ledger.replay(at: .seq(1))
      }
      #expect(try ledger.replay(at: .seq(0)).isAtEnd)
      try reversible(fixture, 2)
      try ledger.migrate()
      let last = try ledger.ledgerState().lastSeq
      #expect(throws: LedgerError.pastEnd(database: fixture.databasePath, seq: 500, lastSeq: last))
      {
        try ledger.replay(at: .seq(500), schema: true)
      }
      #expect(try ledger.replay(at: .seq(last)).isAtEnd)
      #expect(try !ledger.replay(at: .seq(last - 1)).isAtEnd)
      #expect(try ledger.replay(at: .time("2999-01-01T00:00:00.000Z")).isAtEnd)
      #expect(try !ledger.replay(at: .time("2000-01-01T00:00:00.000Z")).isAtEnd)
    }
  }

  @Test("replay --schema equals the live schema after each bundled migration")
  func replaySchemaOfBundledMigrations() throws {
    try withTemporaryDirectory { directory in
      let ledger = SchemaMigrator(
        databasePath: directory.appendingPathComponent("app.sqlite").path,
        migrationsDirectory: repositoryRoot.appendingPathComponent("migrations").path)
      for version in Int64(1)...4 {
        try ledger.migrate(to: MigrationVersion(version))
        let live = try SchemaSnapshot.read(
          from: SQLiteConnection(path: ledger.databasePath))
        let replayed = try #require(try ledger.replay(schema: true).schema)
        #expect(replayed == live, "after version \(version)")
        #expect(!live.objects.isEmpty)
      }
    }
  }

  @Test("verify passes on an untouched database")
  func verifyClean() throws {
    try withFixture { fixture in
      try reversible(fixture, 3)
      try fixture.ledger().migrate()
      try fixture.ledger().rollback(.steps(1))
      let report = try fixture.ledger().verify()
      #expect(report.isClean, "\(report.problems)")
      let count = try fixture.ledger().history().count
      #expect(report.eventsChecked == count)
    }
  }

  @Test("verify names the first tampered event")
  func tamperedEvent() throws {
    try withFixture { fixture in
      try reversible(fixture, 2)
      try fixture.ledger().migrate()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("DROP TRIGGER schemaledger_events_no_update")
      try connection.execute(
        "UPDATE schemaledger_events SET actor_user = 'mallory' WHERE seq = 4")
      let report = try fixture.ledger().verify()
      let first = try #require(report.problems.first)
      guard case .brokenChain(let found) = first else {
        Issue.record("expected a broken chain first, got \(report.problems)")
        return
      }
      #expect(found.seq == 4)
      #expect(String(describing: first).contains("event #4"))
      #expect(
        report.problems.contains(
          .missingTrigger(
            "schemaledger_events_no_update",
            restore: SQLiteLedgerDDL.ddl.triggerDefinition(named: "schemaledger_events_no_update")))
      )
    }
  }

  @Test("verify finds a deleted event by the gap in seq")
  func deletedEvent() throws {
    try withFixture { fixture in
      try reversible(fixture, 2)
      try fixture.ledger().migrate()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("DROP TRIGGER schemaledger_events_no_delete")
      try connection.execute("DELETE FROM schemaledger_events WHERE seq = 3")
      let report = try fixture.ledger().verify()
      guard case .brokenChain(let found)? = report.problems.first else {
        Issue.record("expected a broken chain, got \(report.problems)")
        return
      }
      #expect(found.seq == 4)
      #expect(found.reason.contains("missing"))
    }
  }

  @Test("verify finds an edited file, a missing file and a superseded database")
  func fileProblems() throws {
    try withFixture { fixture in
      try reversible(fixture, 3)
      try fixture.ledger().migrate()
      try fixture.migration(
        "001_t1.sql",
        Fixture.dbmate(up: "CREATE TABLE t1 (id INTEGER PRIMARY KEY);", down: "DROP TABLE t1;"))
      try FileManager.default.removeItem(
        at: fixture.migrations.appendingPathComponent("002_t2.sql"))
      try FileManager.default.removeItem(
        at: fixture.migrations.appendingPathComponent("003_t3.sql"))
      try fixture.migration("002_t2.sql", "-- placeholder with another id\nSELECT 1;")
      try FileManager.default.moveItem(
        at: fixture.migrations.appendingPathComponent("002_t2.sql"),
        to: fixture.migrations.appendingPathComponent("002_other.sql"))
      let problems = try fixture.ledger().verify().problems
      #expect(
        problems.contains {
          if case .editedFile(let d) = $0 { d.migration == "001_t1" } else { false }
        })
      #expect(problems.contains(.missingFile(migration: "002_t2")))
      #expect(problems.contains(.superseded(migration: "003_t3")))
    }
  }

  @Test("verify finds schema drift: a table created, a column dropped, outside SchemaLedger")
  func drift() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_users.sql",
        Fixture.dbmate(
          up: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);",
          down: "DROP TABLE users;"))
      try fixture.ledger().migrate()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("CREATE TABLE shadow (x)")
      try connection.execute("ALTER TABLE users DROP COLUMN name")
      let problems = try fixture.ledger().verify().problems
      guard case .schemaDrift(let differences, _, _, let recordedSeq, _)? = problems.last else {
        Issue.record("expected drift, got \(problems)")
        return
      }
      #expect(differences.count == 2)
      #expect(
        differences.contains { if case .added(let o) = $0 { o.name == "shadow" } else { false } })
      #expect(
        differences.contains {
          if case .changed(_, let o) = $0 { o.name == "users" } else { false }
        })
      #expect(recordedSeq == 3)
      let message = String(describing: problems.last!)
      #expect(message.contains("added table shadow"))
      #expect(message.contains("changed table users"))
      #expect(message.contains("after that"))
      // Undoing the change by hand makes verify clean again.
      try connection.execute("DROP TABLE shadow")
      try connection.execute("ALTER TABLE users ADD COLUMN name TEXT")
      #expect(try fixture.ledger().verify().isClean)
    }
  }

  @Test("export writes every event with its chain; verify --export checks it and finds edits")
  func exportRoundTrip() throws {
    try withFixture { fixture in
      try reversible(fixture, 2)
      try fixture.ledger().migrate()
      var lines: [String] = []
      try fixture.ledger().export { lines.append($0) }
      let count = try fixture.ledger().history().count
      #expect(lines.count == count)
      let report = SchemaMigrator.verifyExport(lines: lines, path: "export.jsonl")
      #expect(report.isClean && report.eventsChecked == lines.count)
      let parsed = try lines.map {
        try LedgerEvent(json: try JSONValue.decode($0), source: "x")
      }
      #expect(parsed == (try fixture.ledger().history()))
      var tampered = lines
      tampered[2] = tampered[2].replacingOccurrences(
        of: "\"kind\":\"started\"", with: "\"kind\":\"applied\"")
      let broken = SchemaMigrator.verifyExport(lines: tampered, path: "export.jsonl")
      #expect(
        broken.problems.first
          == .brokenChain(
            .init(
              seq: 3,
              reason: "its fields do not match its hash (the row was edited after it was written)"))
      )
      var dropped = lines
      dropped.remove(at: 1)
      guard
        case .brokenChain(let gap)? = SchemaMigrator.verifyExport(lines: dropped, path: "e")
          .problems
          .first
      else {
        Issue.record("a dropped line went unnoticed")
        return
      }
      #expect(gap.seq == 3)
    }
  }

  @Test("export lines add an actor object; old lines verify; a disagreeing one is a finding")
  func exportActorObject() throws {
    try withFixture { fixture in
      try reversible(fixture, 1)
      try fixture.ledger().migrate()
      var lines: [String] = []
      try fixture.ledger().export { lines.append($0) }
      let first = try JSONValue.decode(lines[0])
      let actor = try #require(first["actor"])
      #expect(actor["user"] == first["actor_user"])
      #expect(actor["host"] == first["actor_host"])
      #expect(actor["pid"] == first["actor_pid"])
      // An export written before the actor object existed.
      let older = try lines.map { line -> String in
        guard case .object(var members) = try JSONValue.decode(line) else { return line }
        members["actor"] = nil
        return JSONValue.object(members).encoded()
      }
      #expect(!older[0].contains("\"actor\":"))
      let report = SchemaMigrator.verifyExport(lines: older, path: "old.jsonl")
      #expect(report.isClean && report.eventsChecked == lines.count)
      // The object is not covered by the hash, so the reader holds it to the columns.
      var edited = lines
      guard case .object(var members) = first else { return }
      members["actor"] = ["user": "mallory", "host": actor["host"]!, "pid": actor["pid"]!]
      edited[0] = JSONValue.object(members).encoded()
      let finding = SchemaMigrator.verifyExport(lines: edited, path: "e.jsonl")
      #expect(
        finding.problems.map(\.description).contains {
          $0.contains("e.jsonl:1") && $0.contains("its actor object disagrees")
        })
    }
  }

  @Test("an auditor with only Python's sqlite3 answers the audit questions from the views")
  func externalClient() throws {
    try withFixture { fixture in
      try reversible(fixture, 2)
      try fixture.migration("003_bad.sql", "CREATE TABEL broken (x);")
      _ = try? fixture.ledger().migrate()
      let script = """
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        who = db.execute("SELECT actor, recorded_at FROM schemaledger_history "
                         "WHERE migration = '002_t2' AND kind = 'applied'").fetchone()
        failed = db.execute("SELECT migration, error FROM schemaledger_history "
                            "WHERE kind = 'failed'").fetchall()
        state = db.execute("SELECT migration, status FROM schemaledger_state").fetchall()
        runs = db.execute("SELECT run_id, sum(duration_ms) FROM schemaledger_history "
                          "WHERE kind = 'applied' GROUP BY run_id").fetchall()
        print(who[0].split('@')[0])
        print(failed[0][0], 'TABEL' in failed[0][1])
        print(';'.join(m + '=' + s for m, s in state))
        print(len(runs))
        """
      let scriptURL = try fixture.directory.write("audit.py", script)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", scriptURL.path, fixture.databasePath]
      let output = Pipe()
      process.standardOutput = output
      try process.run()
      let data = output.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
      #expect(lines.count == 4)
      #expect(lines.first == LedgerActor.current().user)
      #expect(lines.dropFirst().first == "003_bad True")
      #expect(lines.dropFirst(2).first == "001_t1=applied;002_t2=applied;003_bad=failed")
      #expect(lines.last == "1")
    }
  }
}

@Suite("Replay from the ledger's rows")
struct ProjectionRowReplayTests {
  @Test("reading rows column by column gives the state the full events give")
  func rowsAgreeWithEvents() throws {
    try withFixture { fixture in
      for index in 1...3 {
        try fixture.migration(
          "00\(index)_t\(index).sql",
          Fixture.dbmate(up: "CREATE TABLE t\(index) (id INTEGER);", down: "DROP TABLE t\(index);"))
      }
      let ledger = fixture.ledger()
      try ledger.migrate()
      try ledger.rollback(.steps(1))
      try fixture.migration("004_bad.sql", Fixture.dbmate(up: "CREATE TABLE broken (;"))
      #expect(throws: (any Error).self) { try ledger.migrate() }
      try fixture.migration(
        "001_t1.sql",
        Fixture.dbmate(up: "CREATE TABLE t1 (id INTEGER); -- edited", down: "DROP TABLE t1;"))
      try ledger.accept("001", reason: "comment only")
      // A run that died after planning: its attempt stays unfinished.
      let connection = try SQLiteConnection(path: fixture.databasePath)
      let store = LedgerStore(connection: connection)
      try store.prepare(runID: "test-setup", actor: .current())
      try store.append(
        LedgerEvent(
          kind: .planned, migration: "004_bad", version: 4, direction: .up, checksum: "c3",
          runID: "crashed-run", actor: LedgerActor(user: "ops", host: "db1", pid: 7),
          transactional: false, sql: "CREATE TABLE t3 (id INTEGER);"))

      let fromRows = try ledger.ledgerState()
      let fromEvents = LedgerProjection.state(of: try ledger.history())
      #expect(fromRows == fromEvents)
      #expect(fromRows.unfinishedAttempts.map(\.runID) == ["crashed-run"])
      #expect(fromRows.migrations["004_bad"]?.status == .interrupted)
      #expect(fromRows.migrations["003_t3"]?.status == .applied)
      #expect(fromRows.runs.count >= 5)
      #expect(
        Set(try ledger.history().map(\.kind)).isSuperset(of: [.rehearsed, .accepted, .failed]))
    }
  }
}
