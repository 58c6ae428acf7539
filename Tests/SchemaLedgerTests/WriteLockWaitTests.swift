import Foundation
import Synchronization
import Testing

@testable import SchemaLedger

/// An application writing to the database from a thread of the test process, with its
/// own connection: `BEGIN IMMEDIATE`, one insert, `COMMIT`, again and again without
/// sleeping, until told to stop or `limit` transactions are done; or one transaction held
/// open until told to stop. With `holdFirst`, the first transaction stays open until
/// `release()`, so that another connection is sure to find the lock taken.
final class ApplicationWriter: Sendable {
  private let stopped = Atomic<Bool>(false)
  private let released = Atomic<Bool>(false)
  private let finished = Atomic<Bool>(false)
  /// Transactions committed so far.
  let committed = Atomic<Int>(0)
  /// Set once the writer holds (or has held) the write lock.
  let holding = Atomic<Bool>(false)

  /// Starts the writer on `path` (a table `app_log (n)` must exist).
  init(path: String, holdOpen: Bool = false, holdFirst: Bool = false, limit: Int = 200_000) {
    let thread = Thread { [self] in
      defer { finished.store(true, ordering: .sequentiallyConsistent) }
      guard let connection = try? SQLiteConnection(path: path, busyTimeout: 30) else { return }
      if holdOpen {
        guard (try? connection.beginImmediate()) != nil else { return }
        holding.store(true, ordering: .sequentiallyConsistent)
        while !stopped.load(ordering: .sequentiallyConsistent) { usleep(1_000) }  // a poll
        connection.rollback()
        return
      }
      var count = 0
      while !stopped.load(ordering: .sequentiallyConsistent), count < limit {
        do {
          try connection.inTransaction {
            holding.store(true, ordering: .sequentiallyConsistent)
            try connection.execute("INSERT INTO app_log (n) VALUES (?)", [.integer(Int64(count))])
            while holdFirst, count == 0, !released.load(ordering: .sequentiallyConsistent),
              !stopped.load(ordering: .sequentiallyConsistent)
            {
              usleep(1_000)  // a poll
            }
          }
          count += 1
          committed.store(count, ordering: .sequentiallyConsistent)
        } catch {
          return
        }
      }
    }
    thread.start()
  }

  /// Lets the first transaction of a `holdFirst` writer commit; the bursts follow.
  func release() {
    released.store(true, ordering: .sequentiallyConsistent)
  }

  /// Stops the writer and waits until its connection is closed.
  func stop() {
    stopped.store(true, ordering: .sequentiallyConsistent)
    while !finished.load(ordering: .sequentiallyConsistent) { usleep(1_000) }  // a poll
  }

  /// Waits until the writer has taken the write lock once.
  func waitUntilHolding() {
    while !holding.load(ordering: .sequentiallyConsistent),
      !finished.load(ordering: .sequentiallyConsistent)
    {
      usleep(500)  // a poll
    }
  }
}

@Suite("Waiting for SQLite's write lock", .serialized, .timeLimit(.minutes(1)))
struct WriteLockWaitTests {
  /// A WAL database with the application's table `app_log`, and `001_a` to apply.
  private func walDatabase(_ fixture: Fixture) throws {
    let connection = try SQLiteConnection(path: fixture.databasePath)
    try connection.execute("PRAGMA journal_mode = WAL")
    try connection.execute("CREATE TABLE app_log (n INTEGER)")
    try fixture.migration(
      "001_a.sql",
      """
      CREATE TABLE a (x);
      WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000)
      INSERT INTO a SELECT x FROM c;
      """)
  }

  @Test(
    "the busy handler gives up at once on 0, NaN or a negative timeout, never traps on a huge one")
  func busyWaitBounds() {
    for timeout in [0, -1, Double.nan] {
      #expect(!BusyWait(timeout: timeout).shouldRetry(count: 0))
    }
    for timeout in [1e300, .infinity] {
      let wait = BusyWait(timeout: timeout)
      var reported: [Double] = []
      wait.report = { reported.append($0) }
      #expect(wait.shouldRetry(count: 0) && wait.shouldRetry(count: 50))
      #expect(reported == [0])
    }
  }

  @Test("apply waits visibly for an application writing in short bursts, then succeeds")
  func burstsOfWrites() throws {
    try withFixture { fixture in
      try walDatabase(fixture)
      // The first transaction stays open until apply says it waits, then the application
      // goes on writing in bursts, without pausing, for at most 5000 transactions.
      let writer = ApplicationWriter(path: fixture.databasePath, holdFirst: true, limit: 5_000)
      writer.waitUntilHolding()
      let apply = try ToolProcess.start(
        [
          "apply", "--lock-timeout", "30", "-d", fixture.databasePath, "-m",
          fixture.migrations.path,
        ],
        in: fixture.directory)
      let waited = apply.waitForStderr(containing: "waiting for SQLite's write lock")
      writer.release()
      let result = apply.wait()
      writer.stop()
      #expect(waited, "\(result.stderr)")
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        result.stderr.contains(
          "waiting for SQLite's write lock on '\(fixture.databasePath)', held by another "
            + "connection (not a SchemaLedger run"),
        "\(result.stderr)")
      #expect(result.stderr.contains("giving up after 30 s (--lock-timeout)"))
      #expect(result.stdout.contains("Applied 1 migration"))
      #expect(try fixture.query("SELECT count(*) FROM a") == ["1000"])
      #expect(
        try fixture.query("SELECT count(*) FROM app_log") == [
          String(writer.committed.load(ordering: .sequentiallyConsistent))
        ])
      #expect(try fixture.ledgerRows() == ["planned 001_a", "started 001_a", "applied 001_a"])
    }
  }

  @Test(
    "a write lock held past --lock-timeout: exit 1 soon after, naming the database and the option")
  func heldLock() throws {
    try withFixture { fixture in
      try walDatabase(fixture)
      let writer = ApplicationWriter(path: fixture.databasePath, holdOpen: true)
      defer { writer.stop() }
      writer.waitUntilHolding()
      let start = Date()
      let result = try fixture.cli(["apply", "--lock-timeout", "1"])
      let elapsed = Date().timeIntervalSince(start)
      #expect(result.status == 1, "\(result.stderr)")
      #expect(elapsed < 6, "waited \(elapsed) s for a 1 s timeout")
      #expect(
        result.stderr.contains("waiting for SQLite's write lock on '\(fixture.databasePath)'"))
      #expect(
        result.stderr.contains(
          "Error: Database '\(fixture.databasePath)' stayed locked by another connection for 1 s"),
        "\(result.stderr)")
      #expect(result.stderr.contains("--lock-timeout SECONDS"))
      #expect(result.stderr.contains("not a SchemaLedger run"))
      #expect(try fixture.schemaObjects() == ["table app_log"])
    }
  }
}
