import Foundation
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// The run lock on PostgreSQL is a lease: one holder at a time, a clear refusal naming the
/// holder, and no stale lock when a holder dies. Straight on the server and through
/// PgBouncer in transaction pooling mode.
@Suite(
  "The run lock on PostgreSQL",
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"))
struct PostgresRunLockTests {
  private func connections(pooled: Bool, lease: Double = 10) throws -> (
    PostgresConnection, PostgresConnection
  ) {
    let server = try PostgresServer.shared.get()
    let conninfo = server.conninfo(database: try server.makeDatabase(), pooled: pooled)
    return (
      try PostgresConnection(conninfo: conninfo, runLockLease: lease),
      try PostgresConnection(conninfo: conninfo, runLockLease: lease)
    )
  }

  @Test(
    "a second runner waits, hears who holds it, and gets it once released",
    arguments: [false, true])
  func oneHolder(pooled: Bool) throws {
    let (first, second) = try connections(pooled: pooled)
    let held = try first.acquireRunLock(timeout: 1, owner: "alice@a (pid 1)") { _ in }
    held.annotate("applying 002_b")
    var heard: [String] = []
    #expect {
      _ = try second.acquireRunLock(timeout: 0.3, owner: "bob@b (pid 2)") { heard.append($0) }
    } throws: { error in
      guard case RunLockError.timeout(_, _, let holder) = error else { return false }
      return holder.hasPrefix("alice@a (pid 1)")
    }
    #expect(heard.first?.hasPrefix("alice@a (pid 1)") == true)
    held.release()
    let next = try second.acquireRunLock(timeout: 0.3, owner: "bob@b (pid 2)") { _ in }
    next.release()
  }

  @Test(
    "a holder that stops renewing (it died) loses the lock when its lease expires",
    arguments: [false, true])
  func noStaleLock(pooled: Bool) throws {
    let (first, second) = try connections(pooled: pooled, lease: 2)
    let held = try #require(
      try first.acquireRunLock(timeout: 1, owner: "dead@a (pid 1)") { _ in }
        as? PostgresRunLock)
    held.abandonForTesting()
    var waited = false
    let start = Date()
    let taken = try second.acquireRunLock(timeout: 10, owner: "bob@b (pid 2)") { holder in
      waited = true
      #expect(holder.hasPrefix("dead@a (pid 1)"))
    }
    #expect(waited)
    #expect(Date().timeIntervalSince(start) < 8)
    taken.release()
  }

  @Test("a live holder keeps its lease past its length: the heartbeat renews it")
  func heartbeatRenews() throws {
    let (first, second) = try connections(pooled: true, lease: 3)
    let held = try first.acquireRunLock(timeout: 1, owner: "alice@a (pid 1)") { _ in }
    // Longer than the lease (the heartbeat renews it every second, with two seconds to
    // spare), the second runner never finds it expired.
    #expect(throws: RunLockError.self) {
      _ = try second.acquireRunLock(timeout: 4.5, owner: "bob@b (pid 2)") { _ in }
    }
    held.release()
  }

  @Test("activeRun() and status name the run that holds the lock, and what it is doing")
  func statusNamesTheRun() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      let server = try PostgresServer.shared.get()
      let conninfo = server.conninfo(database: try server.makeDatabase(), pooled: true)
      let migrator = SchemaMigrator(
        database: .postgres(url: conninfo),
        migrations: .directory(folder.appendingPathComponent("migrations").path))
      #expect(migrator.activeRun() == nil)
      let held = try PostgresConnection(conninfo: conninfo).acquireRunLock(
        timeout: 1, owner: "alice@a (pid 1), run r1"
      ) { _ in }
      #expect(migrator.activeRun() == "alice@a (pid 1), run r1")
      held.annotate("applying 001_a")
      // The heartbeat writes the activity at once; watch for it.
      let deadline = Date().addingTimeInterval(5)
      while migrator.activeRun() != "alice@a (pid 1), run r1, applying 001_a",
        Date() < deadline
      {
        usleep(10_000)  // polling the lock row, not a synchronisation delay
      }
      #expect(migrator.activeRun() == "alice@a (pid 1), run r1, applying 001_a")
      #expect(try migrator.status().activeRun == "alice@a (pid 1), run r1, applying 001_a")
      held.release()
      #expect(migrator.activeRun() == nil)
    }
  }
}
