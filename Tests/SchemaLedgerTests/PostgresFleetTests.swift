import Foundation
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// A fleet booting against one PostgreSQL server: `example-app` processes standing for
/// different machines (`EXAMPLE_APP_HOST`), straight on the server and through PgBouncer
/// in transaction pooling mode. Each migration runs exactly once; an instance killed
/// mid-migration, or whose connection the server terminates mid-step, is recorded and
/// recovered by the next run, with nothing lost and no lock left for a human.
@Suite(
  "A fleet of app instances on one PostgreSQL server",
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"),
  .timeLimit(.minutes(3)))
struct PostgresFleetTests {
  private static let app = ToolProcess.product("example-app")

  /// A new database, its URL (straight or through PgBouncer) and an administrator's
  /// connection to it, straight on the server.
  private func database(pooled: Bool) throws -> (url: String, admin: PostgresConnection) {
    let server = try PostgresServer.shared.get()
    let name = try server.makeDatabase()
    return (
      server.url(database: name, pooled: pooled),
      try PostgresConnection(conninfo: server.conninfo(database: name))
    )
  }

  private func start(
    _ url: String, _ folder: URL, machines: ClosedRange<Int>
  ) throws -> [ToolProcess.Running] {
    try machines.map { machine in
      try ToolProcess.start(
        [url, folder.appendingPathComponent("migrations").path], in: folder,
        environment: ["EXAMPLE_APP_HOST": "machine-\(machine)"], executable: Self.app)
    }
  }

  private func column(_ connection: PostgresConnection, _ sql: String) throws -> [String] {
    var values: [String] = []
    try connection.query(sql, []) { values.append($0.text(0) ?? "NULL") }
    return values
  }

  /// `migration:count` of the events of `kind`, by migration.
  private func counts(_ connection: PostgresConnection, kind: String) throws -> [String] {
    try column(
      connection,
      "SELECT migration || ':' || count(*) FROM schemaledger.schemaledger_events "
        + "WHERE kind = '\(kind)' GROUP BY migration ORDER BY migration")
  }

  private func chainBreak(_ url: String, _ folder: URL) throws -> Int64? {
    let ledger = SchemaMigrator(
      database: .postgres(url: url),
      migrations: .directory(folder.appendingPathComponent("migrations").path))
    var chain = ChainVerifier(key: nil)
    for event in try ledger.history(HistoryFilter()) { chain.check(event) }
    return chain.firstBreak?.seq
  }

