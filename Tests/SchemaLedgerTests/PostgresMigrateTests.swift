import Foundation
import Synchronization
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// `SchemaMigrator` on PostgreSQL, through the engine seam: the same calls, the same
/// ledger, the same answers as on SQLite. Straight on the server and through PgBouncer in
/// transaction pooling mode.
@Suite(
  "Migrating a PostgreSQL database",
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"))
struct PostgresMigrateTests {
  private func migrator(
    pooled: Bool, folder: URL, configuration: SchemaMigrator.Configuration = .init()
  ) throws -> (SchemaMigrator, PostgresConnection) {
    let server = try PostgresServer.shared.get()
    let conninfo = server.conninfo(database: try server.makeDatabase(), pooled: pooled)
    return (
      SchemaMigrator(
        database: .postgres(url: conninfo), migrations: .directory(folder.path),
        configuration: configuration),
      try PostgresConnection(conninfo: conninfo)
    )
  }

  private func tables(_ connection: PostgresConnection) throws -> [String] {
    try connection.catalogObjects(.notNamed(prefix: "schemaledger_")).filter {
      $0.type == "table"
    }.map(\.name)
  }

  @Test(
    "migrate() applies each migration once, with its events, then has nothing to do",
    arguments: [false, true])
  func applies(pooled: Bool) throws {
    try withTemporaryDirectory { folder in
      try folder.write(
        "migrations/001_users.sql",
        "-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n"
          + "-- migrate:down\nDROP TABLE users;\n")
      try folder.write(
        "migrations/002_orders.sql",
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n"
          + "INSERT INTO users VALUES (1, 'a@example.com');\n")
      let (ledger, connection) = try migrator(
        pooled: pooled, folder: folder.appendingPathComponent("migrations"))
      let report = try ledger.migrate()
      #expect(report.steps.map(\.migration) == ["001_users", "002_orders"])
      #expect(try tables(connection) == ["orders", "users"])
      let events = try ledger.history(HistoryFilter())
      #expect(
        events.map { "\($0.kind.rawValue) \($0.migration ?? "-")" } == [
          "planned 001_users", "planned 002_orders", "started 001_users", "applied 001_users",
          "started 002_orders", "applied 002_orders",
        ])
      #expect(events.last?.schemaFingerprint != nil)
      // Each step ran with a lock_timeout, recorded on its events.
      #expect(
        events.filter { $0.kind == .applied }.allSatisfy { $0.detail == "lock_timeout 5000ms" })
      // Nothing pending: no run, no event; the next start takes the fast path (the
      // recorded startup check), as on SQLite.
      #expect(try ledger.migrate().steps.isEmpty)
      var startupCheck: String?
      try connection.query(
        "SELECT value FROM schemaledger.schemaledger_meta WHERE key = 'startup_check'", []
      ) { startupCheck = $0.text(0) }
      #expect(startupCheck?.hasPrefix("\(events.last!.seq) 2 ") == true)
      #expect(try ledger.migrate().steps.isEmpty)
      #expect(try ledger.history(HistoryFilter()).count == events.count)
      let status = try ledger.status()
      #expect(status.entries.map(\.state) == [.applied, .applied])
      // The chain verifies as on SQLite.
      var chain = ChainVerifier(key: nil)
      for event in events { chain.check(event) }
      #expect(chain.firstBreak == nil)
    }
  }

  @Test("a failing migration is rolled back with its events and recorded as failed")
  func failure() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      try folder.write(
        "migrations/002_bad.sql", "CREATE TABLE b (x int);\nINSERT INTO nope VALUES (1);\n")
      let (ledger, connection) = try migrator(
        pooled: true, folder: folder.appendingPathComponent("migrations"))
      do {
        try ledger.migrate()
        Issue.record("expected a failure")
      } catch ExecutionError.migrationFailed(let id, .up, let location, let underlying, true, _) {
        #expect(id == "002_bad")
        #expect(location.line == 2)
        #expect(underlying.codeName == "SQLSTATE 42P01")
        #expect(!underlying.isDatabaseFailure)
      }
      #expect(try tables(connection) == ["a"])
      let failed = try #require(try ledger.history(HistoryFilter()).last)
      #expect(failed.kind == .failed && failed.migration == "002_bad")
      #expect(failed.error?.contains("002_bad.sql:2") == true)
      #expect(failed.error?.contains("SQLSTATE 42P01") == true)
    }
  }

  @Test("CREATE INDEX CONCURRENTLY runs outside a transaction by itself; a PL/pgSQL body does not")
  func outsideTransaction() throws {
    try withTemporaryDirectory { folder in
      try folder.write(
        "migrations/001_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
          + "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
          + "BEGIN\n  NEW.email := lower(NEW.email);\n  RETURN NEW;\nEND;\n$$;\n")
      try folder.write(
        "migrations/002_index.sql",
        "-- migrate:up\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n"
          + "-- migrate:down\nDROP INDEX CONCURRENTLY users_email;\n")
      let (ledger, connection) = try migrator(
        pooled: true, folder: folder.appendingPathComponent("migrations"))
      try ledger.migrate()
      let applied = try ledger.history(HistoryFilter()).filter { $0.kind == .applied }
      #expect(applied.map(\.transactional) == [true, false])
      #expect(applied[1].detail?.contains("CONCURRENTLY cannot run inside a transaction") == true)
      let indexes = try connection.catalogObjects(.notNamed(prefix: "schemaledger_"))
        .filter { $0.type == "index" }.map(\.name)
      #expect(indexes.contains("users_email"))
    }
  }

  @Test("outside a transaction, the statements before a failure stay done, and it says where")
  func partlyApplied() throws {
    try withTemporaryDirectory { folder in
      try folder.write(
        "migrations/001_two.sql",
        "-- migrate:up transaction:false\nCREATE TABLE a (x int);\n\nINSERT INTO nope VALUES (1);\n"
      )
      let (ledger, connection) = try migrator(
        pooled: false, folder: folder.appendingPathComponent("migrations"))
      do {
        try ledger.migrate()
        Issue.record("expected a failure")
      } catch ExecutionError.migrationFailed(_, _, let location, _, let transactional, _) {
        #expect(!transactional)
        #expect(location.line == 4)
      }
      #expect(try tables(connection) == ["a"])
      let failed = try #require(try ledger.history(HistoryFilter()).last)
      #expect(failed.detail == "ran outside a transaction; may be partly done")
    }
  }

  @Test(
    "rehearsal runs the plan in a transaction rolled back, then the real run",
    arguments: [false, true])
  func rehearsal(pooled: Bool) throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      try folder.write("migrations/002_b.sql", "CREATE TABLE b (x int);")
      let (ledger, connection) = try migrator(
        pooled: pooled, folder: folder.appendingPathComponent("migrations"))
      let report = try ledger.migrate(rehearse: true)
      #expect(report.rehearsed)
      #expect(try tables(connection) == ["a", "b"])
      let events = try ledger.history(HistoryFilter())
      #expect(events.first?.kind == .rehearsed)
      #expect(events.first?.detail?.hasPrefix("passed: apply of 001_a, 002_b") == true)
      #expect(events.filter { $0.kind == .applied }.count == 2)
    }
  }

  @Test("a failing rehearsal changes nothing but its verdict")
  func failedRehearsal() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      try folder.write("migrations/002_bad.sql", "INSERT INTO nope VALUES (1);")
      let (ledger, connection) = try migrator(
        pooled: true, folder: folder.appendingPathComponent("migrations"))
      #expect(throws: ExecutionError.self) { try ledger.migrate(rehearse: true) }
      #expect(try tables(connection).isEmpty)
      let events = try ledger.history(HistoryFilter())
      #expect(events.map(\.kind) == [.rehearsed])
      #expect(events[0].detail?.hasPrefix("failed at 002_bad") == true)
    }
  }

  @Test("a step outside a transaction cannot be rehearsed: said before anything runs")
  func rehearsalOutsideTransaction() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      try folder.write(
        "migrations/002_index.sql", "CREATE INDEX CONCURRENTLY a_x ON a (x);")
      let (ledger, connection) = try migrator(
        pooled: false, folder: folder.appendingPathComponent("migrations"))
      #expect {
        try ledger.migrate(rehearse: true)
      } throws: { error in
        String(describing: error).contains("runs outside a transaction")
      }
      #expect(try tables(connection).isEmpty)
    }
  }

  @Test(
    "a step waiting on an application's lock fails after lock_timeout, naming the holder",
    arguments: [false, true])
  func lockTimeout(withProgress: Bool) throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      try folder.write("migrations/002_alter.sql", "ALTER TABLE a ADD COLUMN y int;")
      let server = try PostgresServer.shared.get()
      let conninfo = server.conninfo(database: try server.makeDatabase())
      let migrations = folder.appendingPathComponent("migrations").path
      // With a progress handler the step's SQL runs with heartbeats (the tool's case).
      var configuration = SchemaMigrator.Configuration()
      if withProgress { configuration.progress = { _ in } }
      let ledger = SchemaMigrator(
        database: .postgres(url: conninfo, lockTimeout: 0.3),
        migrations: .directory(migrations), configuration: configuration)
      try ledger.migrate(to: MigrationVersion("1"))
      // The application reads the table in a transaction it keeps open.
      let application = try PostgresConnection(conninfo: conninfo)
      try application.execute("BEGIN")
      try application.query("SELECT count(*) FROM a", []) { _ in }
      do {
        try ledger.migrate()
        Issue.record("expected the step to time out")
      } catch ExecutionError.stepDatabaseFailed(let id, _, true, let recorded, let underlying) {
        #expect(id == "002_alter")
        #expect(recorded)
        #expect(underlying.codeName == "SQLSTATE 55P03")
        let message = String(describing: underlying)
        #expect(message.contains("waited longer than its lock_timeout"))
        #expect(message.contains("idle in transaction"))
        #expect(message.contains("SELECT count(*) FROM a"))
      }
      let failed = try #require(try ledger.history(HistoryFilter()).last)
      #expect(failed.kind == .failed && failed.detail == "database error")
      // Once the application's transaction ends, the step runs.
      try application.execute("ROLLBACK")
      #expect(try ledger.migrate().steps.map(\.migration) == ["002_alter"])
    }
  }

  @Test(
    "rollback runs the recorded down SQL, rehearsed first; an irreversible one is refused",
    arguments: [false, true])
  func rollback(pooled: Bool) throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);\n")
      try folder.write(
        "migrations/002_b.sql",
        "-- migrate:up\nCREATE TABLE b (x int);\n-- migrate:down\nDROP TABLE b;\n")
      try folder.write(
        "migrations/003_c.sql",
        "-- migrate:up\nCREATE TABLE c (x int);\n-- migrate:down\nDROP TABLE c;\n")
      let (ledger, connection) = try migrator(
        pooled: pooled, folder: folder.appendingPathComponent("migrations"))
      try ledger.migrate()
      let report = try ledger.rollback(.toVersion(MigrationVersion("1")!))
      #expect(report.rehearsed)
      #expect(report.steps.map(\.migration) == ["003_c", "002_b"])
      #expect(try tables(connection) == ["a"])
      #expect(try ledger.status().entries.map(\.state) == [.applied, .pending, .pending])
      #expect(throws: PlanError.self) { try ledger.rollback(.all) }
      #expect(try tables(connection) == ["a"])
    }
  }

  @Test("a migration may read the ledger into the application's own tables")
  func readsLedger() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      try folder.write(
        "migrations/002_deploys.sql",
        "CREATE TABLE deploys AS SELECT run_id, count(*) AS events\n"
          + "FROM schemaledger.schemaledger_events GROUP BY run_id;\n")
      let (ledger, connection) = try migrator(
        pooled: false, folder: folder.appendingPathComponent("migrations"))
      #expect(try ledger.migrate().steps.count == 2)
      #expect(try tables(connection) == ["a", "deploys"])
    }
  }

  @Test(
    "a migration that would change the ledger is refused before it runs",
    arguments: [
      "DROP SCHEMA schemaledger CASCADE;",
      "DELETE FROM schemaledger.schemaledger_events;",
      "ALTER TABLE \"schemaledger\".schemaledger_meta ADD COLUMN x int;",
      "DROP FUNCTION schemaledger.schemaledger_refuse_change() CASCADE;",
      // EXPLAIN ANALYZE runs the statement it explains.
      "EXPLAIN ANALYZE INSERT INTO schemaledger.schemaledger_meta VALUES ('k', 'v');",
      "EXPLAIN (ANALYZE, COSTS off) DELETE FROM schemaledger.schemaledger_sql;",
    ])
  func ledgerProtected(statement: String) throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      try folder.write("migrations/002_evil.sql", "CREATE TABLE b (x int);\n\(statement)\n")
      let (ledger, connection) = try migrator(
        pooled: true, folder: folder.appendingPathComponent("migrations"))
      do {
        try ledger.migrate()
        Issue.record("expected a refusal")
      } catch ExecutionError.migrationFailed(let id, _, let location, let underlying, _, _) {
        #expect(id == "002_evil")
        #expect(location.line == 2)
        #expect(String(describing: underlying).contains("refused before it ran"))
      }
      // Nothing of 002 ran, and the ledger is whole.
      #expect(try tables(connection) == ["a"])
      let events = try ledger.history(HistoryFilter())
      #expect(events.last?.kind == .failed)
      var chain = ChainVerifier(key: nil)
      for event in events { chain.check(event) }
      #expect(chain.firstBreak == nil)
      // Reading the ledger is allowed.
      for read in [
        "SELECT count(*) FROM schemaledger.schemaledger_events",
        "EXPLAIN SELECT * FROM schemaledger.schemaledger_events",
      ] {
        #expect(
          PostgresStatement.protectedName(
            in: read, schema: "schemaledger", prefix: "schemaledger_") == nil)
      }
    }
  }

  @Test("a server that accepts no writes is refused in its own words; reading still works")
  func readOnlyServer() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      let server = try PostgresServer.shared.get()
      let database = try server.makeDatabase()
      let admin = try PostgresConnection(conninfo: server.conninfo(database: "postgres"))
      try admin.execute("ALTER DATABASE \(database) SET default_transaction_read_only = on")
      let ledger = SchemaMigrator(
        database: .postgres(url: server.conninfo(database: database)),
        migrations: .directory(folder.appendingPathComponent("migrations").path))
      #expect {
        try ledger.migrate()
      } throws: { error in
        guard case ExecutionError.database(let underlying) = error else { return false }
        guard case .readOnly = underlying as? PostgresError else { return false }
        return String(describing: error).contains("accepts no writes")
      }
      #expect(try ledger.status().entries.map(\.state) == [.pending])
    }
  }

  @Test("a long step sends heartbeats; a stop cancels it on the server and is recorded")
  func heartbeatAndStop() throws {
    try withTemporaryDirectory { folder in
      try folder.write(
        "migrations/001_slow.sql", "CREATE TABLE a (x int);\nSELECT pg_sleep(0.6);\n")
      try folder.write("migrations/002_stuck.sql", "SELECT pg_sleep(60);")
      let beats = Mutex<[Int]>([])
      let cancellation = MigrationCancellation()
      var configuration = SchemaMigrator.Configuration()
      configuration.heartbeatInterval = 0.1
      configuration.cancellation = cancellation
      configuration.progress = { event in
        guard case .stepStillRunning(let step, let beat) = event else { return }
        beats.withLock { $0.append(beat.statementsDone) }
        // The second step would run for a minute: stop it at its first beat.
        if step.migration == "002_stuck" { cancellation.cancel(reason: "SIGTERM") }
      }
      let (ledger, connection) = try migrator(
        pooled: true, folder: folder.appendingPathComponent("migrations"),
        configuration: configuration)
      let start = Date()
      #expect(throws: ExecutionError.self) { try ledger.migrate() }
      #expect(Date().timeIntervalSince(start) < 30)
      #expect(beats.withLock { $0.count } >= 3)
      #expect(try tables(connection) == ["a"])
      let last = try #require(try ledger.history(HistoryFilter()).last)
      #expect(last.kind == .failed && last.migration == "002_stuck")
      #expect(last.detail == "stopped by the operator")
    }
  }
}
