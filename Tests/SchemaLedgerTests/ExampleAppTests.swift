import Foundation
import Testing

@testable import SchemaLedger

@Suite("Many app instances booting at once", .serialized, .timeLimit(.minutes(2)))
struct ExampleAppTests {
  private static let app = ToolProcess.product("example-app")

  /// Migrations that each take a moment, so the instances overlap.
  private func writeMigrations(_ fixture: Fixture) throws {
    for index in 1...8 {
      try fixture.migration(
        String(format: "%03d_t%d.sql", index, index),
        Fixture.dbmate(
          up: """
            CREATE TABLE t\(index) (id INTEGER PRIMARY KEY, v TEXT);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)
            INSERT INTO t\(index)(v) SELECT printf('row-%d', x) FROM c;
            """,
          down: "DROP TABLE t\(index);"))
    }
  }

  private func startInstances(_ fixture: Fixture, count: Int) throws -> [ToolProcess.Running] {
    try (0..<count).map { _ in
      try ToolProcess.start(
        [fixture.databasePath, fixture.migrations.path], in: fixture.directory,
        executable: Self.app)
    }
  }

  @Test("eight instances start together: each migration runs exactly once, all serve")
  func eightInstances() throws {
    try withFixture { fixture in
      try writeMigrations(fixture)
      let results = try startInstances(fixture, count: 8).map { $0.wait() }
      for result in results {
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "schema version 8\n")
      }
      let applied = try fixture.query(
        "SELECT migration || ':' || count(*) FROM schemaledger_events WHERE kind = 'applied' "
          + "GROUP BY migration ORDER BY migration")
      #expect(applied == (1...8).map { String(format: "%03d_t%d:1", $0, $0) })
      #expect(
        try fixture.query(
          "SELECT count(DISTINCT run_id) FROM schemaledger_events WHERE kind = 'applied'")
          == ["1"])
      let waited = results.filter { $0.stderr.contains("waiting for the lock held by") }
      let worked = results.filter { $0.stderr.contains("[migrate] applying") }
      #expect(worked.count == 1)
      #expect(waited.count + worked.count >= 1)
      #expect(try fixture.ledger().verify().isClean)
    }
  }

  @Test("one instance killed mid-migration: the others proceed, no manual unlock")
  func killedInstance() throws {
    try withFixture { fixture in
      try writeMigrations(fixture)
      try fixture.migration(
        "009_slow.sql",
        """
        CREATE TABLE slow (x INTEGER);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000)
        INSERT INTO slow SELECT x FROM c;
        """)
      let instances = try startInstances(fixture, count: 8)
      let holder = ToolProcess.firstMatch(among: instances) {
        instances.first { $0.stderrSoFar.contains("[migrate] applying 009_slow") }
      }
      let victim = try #require(holder)
      kill(victim.process.processIdentifier, SIGKILL)
      let victimResult = victim.wait()
      #expect(victimResult.status == SIGKILL)
      let others = instances.filter { $0.process !== victim.process }.map { $0.wait() }
      for result in others {
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "schema version 9\n")
      }
      #expect(
        others.filter { $0.stderr.contains("recorded interrupted attempt of 009_slow") }.count == 1)
      let applied = try fixture.query(
        "SELECT count(*) FROM schemaledger_events WHERE kind = 'applied' AND migration = '009_slow'"
      )
      #expect(applied == ["1"])
      let interrupted = try fixture.query(
        "SELECT migration FROM schemaledger_events WHERE kind = 'failed' AND detail = 'interrupted'"
      )
      #expect(interrupted == ["009_slow"])
      #expect(try fixture.query("SELECT count(*) FROM slow") == ["3000000"])
    }
  }
}
