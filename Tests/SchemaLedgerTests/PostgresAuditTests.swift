import Foundation
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// What the ledger answers afterwards, on PostgreSQL: the schema replayed at any point in
/// a scratch database, `verify`'s chain, triggers and drift. Serialized: the tests look
/// for scratch databases left on the server, and no other suite makes any.
@Suite(
  "Auditing a PostgreSQL ledger", .serialized,
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"),
  .timeLimit(.minutes(2)))
struct PostgresAuditTests {
  /// The scratch databases on the server now.
  private func scratchDatabases(_ connection: PostgresConnection) throws -> [String] {
    var names: [String] = []
    try connection.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'schemaledger\\_scratch\\_%'", []
    ) { names.append($0.text(0) ?? "") }
    return names
  }

  @Test(
    "replay equals the state and schema seen at every point of a generated history",
    arguments: [TestEngine.postgres, .pgbouncer])
  func replayEveryPoint(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      let steps = [
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);",
        "CREATE INDEX users_email ON users (lower(email));",
        "CREATE VIEW active AS SELECT id FROM users WHERE email <> '';",
        "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();",
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);",
      ]
      let downs = [
        "DROP TABLE users CASCADE;", "DROP INDEX users_email;", "DROP VIEW active;",
        "ALTER TABLE users DROP COLUMN created_at;", "DROP TABLE orders;",
      ]
      var observed: [(seq: Int64, schema: SchemaSnapshot, state: LedgerState)] = []
      func observe() throws {
        let seq = try #require(try fixture.events().last?.seq)
        observed.append(
          (seq, try fixture.ledger().liveSchema(), try fixture.ledger().ledgerState()))
      }
      for (index, up) in steps.enumerated() {
        try fixture.migration(
          "00\(index + 1)_step.sql", Fixture.dbmate(up: up, down: downs[index]))
      }
      // A random walk of applies and rollbacks (seeded: the same walk every run), then a
      // failed attempt.
      var generator = SeededGenerator(seed: engine == .postgres ? 7 : 11)
      for _ in 0..<10 {
        let current = Int(
          try fixture.ledger().status().entries.filter { $0.state == .applied }.count)
        if current > 0, Bool.random(using: &generator) {
          try fixture.ledger().rollback(
            .steps(Int.random(in: 1...current, using: &generator)), rehearse: false)
        } else if current < steps.count {
          try fixture.ledger().migrate(
            to: MigrationVersion(
              Int64.random(in: Int64(current + 1)...Int64(steps.count), using: &generator)))
        } else {
          continue
        }
        try observe()
      }
      try fixture.ledger().migrate()
      try observe()
      try fixture.migration("006_bad.sql", "CREATE TABLE bad (x int);\nSELECT * FROM nope;\n")
      #expect(throws: (any Error).self) { try fixture.ledger().migrate() }
      try observe()
      #expect(observed.count >= 8)
      #expect(try fixture.events().contains { $0.kind == .rolledBack })
      for (seq, schema, state) in observed {
        let replayed = try fixture.ledger().replay(at: .seq(seq), schema: true)
        #expect(replayed.schema == schema, "after event #\(seq)")
        #expect(replayed.state == state, "after event #\(seq)")
      }
      #expect(observed.last?.schema.objects.map(\.name).contains("orders") == true)
      #expect(try scratchDatabases(fixture.postgresConnection()).isEmpty)
    }
  }

  @Test("the canonical schema covers extensions, types, sequences, functions and more")
  func canonicalSchema() throws {
    try withFixture(on: .postgres) { fixture in
      try fixture.migration(
        "001_everything.sql",
        """
        CREATE EXTENSION citext;
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN positive AS integer NOT NULL CHECK (VALUE > 0);
        CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 5;
        CREATE SCHEMA billing;
        CREATE TABLE billing.accounts (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          email citext NOT NULL UNIQUE,
          name text COLLATE "C",
          feeling mood DEFAULT 'ok',
          amount positive,
          doubled integer GENERATED ALWAYS AS (amount * 2) STORED
        );
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RETURN NEW;
        END
        $$;
        CREATE TRIGGER accounts_touch BEFORE UPDATE ON billing.accounts
          FOR EACH ROW EXECUTE FUNCTION touch();
        CREATE MATERIALIZED VIEW happy AS SELECT id FROM billing.accounts WHERE feeling = 'happy';
        CREATE INDEX accounts_name ON billing.accounts (name);
        """)
      try fixture.ledger().migrate()
      let live = try fixture.ledger().liveSchema()
      let kinds = live.objects.map { "\($0.type) \($0.name)" }
      #expect(
        kinds == [
          "extension citext", "type mood", "type positive", "sequence invoice_numbers",
          "function touch()", "table billing.accounts", "index billing.accounts_name",
          "view happy", "trigger billing.accounts_touch",
        ])
      let ddl = live.ddl
      for fragment in [
        "CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE DOMAIN public.positive AS integer NOT NULL",
        "CREATE SEQUENCE public.invoice_numbers AS bigint INCREMENT BY 5",
        "START WITH 1000",
        "id bigint GENERATED ALWAYS AS IDENTITY NOT NULL",
        "name text COLLATE \"C\"",
        "doubled integer GENERATED ALWAYS AS (((amount)::integer * 2)) STORED",
        "CREATE MATERIALIZED VIEW public.happy AS SELECT accounts.id FROM billing.accounts "
          + "WHERE (accounts.feeling = 'happy'::mood);",
      ] {
        #expect(ddl.contains(fragment), "\(fragment)\n\(ddl)")
      }
      // The identity column's own sequence and the unique constraint's index are parts of
      // the table, not objects of their own; the extension's functions are its own.
      #expect(!ddl.contains("accounts_id_seq"))
      #expect(!kinds.contains("index billing.accounts_email_key"))
      #expect(!ddl.contains("citext_eq"))
      // Stable: read again on another connection; equal to the replayed schema.
      #expect(try fixture.ledger().liveSchema() == live)
      #expect(try fixture.ledger().replay(schema: true).schema == live)
      #expect(try fixture.ledger().verify().isClean)
      // A change by hand to a type is drift, named.
      try fixture.postgresConnection().execute("ALTER TYPE mood ADD VALUE 'ecstatic'")
      let drift = try fixture.ledger().verify().problems.compactMap { problem -> [String]? in
        guard case .schemaDrift(let differences, _, _, _, _) = problem else { return nil }
        return differences.map(\.description)
      }.first
      #expect(drift?.first?.hasPrefix("changed type mood") == true, "\(String(describing: drift))")
    }
  }

  @Test("history filters, replay --at, export and verify --export, the auditors' views")
  func auditCommands() throws {
    try withFixture(on: .pgbouncer) { fixture in
      try fixture.migration(
        "001_a.sql", "-- migrate:up\nCREATE TABLE a (x int);\n-- migrate:down\nDROP TABLE a;\n")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x int);")
      try fixture.migration("003_bad.sql", "CREATE TABLE c (x int);\nSELECT * FROM nope;\n")
      #expect(try fixture.cli(["apply"]).status != 0)
      let events = try fixture.events()
      let firstApplied = try #require(events.first { $0.kind == .applied })

      let applied = try fixture.cli(["history", "--kind", "applied", "--json"])
      #expect(applied.status == 0, "\(applied.stderr)")
      #expect(applied.stdout.contains("\"001_a\"") && applied.stdout.contains("\"002_b\""))
      #expect(!applied.stdout.contains("\"planned\""))
      let one = try fixture.cli([
        "history", "--migration", "003_bad", "--kind", "failed", "--json",
      ])
      #expect(one.stdout.contains("003_bad.sql:2:"), "\(one.stdout)")
      let limited = try fixture.cli(["history", "--limit", "1", "--jsonl"])
      #expect(limited.stdout.split(separator: "\n").count == 1)
      let run = try fixture.cli(["history", "--run", firstApplied.runID, "--jsonl"])
      #expect(run.stdout.split(separator: "\n").count == events.count)

      // replay at the first applied event: 001_a applied, 002_b not yet.
      let then = try fixture.cli(["replay", "--at", "\(firstApplied.seq)", "--json"])
      #expect(then.status == 0, "\(then.stderr)")
      #expect(then.stdout.contains("001_a"))
      let byTime = try fixture.cli(["replay", "--at", firstApplied.recordedAt, "--schema"])
      #expect(byTime.stdout.contains("CREATE TABLE public.a"), "\(byTime.stdout)")
      #expect(!byTime.stdout.contains("CREATE TABLE public.b"))

      // An export verifies on its own, with the same hashes as the database's.
      let export = try fixture.cli(["export"])
      #expect(export.status == 0)
      let file = fixture.directory.appendingPathComponent("ledger.jsonl")
      try export.stdout.write(to: file, atomically: true, encoding: .utf8)
      let checked = try ToolProcess.run(["verify", "--export", file.path], in: fixture.directory)
      #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
      #expect(checked.stdout.contains("\(events.count) events checked"))

      // The auditors' views, read with plain SQL.
      let state = try fixture.query(
        "SELECT migration || ' ' || status FROM schemaledger.schemaledger_state")
      #expect(state == ["001_a applied", "002_b applied", "003_bad failed"])
      let history = try fixture.query(
        "SELECT kind FROM schemaledger.schemaledger_history WHERE migration = '002_b'")
      #expect(history == ["planned", "started", "applied"])
      let sql = try fixture.query(
        "SELECT sql FROM schemaledger.schemaledger_events_with_sql WHERE seq = \(firstApplied.seq)")
      #expect(sql == [firstApplied.sql ?? ""])
    }
  }

  @Test("baseline, accept and resolve record the operator's decisions on PostgreSQL")
  func operatorRecords() throws {
    try withFixture(on: .postgres) { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x int);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x int);")
      try fixture.migration(
        "003_c.sql",
        "-- migrate:up transaction:false\nCREATE TABLE c (x int);\nSELECT * FROM nope;\n")
      // The database already has 001 and 002, made before SchemaLedger.
      try fixture.postgresConnection().executeScript(
        "CREATE TABLE a (x int); CREATE TABLE b (x int);")
      let baseline = try fixture.cli(["baseline", "--to", "2", "--reason", "adopted"])
      #expect(baseline.status == 0, "\(baseline.stderr)")
      #expect(try fixture.cli(["apply"]).status != 0)  // 003 fails half-way
      let resolve = try fixture.cli(
        ["resolve", "003_c", "--as", "rolled-back", "--reason", "dropped c by hand"])
      // The table c stays (outside a transaction): the operator says what happened.
      #expect(resolve.status == 0, "\(resolve.stderr)")
      try fixture.migration("001_a.sql", "-- the first table\nCREATE TABLE a (x int);")
      let accept = try fixture.cli(["accept", "001_a", "--reason", "comment added"])
      #expect(accept.status == 0, "\(accept.stderr)")
      let kinds = try fixture.events().map(\.kind)
      #expect(kinds.filter { $0 == .baselined }.count == 2)
      #expect(kinds.contains(.resolved) && kinds.contains(.accepted))
      let status = try fixture.ledger().status()
      #expect(status.entries.map(\.state).prefix(2) == [.applied, .applied])
    }
  }

  @Test("verify: drift made by hand is found and dated; a dropped trigger names its restore")
  func driftAndTriggers() throws {
    try withFixture(on: .postgres) { fixture in
      try fixture.migration(
        "001_users.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n"
          + "CREATE INDEX users_email ON users (email);")
      try fixture.ledger().migrate()
      #expect(try fixture.ledger().verify().isClean)
      let recorded = try #require(try fixture.events().last)
      let admin = try fixture.postgresConnection()
      try admin.executeScript(
        "ALTER TABLE users ADD COLUMN nickname text; DROP INDEX users_email;"
          + "DROP TRIGGER schemaledger_events_no_delete ON schemaledger.schemaledger_events;")
      let report = try fixture.ledger().verify()
      let drift = try #require(
        report.problems.compactMap { problem -> [String]? in
          guard case .schemaDrift(let differences, _, _, let seq, _) = problem else {
            return nil
          }
          #expect(seq == recorded.seq)
          return differences.map(\.description)
        }.first)
      #expect(drift.contains("missing index users_email"))
      #expect(drift.contains { $0.hasPrefix("changed table users") && $0.contains("nickname") })
      let restore = try #require(
        report.problems.compactMap { problem -> String? in
          guard case .missingTrigger("schemaledger_events_no_delete", let restore) = problem
          else { return nil }
          return restore
        }.first)
      #expect(restore.hasPrefix("CREATE OR REPLACE TRIGGER schemaledger_events_no_delete"))
      // The statement the message gives puts the guard back.
      try admin.executeScript(restore)
      #expect(
        !(try fixture.ledger().verify().problems.contains {
          if case .missingTrigger = $0 { true } else { false }
        }))
    }
  }

  @Test("verify: an event changed with the triggers dropped breaks the chain at its seq")
  func tampering() throws {
    try withFixture(on: .postgres) { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x int);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x int);")
      try fixture.ledger().migrate()
      let target = try #require(try fixture.events().first { $0.kind == .applied })
      try fixture.postgresConnection().executeScript(
        """
        DROP TRIGGER schemaledger_events_no_update ON schemaledger.schemaledger_events;
        UPDATE schemaledger.schemaledger_events SET actor_user = 'someone-else'
          WHERE seq = \(target.seq);
        """)
      let report = try fixture.ledger().verify()
      let broken = report.problems.compactMap { problem -> Int64? in
        if case .brokenChain(let found) = problem { return found.seq }
        return nil
      }
      #expect(broken == [target.seq])
      let cli = try fixture.cli(["verify"])
      #expect(cli.status != 0)
      #expect(
        cli.stdout.contains("event #\(target.seq)") || cli.stderr.contains("event #\(target.seq)"))
    }
  }

  /// Applies a migration that is fast when applied and, replayed in a scratch database
  /// while the returned gate role exists (a role is seen from every database of the
  /// server), sleeps until stopped; creates the gate, and starts `replay --schema`.
  private func startSleepingReplay(_ fixture: Fixture) throws
    -> (admin: PostgresConnection, gate: String, replay: ToolProcess.Running)
  {
    let gate = "gate_" + UUID().uuidString.prefix(8).lowercased()
    try fixture.migration(
      "001_a.sql",
      "CREATE TABLE a (x int);\nSELECT pg_sleep(CASE WHEN current_database() LIKE "
        + "'schemaledger\\_scratch\\_%' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname "
        + "= '\(gate)') THEN 600 ELSE 0 END);\n")
    try fixture.ledger().migrate()
    let admin = try fixture.postgresConnection()
    try admin.execute("CREATE ROLE \(gate)")
    let replay = try ToolProcess.start(
      ["replay", "--schema", "--url", try #require(fixture.url), "-m", fixture.migrations.path],
      in: fixture.directory)
    return (admin, gate, replay)
  }

  @Test("a killed replay --schema leaves its scratch database, which the next one drops")
  func killedReplay() throws {
    try withFixture(on: .postgres) { fixture in
      let (admin, gate, replay) = try startSleepingReplay(fixture)
      let scratch = ToolProcess.firstMatch(among: [replay]) {
        (try? scratchDatabases(admin))?.first
      }
      let name = try #require(scratch)
      // The replay is inside the scratch database's sleep once its session runs it.
      func sessions() throws -> Int64 {
        var count: Int64 = 0
        try admin.query(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = ?", [.text(name)]
        ) { count = $0.int64(0) ?? 0 }
        return count
      }
      _ = ToolProcess.firstMatch(among: [replay]) { (try? sessions()) == 1 ? true : nil }
      kill(replay.process.processIdentifier, SIGKILL)
      #expect(replay.wait().status == SIGKILL)
      #expect(try scratchDatabases(admin) == [name])
      try admin.execute("DROP ROLE \(gate)")
      // The server ends the dead client's session by itself (within a second)...
      while try sessions() > 0 { usleep(20_000) }  // polling the server, not a delay
      // ...and a scratch database nobody uses is left over once older than a few
      // seconds by the server's clock (the moment between making one and connecting).
      let made = try #require(Int(name.split(separator: "_")[2]))
      var now = 0
      repeat {
        try admin.query("SELECT floor(extract(epoch FROM clock_timestamp()))::bigint", []) {
          now = Int($0.int64(0) ?? 0)
        }
        if now <= made + PostgresScratchDatabase.leftoverAge { usleep(100_000) }
      } while now <= made + PostgresScratchDatabase.leftoverAge
      // The next replay drops it (and its own).
      #expect(try fixture.ledger().replay(schema: true).schema?.objects.map(\.name) == ["a"])
      #expect(try scratchDatabases(admin).isEmpty)
    }
  }

  @Test("SIGTERM stops replay --schema at once, and its scratch database is dropped")
  func stoppedReplay() throws {
    try withFixture(on: .postgres) { fixture in
      let (admin, gate, replay) = try startSleepingReplay(fixture)
      defer { try? admin.execute("DROP ROLE \(gate)") }
      // Wait until the replay sleeps in its scratch database (polling the server).
      let sleeping = ToolProcess.firstMatch(among: [replay]) { () -> Bool? in
        var count: Int64 = 0
        try? admin.query(
          "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'schemaledger\\_scratch\\_%' "
            + "AND query LIKE '%pg_sleep%'", []
        ) { count = $0.int64(0) ?? 0 }
        return count > 0 ? true : nil
      }
      #expect(sleeping == true)
      kill(replay.process.processIdentifier, SIGTERM)
      let result = replay.wait()
      #expect(result.status == 143, "\(result.stderr)")
      #expect(result.stderr.contains("SIGTERM stopped the replay of the ledger's SQL"))
      #expect(try scratchDatabases(admin).isEmpty)
    }
  }

  @Test("without CREATEDB, replay --schema says what privilege it needs")
  func withoutCreateDatabase() throws {
    try withFixture(on: .postgres) { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x int);")
      try fixture.ledger().migrate()
      let role = "r_" + UUID().uuidString.prefix(8).lowercased()
      try fixture.postgresConnection().executeScript(
        """
        CREATE ROLE \(role) LOGIN NOCREATEDB;
        GRANT USAGE ON SCHEMA schemaledger TO \(role);
        GRANT SELECT ON ALL TABLES IN SCHEMA schemaledger TO \(role);
        """)
      let url = try #require(fixture.url).replacing("user=postgres", with: "user=\(role)")
      let result = try ToolProcess.run(
        ["replay", "--schema", "--url", url, "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(result.status != 0)
      #expect(result.stderr.contains("needs a scratch database"), "\(result.stderr)")
      #expect(result.stderr.contains("CREATEDB"))
    }
  }
}
