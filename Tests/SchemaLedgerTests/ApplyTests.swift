import Foundation
import Testing

@testable import SchemaLedger

@Suite("Applying migrations")
struct ApplyTests {
  @Test(
    "apply runs every migration once and records planned, started, applied",
    arguments: TestEngine.all)
  func applyAll(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration(
        "001_users.sql",
        Fixture.dbmate(
          up: "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
          down: "DROP TABLE users;"))
      try fixture.migration(
        "002_posts.sql",
        Fixture.dbmate(
          up: "CREATE TABLE posts (id INTEGER PRIMARY KEY);\nCREATE INDEX posts_id ON posts(id);",
          down: "DROP TABLE posts;"))
      let report = try fixture.ledger().migrate()
      #expect(report.steps.map(\.migration) == ["001_users", "002_posts"])
      #expect(report.currentVersion == 2)
      #expect(try fixture.schemaObjects() == ["index posts_id", "table posts", "table users"])
      #expect(
        try fixture.ledgerRows() == [
          "planned 001_users", "planned 002_posts",
          "started 001_users", "applied 001_users",
          "started 002_posts", "applied 002_posts",
        ])
      let applied = try fixture.events().filter { $0.kind == .applied }
      #expect(applied.map(\.downSQL) == ["DROP TABLE users;\n", "DROP TABLE posts;\n"])
      #expect(applied.allSatisfy { $0.transactional == true && $0.durationMs != nil })
      #expect(Set(try fixture.events().map(\.runID)).count == 1)
    }
  }

  @Test("apply again is a no-op that writes nothing", arguments: TestEngine.all)
  func applyTwice(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x int);")
      try fixture.ledger().migrate()
      let before = try fixture.ledgerRows()
      let report = try fixture.ledger().migrate()
      #expect(report.steps.isEmpty)
      #expect(report.runID == nil)
      #expect(try fixture.ledgerRows() == before)
    }
  }

  @Test("--to stops at the version, and a later apply continues", arguments: TestEngine.all)
  func applyToVersion(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      for version in 1...4 {
        try fixture.migration("00\(version)_t\(version).sql", "CREATE TABLE t\(version) (x int);")
      }
      let report = try fixture.ledger().migrate(to: 2)
      #expect(report.steps.map(\.version) == [1, 2])
      #expect(try fixture.schemaObjects() == ["table t1", "table t2"])
      try fixture.ledger().migrate()
      #expect(try fixture.schemaObjects().count == 4)
    }
  }

  @Test("an unknown --to version is refused before anything runs", arguments: TestEngine.all)
  func unknownTarget(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x int);")
      #expect(throws: PlanError.unknownTarget(version: 7)) { try fixture.ledger().migrate(to: 7) }
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test(
    "a failing migration: earlier ones stay applied, it is rolled back and recorded",
    arguments: TestEngine.all)
  func failingMigration(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("001_ok.sql", "CREATE TABLE ok (x int);")
      try fixture.migration(
        "002_bad.sql",
        Fixture.dbmate(up: "CREATE TABLE half (x int);\n-- a comment\nCREATE TABEL broken (x int);")
      )
      try fixture.migration("003_later.sql", "CREATE TABLE later (x int);")
      var thrown: ExecutionError?
      do {
        try fixture.ledger().migrate()
      } catch let error as ExecutionError {
        thrown = error
      }
      let error = try #require(thrown)
      guard
        case .migrationFailed(let id, .up, let location, let underlying, true, let before) = error
      else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(id == "002_bad")
      #expect(location.line == 4)
      #expect(location.file.hasSuffix("migrations/002_bad.sql"))
      #expect(underlying.extendedCode == (engine.isPostgres ? nil : 1))
      #expect(before == ["001_ok"])
      let message = String(describing: error)
      #expect(message.contains("002_bad.sql:4:"))
      #expect(message.contains("near \"TABEL\""))
      // The engine's own words: SQLite's extended result code, PostgreSQL's SQLSTATE.
      let syntaxError =
        engine.isPostgres
        ? "syntax error at or near \"TABEL\" (SQLSTATE 42601)" : "near \"TABEL\": syntax error"
      let code: Int32? = engine.isPostgres ? nil : 1
      #expect(message.contains("run 'schemaledger apply' again"))
      #expect(try fixture.schemaObjects() == ["table ok"])
      #expect(
        try fixture.ledgerRows() == [
          "planned 001_ok", "planned 002_bad", "planned 003_later",
          "started 001_ok", "applied 001_ok",
          "started 002_bad", "failed 002_bad",
        ])
      let failed = try #require(try fixture.events().last)
      #expect(failed.error?.contains("002_bad.sql:4: \(syntaxError)") == true)
      #expect(failed.errorCode == code.map(Int64.init))
      let status = try fixture.ledger().status()
      #expect(status.entries.map(\.state) == [.applied, .failed, .pending])
    }
  }

  @Test("after fixing a failed migration, apply runs it and the rest", arguments: TestEngine.all)
  func fixAndRetry(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("001_bad.sql", "CREATE TABEL t (x int);")
      #expect(throws: ExecutionError.self) { try fixture.ledger().migrate() }
      try fixture.migration("001_bad.sql", "CREATE TABLE t (x int);")
      let report = try fixture.ledger().migrate()
      #expect(report.steps.map(\.migration) == ["001_bad"])
      #expect(try fixture.schemaObjects() == ["table t"])
    }
  }

  @Test("a constraint failure keeps SQLite's extended result code")
  func constraintCode() throws {
    try withFixture { fixture in
      try fixture.migration(
        "1_a.sql",
        "CREATE TABLE a (x int UNIQUE);\nINSERT INTO a VALUES (1);\nINSERT INTO a VALUES (1);")
      do {
        try fixture.ledger().migrate()
        Issue.record("expected a failure")
      } catch ExecutionError.migrationFailed(_, _, let location, let underlying, _, _) {
        #expect(underlying.codeName == "SQLITE_CONSTRAINT_UNIQUE")
        #expect(location.line == 3)
      }
      let failed = try #require(try fixture.events().last)
      #expect(failed.errorCode == 2067)
    }
  }

  @Test(
    "an edited applied migration stops apply, naming it and both checksums",
    arguments: TestEngine.all)
  func drift(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x int);")
      try fixture.ledger().migrate()
      let recorded = try #require(try fixture.ledger().source().migrations.first?.checksum)
      try fixture.migration("1_a.sql", "CREATE TABLE a (x int, y int);")
      try fixture.migration("2_b.sql", "CREATE TABLE b (x int);")
      let current = try #require(try fixture.ledger().source().migrations.first?.checksum)
      do {
        try fixture.ledger().migrate()
        Issue.record("expected drift to be refused")
      } catch let error as PlanError {
        guard case .checksumMismatch(let drifts) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(drifts.map(\.migration) == ["1_a"])
        let message = String(describing: error)
        #expect(message.contains(recorded) && message.contains(current))
        #expect(message.contains("Nothing was applied"))
      }
      #expect(try fixture.schemaObjects() == ["table a"])
      #expect(try fixture.ledger().status().entries.map(\.state) == [.drifted, .pending])
    }
  }

  @Test("CRLF line endings are not an edit", arguments: TestEngine.all)
  func lineEndingsAreNotDrift(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x int);\nCREATE TABLE b (x int);\n")
      try fixture.ledger().migrate()
      try fixture.migration(
        "1_a.sql", "\u{FEFF}CREATE TABLE a (x int);\r\nCREATE TABLE b (x int);\r\n")
      #expect(try fixture.ledger().migrate().steps.isEmpty)
    }
  }

  @Test("applied migrations missing from the folder refuse apply", arguments: TestEngine.all)
  func unknownApplied(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x int);")
      try fixture.migration("2_b.sql", "CREATE TABLE b (x int);")
      try fixture.ledger().migrate()
      try FileManager.default.removeItem(at: fixture.migrations.appendingPathComponent("2_b.sql"))
      #expect(throws: PlanError.unknownAppliedMigrations(["2_b"])) {
        try fixture.ledger().migrate()
      }
      #expect(try fixture.ledger().status().entries.map(\.state) == [.applied, .missingFile])
    }
  }

  @Test(
    "a migration that manages its own transaction runs as written and is recorded so",
    arguments: TestEngine.all)
  func ownTransaction(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration(
        "1_own.sql", "BEGIN;\nCREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nCOMMIT;")
      try fixture.migration(
        "2_flag.sql", "-- migrate:up transaction:false\nCREATE TABLE b (x int);\n-- migrate:down\n")
      try fixture.migration("3_vacuum.sql", "VACUUM;")
      let report = try fixture.ledger().migrate()
      #expect(report.steps.map(\.transactional) == [false, false, false])
      #expect(try fixture.schemaObjects() == ["table a", "table b"])
      let applied = try fixture.events().filter { $0.kind == .applied }
      #expect(applied.map(\.transactional) == [false, false, false])
      #expect(applied[1].detail == "marked transaction:false")
      // Outside a transaction, `started` is committed before the SQL runs.
      #expect(
        try fixture.ledgerRows().suffix(2) == ["started 3_vacuum", "applied 3_vacuum"])
    }
  }

  @Test(
    "a failing migration outside a transaction is recorded and blocks further applies",
    arguments: TestEngine.all)
  func partlyApplied(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration(
        "1_own.sql",
        "-- migrate:up transaction:false\nCREATE TABLE a (x int);\nCREATE TABEL b (x int);")
      try fixture.migration("2_next.sql", "CREATE TABLE c (x int);")
      do {
        try fixture.ledger().migrate()
        Issue.record("expected a failure")
      } catch ExecutionError.migrationFailed(_, _, let location, _, let transactional, _) {
        #expect(transactional == false)
        #expect(location.line == 3)
      }
      // The first statement committed on its own: that is what "outside" means.
      #expect(try fixture.schemaObjects() == ["table a"])
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.transactional == false)
      do {
        try fixture.ledger().migrate()
        Issue.record("expected the partly applied migration to block")
      } catch let error as PlanError {
        guard case .partlyApplied(let id, _) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(id == "1_own")
        #expect(String(describing: error).contains("partly applied"))
      }
    }
  }

  @Test("a table rebuild with foreign keys on does not cascade-delete child rows")
  func foreignKeyRebuild() throws {
    try withFixture { fixture in
      try fixture.migration(
        "1_schema.sql",
        """
        CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE child (id INTEGER PRIMARY KEY,
          parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE);
        INSERT INTO parent VALUES (1, 'a'), (2, 'b');
        INSERT INTO child VALUES (10, 1), (11, 1), (12, 2);
        """)
      try fixture.migration(
        "2_rebuild_parent.sql",
        """
        -- NOTE: the classic SQLite rebuild: new table, copy, drop, rename.
        CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
        INSERT INTO parent_new SELECT id, coalesce(name, '') FROM parent;
        DROP TABLE parent;
        ALTER TABLE parent_new RENAME TO parent;
        """)
      try fixture.ledger().migrate()
      #expect(try fixture.query("SELECT count(*) FROM child") == ["3"])
      #expect(try fixture.query("PRAGMA foreign_key_check").isEmpty)
    }
  }

  @Test("a migration that leaves foreign-key violations is rolled back and recorded")
  func foreignKeyViolation() throws {
    try withFixture { fixture in
      try fixture.migration(
        "1_schema.sql",
        """
        CREATE TABLE parent (id INTEGER PRIMARY KEY);
        CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
        """)
      try fixture.migration("2_orphan.sql", "INSERT INTO child VALUES (1, 99);")
      do {
        try fixture.ledger().migrate()
        Issue.record("expected a foreign-key failure")
      } catch ExecutionError.foreignKeyViolations(let id, _, let violations, true) {
        #expect(id == "2_orphan")
        #expect(violations == ["child rowid 1 references a missing row in parent"])
      }
      #expect(try fixture.query("SELECT count(*) FROM child") == ["0"])
      #expect(try fixture.ledgerRows().suffix(2) == ["started 2_orphan", "failed 2_orphan"])
    }
  }

  @Test("the bundled migrations apply cleanly and leave a consistent ledger")
  func bundledMigrations() throws {
    try withTemporaryDirectory { directory in
      let database = directory.appendingPathComponent("app.sqlite").path
      let ledger = SchemaMigrator(
        databasePath: database,
        migrationsDirectory: repositoryRoot.appendingPathComponent("migrations").path)
      let report = try ledger.migrate()
      #expect(report.steps.count == 4)
      #expect(report.currentVersion == 4)
      #expect(try ledger.status().entries.allSatisfy { $0.state == .applied })
    }
  }
}