  @Test(
    "eight machines boot at once: each migration is applied exactly once",
    arguments: [
      false, true,
    ])
  func eightMachines(pooled: Bool) throws {
    try withTemporaryDirectory { folder in
      for index in 1...5 {
        try folder.write(
          String(format: "migrations/%03d_t%d.sql", index, index),
          "CREATE TABLE t\(index) (id bigint PRIMARY KEY);\nSELECT pg_sleep(0.05);\n")
      }
      let (url, admin) = try database(pooled: pooled)
      let results = try start(url, folder, machines: 1...8).map { $0.wait() }
      for result in results {
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "schema version 5\n")
      }
      #expect(try counts(admin, kind: "applied") == (1...5).map { "00\($0)_t\($0):1" })
      // One run applied them all, and the ledger names the machine it ran on.
      let hosts = try column(
        admin,
        "SELECT DISTINCT actor_host || ' ' || run_id FROM schemaledger.schemaledger_events "
          + "WHERE kind = 'applied'")
      #expect(hosts.count == 1)
      #expect(hosts.first?.hasPrefix("machine-") == true)
      #expect(results.filter { $0.stderr.contains("[migrate] applying") }.count == 1)
      #expect(try chainBreak(url, folder) == nil)
    }
  }

  @Test(
    "an instance killed mid-step and one whose connection is terminated: recorded, recovered",
    arguments: [false, true])
  func killedAndTerminated(pooled: Bool) throws {
    try withTemporaryDirectory { folder in
      let (url, admin) = try database(pooled: pooled)
      // A step that sleeps while the gate holds a row, and not once the test empties it:
      // the first attempt hangs until it is killed, the next one goes straight through.
      try admin.executeScript("CREATE TABLE gate (x int); INSERT INTO gate VALUES (1);")
      let gated = "SELECT pg_sleep(CASE WHEN EXISTS (SELECT 1 FROM gate) THEN 600 ELSE 0 END);"
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (id bigint PRIMARY KEY);")
      try folder.write(
        "migrations/002_slow.sql", "CREATE TABLE slow (id bigint);\n\(gated)\n")

      // 1. Eight machines boot; the one applying 002_slow is killed with SIGKILL.
      let instances = try start(url, folder, machines: 1...8)
      let holder = ToolProcess.firstMatch(among: instances) {
        instances.first { $0.stderrSoFar.contains("[migrate] applying 002_slow") }
      }
      let victim = try #require(holder)
      kill(victim.process.processIdentifier, SIGKILL)
      #expect(victim.wait().status == SIGKILL)
      try admin.execute("DELETE FROM gate")
      // The server rolls the dead client's step back on its own (it checks the client
      // is there every second), so the next runner's CREATE TABLE slow does not wait on
      // it; the next runner takes the lease once it expires: no lock needs a human.
      let others = instances.filter { $0.process !== victim.process }.map { $0.wait() }
      for result in others {
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "schema version 2\n")
      }
      #expect(
        others.filter { $0.stderr.contains("recorded interrupted attempt of 002_slow") }.count
          == 1)
      #expect(try counts(admin, kind: "applied") == ["001_a:1", "002_slow:1"])
      #expect(
        try column(
          admin,
          "SELECT migration || ' ' || detail FROM schemaledger.schemaledger_events "
            + "WHERE kind = 'failed'") == ["002_slow interrupted"])

      // 2. The server terminates the connection of the instance applying 003_slow.
      try admin.execute("INSERT INTO gate VALUES (1)")
      try folder.write(
        "migrations/003_slow.sql", "CREATE TABLE slow3 (id bigint);\n\(gated)\n")
      let lone = try #require(try start(url, folder, machines: 9...9).first)
      #expect(lone.waitForStderr(containing: "[migrate] applying 003_slow"))
      var terminated: [String] = []
      while terminated.isEmpty && lone.process.isRunning {
        // The step's statement may take a moment to reach the server after the
        // progress line: polled (the interval of the poll, not a synchronisation delay).
        terminated = try column(
          admin,
          "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity "
            + "WHERE datname = current_database() AND query LIKE '%slow3%' "
            + "AND pid <> pg_backend_pid()")
        if terminated.isEmpty { usleep(10_000) }
      }
      #expect(terminated == ["true"])
      try admin.execute("DELETE FROM gate")
      let lost = lone.wait()
      #expect(lost.status == 1)
      #expect(lost.stderr.contains("example-app: cannot start:"))
      #expect(lost.stderr.contains("003_slow"), "\(lost.stderr)")
      #expect(!lost.stdout.contains("schema version"))
      let next = try start(url, folder, machines: 10...11).map { $0.wait() }
      for result in next {
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "schema version 3\n")
      }
      #expect(
        try counts(admin, kind: "applied") == ["001_a:1", "002_slow:1", "003_slow:1"])
      let failures = try column(
        admin,
        "SELECT migration || ' ' || coalesce(detail, '') FROM "
          + "schemaledger.schemaledger_events WHERE kind = 'failed' ORDER BY seq")
      #expect(failures.count == 2)
      #expect(failures.last?.hasPrefix("003_slow ") == true)
      #expect(try column(admin, "SELECT count(*) FROM schemaledger.run_lock") == ["0"])
      #expect(try chainBreak(url, folder) == nil)
    }
  }
}
