import Foundation
import Testing

@testable import SchemaLedger

@Suite("Robustness: repairs, blocking, foreign keys, leftovers")
struct RobustnessTests {
  @Test("a dropped append-only trigger is recreated by the next run that writes")
  func triggerRecreated() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("DROP TRIGGER schemaledger_events_no_delete")
      let problems = try fixture.ledger().verify().problems
      #expect(
        problems == [
          .missingTrigger(
            "schemaledger_events_no_delete",
            restore: SQLiteLedgerDDL.ddl.triggerDefinition(named: "schemaledger_events_no_delete"))
        ])
      #expect(String(describing: problems[0]).contains("CREATE TRIGGER IF NOT EXISTS"))
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.ledger().migrate()
      #expect(try fixture.ledger().verify().isClean)
    }
  }

  @Test("plan refuses, like apply, when an attempt outside a transaction was interrupted")
  func planAgreesWithApply() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "-- migrate:up transaction:false\nCREATE TABLE a (x);\n")
      // Simulate a runner that died after committing `planned` and `started`.
      let state = LedgerStore(connection: try SQLiteConnection(path: fixture.databasePath))
      try state.prepare(runID: "test-setup", actor: .current())
      let actor = LedgerActor(user: "u", host: "h", pid: 1)
      for kind in [EventKind.planned, .started] {
        try state.append(
          LedgerEvent(
            kind: kind, migration: "001_a", version: 1, direction: .up, runID: "dead",
            actor: actor, transactional: false))
      }
      #expect(throws: PlanError.self) { try fixture.ledger().plan() }
      #expect(throws: PlanError.self) { try fixture.ledger().migrate() }
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.detail == "interrupted")
      #expect(failed.error?.contains("may be partly done") == true)
    }
  }

  @Test("a rollback step outside a transaction that fails blocks further runs")
  func partialRollbackBlocks() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql",
        "-- migrate:up transaction:false\nCREATE TABLE a (x);\nCREATE TABLE b (x);\n"
          + "-- migrate:down\nDROP TABLE a;\nDROP TABLE nope;\n")
      try fixture.ledger().migrate()
      #expect(throws: ExecutionError.self) { try fixture.ledger().rollback(.all, rehearse: false) }
      #expect(try fixture.schemaObjects() == ["table b"])
      do {
        try fixture.ledger().rollback(.all, rehearse: false)
        Issue.record("a partly rolled back migration did not block")
      } catch PlanError.partlyApplied(let id, _) {
        #expect(id == "001_a")
      }
      #expect(throws: PlanError.self) { try fixture.ledger().migrate() }
    }
  }

  @Test("outside a transaction, foreign keys stay enforced and new orphans fail the step")
  func foreignKeysOutsideTransaction() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_schema.sql",
        """
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
        """)
      try fixture.migration(
        "002_orphan.sql", "-- migrate:up transaction:false\nINSERT INTO child VALUES (1, 99);\n")
      do {
        try fixture.ledger().migrate()
        Issue.record("an orphan got in")
      } catch let error as ExecutionError {
        #expect(String(describing: error).contains("FOREIGN KEY constraint failed"))
      }
      #expect(try fixture.query("SELECT count(*) FROM child") == ["0"])
    }
  }

  @Test("violations that were there before the run do not fail a later migration")
  func oldViolationsDoNotBlame() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_schema.sql",
        """
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
        """)
      try fixture.ledger().migrate()
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("PRAGMA foreign_keys = OFF")
      try connection.execute("INSERT INTO child VALUES (1, 99)")
      try fixture.migration("002_other.sql", "CREATE TABLE other (x);")
      let report = try fixture.ledger().migrate()
      #expect(report.steps.map(\.migration) == ["002_other"])
    }
  }

  @Test("copies left by a crashed rehearsal are removed by the next rehearsal")
  func staleRehearsalCopies() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "DROP TABLE a;"))
      try fixture.ledger().migrate()
      let stale = try fixture.directory.write(".app.sqlite-schemaledger-rehearsal-OLD.sqlite", "x")
      let otherDatabase = try fixture.directory.write(
        ".other.sqlite-schemaledger-rehearsal-OLD.sqlite", "x")
      try fixture.ledger().rollback(.all)
      #expect(!FileManager.default.fileExists(atPath: stale.path))
      #expect(FileManager.default.fileExists(atPath: otherDatabase.path))
    }
  }

  @Test("the state view forgets an old error once the migration is applied")
  func stateViewError() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABEL a (x);")
      _ = try? fixture.ledger().migrate()
      #expect(try fixture.query("SELECT last_error IS NOT NULL FROM schemaledger_state") == ["1"])
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      #expect(try fixture.query("SELECT status, last_error FROM schemaledger_state") == ["applied"])
      #expect(try fixture.query("SELECT last_error IS NULL FROM schemaledger_state") == ["1"])
    }
  }

  @Test("global options may come before the command; an unknown option is named")
  func globalOptionsFirst() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let result = try ToolProcess.run(
        ["-d", fixture.databasePath, "--migrations", fixture.migrations.path, "apply"],
        in: fixture.directory)
      #expect(result.status == 0, "\(result.stderr)")
      let bogus = try ToolProcess.run(["--bogus"], in: fixture.directory)
      #expect(bogus.status == 64)
      #expect(bogus.stderr.contains("Error: Unknown option '--bogus'."))
      #expect(bogus.stdout.isEmpty)
    }
  }
}

@Suite("Verification after later runs")
struct LaterRunVerificationTests {
  @Test("a table made by hand is still drift after a later run records its fingerprint")
  func handChangeSurvivesLaterRuns() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      try SQLiteConnection(path: fixture.databasePath).execute("CREATE TABLE by_hand (x)")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.ledger().migrate()
      let problems = try fixture.ledger().verify().problems
      #expect(problems.count == 1)
      #expect(String(describing: problems.first!).contains("added table by_hand"))
    }
  }

  @Test("replay --schema and the state view include baselined migrations")
  func baselinedInReplayAndView() throws {
    try withFixture { fixture in
      try SQLiteConnection(path: fixture.databasePath).execute("CREATE TABLE a (x)")
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().baseline(to: 1, reason: "adopted")
      #expect(try fixture.ledger().replay(schema: true).schema?.ddl == "CREATE TABLE a (x);\n")
      #expect(
        try fixture.query("SELECT migration || ' ' || status FROM schemaledger_state")
          == ["001_a applied"])
      #expect(try fixture.ledger().verify().isClean)
    }
  }

  @Test("operator commands on a mistyped database path create nothing")
  func noDatabaseCreated() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(throws: SQLiteError.fileMissing(path: fixture.databasePath)) {
        try fixture.ledger().baseline(to: 1, reason: "typo")
      }
      #expect(throws: SQLiteError.self) { try fixture.ledger().importHistory(from: .dbmate) }
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("an ignored downgrade is not remembered as up to date for a stricter call")
  func fastCheckRespectsPolicy() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.ledger().migrate()
      try FileManager.default.removeItem(at: fixture.migrations.appendingPathComponent("002_b.sql"))
      try fixture.migration("003_c.sql", "CREATE TABLE c (x);")
      _ = try? fixture.ledger {
        $0.supersededMigrations = .ignore
        $0.allowOutOfOrder = true
      }.migrate()
      #expect(throws: PlanError.self) { try fixture.ledger().migrate() }
    }
  }
}
