import Foundation
import Testing

@testable import SchemaLedger

@Suite("Ordering and the real world")
struct OrderingTests {
  @Test("dependencies order the plan; ties by version")
  func dependencyOrder() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "-- depends: 003_c\nCREATE TABLE b (x);")
      try fixture.migration("003_c.sql", "CREATE TABLE c (x);")
      try fixture.migration("004_d.sql", "-- depends: 2\nCREATE TABLE d (x);")
      let plan = try fixture.ledger().plan().plan
      #expect(plan.steps.map(\.id) == ["001_a", "003_c", "002_b", "004_d"])
      #expect(plan.steps[3].dependencies == ["002_b"])  // resolved from the version
      try fixture.ledger().migrate()
      let planned = try fixture.events().filter { $0.kind == .applied }
      #expect(planned.map(\.migration) == ["001_a", "003_c", "002_b", "004_d"])
      #expect(planned[2].dependsOn == ["003_c"])
    }
  }

  @Test("--to includes what the chosen migrations depend on")
  func targetIncludesDependencies() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "-- depends: 003_c\nCREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.migration("003_c.sql", "CREATE TABLE c (x);")
      let report = try fixture.ledger().migrate(to: 1)
      #expect(report.steps.map(\.migration) == ["003_c", "001_a"])
    }
  }

  @Test("an unknown dependency names the file and the missing id; nothing is applied")
  func unknownDependency() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "-- depends: 009_nope\nCREATE TABLE a (x);")
      do {
        try fixture.ledger().migrate()
        Issue.record("an unknown dependency was accepted")
      } catch let error as MigrationSourceError {
        guard case .unknownDependency(let file, "001_a", "009_nope") = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(file.hasSuffix("001_a.sql"))
        #expect(String(describing: error).contains("fix the '-- depends:' line"))
      }
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("a cycle is named in full; nothing is applied")
  func cycle() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "-- depends: 003_c\nCREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "-- depends: 001_a\nCREATE TABLE b (x);")
      try fixture.migration("003_c.sql", "-- depends: 002_b\nCREATE TABLE c (x);")
      do {
        try fixture.ledger().migrate()
        Issue.record("a cycle was accepted")
      } catch MigrationSourceError.dependencyCycle(_, let cycle) {
        #expect(cycle == ["001_a", "003_c", "002_b", "001_a"])
      }
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("rollback takes dependents first, and --to includes migrations that depend on it")
  func rollbackDependents() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "DROP TABLE a;"))
      try fixture.migration(
        "002_b.sql", Fixture.dbmate(up: "CREATE TABLE b (x);", down: "DROP TABLE b;"))
      try fixture.migration(
        "003_c.sql",
        Fixture.dbmate(up: "-- depends: 002_b\nCREATE TABLE c (x);", down: "DROP TABLE c;"))
      try fixture.ledger().migrate(to: 1)
      // 003 then 002 out of order is not possible here; apply all, then add a late one.
      try fixture.ledger().migrate()
      let plan = try fixture.ledger().rollbackPlan(.migrations(["002_b"]))
      #expect(plan.steps.map(\.migration) == ["003_c", "002_b"])
      let report = try fixture.ledger().rollback(.toVersion(1))
      #expect(report.steps.map(\.migration) == ["003_c", "002_b"])
    }
  }

  @Test("a migration merged late is refused by default, then applied and recorded with the flag")
  func outOfOrder() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("003_c.sql", "CREATE TABLE c (x);")
      try fixture.ledger().migrate()
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      #expect(throws: PlanError.outOfOrder(migrations: ["002_b"], newestApplied: "003_c")) {
        try fixture.ledger().migrate()
      }
      let status = try fixture.ledger().status()
      #expect(status.entries.first { $0.id == "002_b" }?.isOutOfOrder == true)
      let report = try fixture.ledger { $0.allowOutOfOrder = true }.migrate()
      #expect(report.steps.map(\.migration) == ["002_b"])
      let applied = try #require(try fixture.events().last)
      #expect(applied.detail == "out of order: applied after 003_c")
      let cli = try ToolProcess.run(
        ["status", "-d", fixture.databasePath, "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(cli.stdout.contains("applied"))
    }
  }

  @Test("baseline records without running; apply then runs only what is newer")
  func baseline() throws {
    try withFixture { fixture in
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("CREATE TABLE a (x)")
      try connection.execute("CREATE TABLE b (x)")
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.migration("003_c.sql", "CREATE TABLE c (x);")
      #expect(throws: PlanError.reasonRequired(action: "baseline")) {
        try fixture.ledger().baseline(to: 2, reason: " ")
      }
      let events = try fixture.ledger().baseline(to: 2, reason: "adopting the legacy db, OPS-12")
      #expect(events.map(\.kind) == [.baselined, .baselined])
      #expect(events.first?.detail == "baseline: adopting the legacy db, OPS-12")
      #expect(events.first?.actor == LedgerActor.current())
      let report = try fixture.ledger().migrate()
      #expect(report.steps.map(\.migration) == ["003_c"])
      #expect(try fixture.ledger().verify().isClean)
    }
  }

  @Test("import from dbmate and goose records their history with the original times")
  func importHistory() throws {
    try withFixture { fixture in
      try fixture.migration("20240101000000_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("20240102000000_b.sql", "CREATE TABLE b (x);")
      try fixture.migration("20240103000000_c.sql", "CREATE TABLE c (x);")
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("CREATE TABLE a (x)")
      try connection.execute("CREATE TABLE b (x)")
      try connection.execute(
        "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (version varchar(128) primary key)")
      try connection.execute(
        "INSERT INTO schema_migrations (version) VALUES ('20240101000000'), ('20240102000000')")
      let result = try ToolProcess.run(
        [
          "import", "--from", "dbmate", "--reason", "switching from dbmate", "-d",
          fixture.databasePath, "-m", fixture.migrations.path,
        ],
        in: fixture.directory)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("Imported 2 migrations from dbmate"))
      let imported = try fixture.events().filter { $0.kind == .imported }
      #expect(imported.map(\.migration) == ["20240101000000_a", "20240102000000_b"])
      #expect(imported.first?.detail?.contains("switching from dbmate") == true)
      #expect(try fixture.query("SELECT count(*) FROM schema_migrations") == ["2"])
      let again = try fixture.ledger().importHistory(from: .dbmate)
      #expect(again.isEmpty)
      #expect(try fixture.ledger().migrate().steps.map(\.migration) == ["20240103000000_c"])
    }
  }

  @Test("import refuses history entries the folder does not have")
  func importUnmatched() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute("CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
      try connection.execute("INSERT INTO grdb_migrations VALUES ('a'), ('v2-add-index')")
      #expect(throws: PlanError.unmatchedImport(tool: "grdb", entries: ["v2-add-index"])) {
        try fixture.ledger().importHistory(from: .grdb)
      }
      #expect(
        try fixture.query("SELECT count(*) FROM sqlite_master WHERE name LIKE 'schemaledger%'")
          == ["0"])
    }
  }

  @Test("resolve settles a partly applied migration, and apply continues")
  func resolve() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql",
        "-- migrate:up transaction:false\nCREATE TABLE a (x);\nCREATE TABEL b (x);\n"
          + "-- migrate:down\nDROP TABLE b;\nDROP TABLE a;\n")
      try fixture.migration(
        "002_c.sql", Fixture.dbmate(up: "CREATE TABLE c (x);", down: "DROP TABLE c;"))
      #expect(throws: ExecutionError.self) { try fixture.ledger().migrate() }
      #expect(throws: PlanError.self) { try fixture.ledger().migrate() }
      // The operator finishes it by hand, then records that.
      try SQLiteConnection(path: fixture.databasePath).execute("CREATE TABLE b (x)")
      let arguments = [
        "resolve", "001_a", "--as", "applied", "--reason", "created b by hand, INC-7",
        "-d", fixture.databasePath, "-m", fixture.migrations.path,
      ]
      let result = try ToolProcess.run(arguments, in: fixture.directory)
      #expect(result.status == 0, "\(result.stderr)")
      let resolved = try #require(try fixture.events().last)
      #expect(resolved.kind == .resolved && resolved.direction == .up)
      #expect(resolved.detail == "resolved as applied: created b by hand, INC-7")
      #expect(try fixture.ledger().migrate().steps.map(\.migration) == ["002_c"])
      #expect(throws: PlanError.nothingToResolve(migration: "001_a")) {
        try fixture.ledger().resolve("001_a", as: .applied, reason: "again")
      }
      let report = try fixture.ledger().verify()
      #expect(report.isClean, "\(report.problems)")
      #expect(
        try fixture.query("SELECT status FROM schemaledger_state ORDER BY migration")
          == ["applied", "applied"])
      // It is reversible with the down section recorded at resolution.
      try fixture.ledger().rollback(.all)
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("resolve as rolled back after the operator undid it; apply runs it again")
  func resolveRolledBack() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", "-- migrate:up transaction:false\nCREATE TABLE a (x);\nCREATE TABEL b (x);\n")
      #expect(throws: ExecutionError.self) { try fixture.ledger().migrate() }
      try SQLiteConnection(path: fixture.databasePath).execute("DROP TABLE a")
      try fixture.ledger().resolve("1", as: .rolledBack, reason: "dropped a by hand")
      try fixture.migration("001_a.sql", "-- migrate:up transaction:false\nCREATE TABLE a (x);\n")
      #expect(try fixture.ledger().migrate().steps.map(\.migration) == ["001_a"])
    }
  }

  @Test("accept records an intentional edit; --with-down changes what rollback runs")
  func accept() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "SELECT 1;"))
      try fixture.ledger().migrate()
      try fixture.migration(
        "001_a.sql",
        Fixture.dbmate(up: "-- creates a\nCREATE TABLE a (x);", down: "DROP TABLE a;"))
      #expect(throws: PlanError.self) { try fixture.ledger().migrate() }
      let status = try fixture.ledger { $0.fastStartupCheck = false }.status()
      #expect(status.entries.first?.downSectionEdited == true)
      #expect(
        try fixture.ledger().verify().problems.contains(
          .editedDownSection(
            migration: "001_a", file: fixture.migrations.appendingPathComponent("001_a.sql").path)))
      #expect(throws: PlanError.reasonRequired(action: "accept")) {
        try fixture.ledger().accept("001_a", reason: "")
      }
      let events = try fixture.ledger().accept(
        "001_a", reason: "comment added; down fixed", includingDown: true)
      #expect(events.map(\.kind) == [.accepted])
      #expect(try fixture.ledger().migrate().steps.isEmpty)
      #expect(try fixture.ledger().verify().isClean)
      #expect(throws: PlanError.nothingToAccept(migration: "001_a")) {
        try fixture.ledger().accept("001_a", reason: "again", includingDown: true)
      }
      try fixture.ledger().rollback(.all)
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("a long data migration reports that it is alive")
  func heartbeat() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_big.sql",
        """
        CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000)
        INSERT INTO big (v) SELECT printf('row-%d', x) FROM c;
        UPDATE big SET v = upper(v);
        UPDATE big SET v = lower(v);
        """)
      let received = Received()
      try fixture.ledger {
        $0.heartbeatInterval = 0.01
        $0.progress = { received.append($0) }
      }.migrate()
      let beats = received.events.compactMap { progress -> ScriptHeartbeat.Beat? in
        if case .stepStillRunning(_, let beat) = progress { return beat }
        return nil
      }
      #expect(!beats.isEmpty)
      #expect(beats.map(\.elapsedSeconds) == beats.map(\.elapsedSeconds).sorted())
      #expect(beats.last.map { $0.rowsChanged >= 300000 || $0.statementsDone < 2 } == true)
    }
  }
}
