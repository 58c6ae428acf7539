import Dispatch
import Glibc
import SchemaLedger
import Synchronization

/// The run lock on PostgreSQL: a **lease**, safe behind PgBouncer in transaction pooling
/// mode, where a session-level advisory lock would stay with a server connection the
/// pooler hands to someone else.
///
/// The lease is one row in `<ledger schema>.run_lock`, taken with one `INSERT ... ON
/// CONFLICT ... WHERE expires_at < clock_timestamp()` (atomic: of two runners, one gets
/// the row), renewed by a heartbeat on a connection of its own every third of the lease,
/// and deleted on release. A holder that dies (SIGKILL, a dropped connection, a server
/// restart) stops renewing, and the next runner takes the row once the lease has
/// expired: no lock ever needs a human. A holder that stalls past its lease can lose it;
/// its transactional steps still cannot double-apply, because each commits with its
/// events and the events' `seq` is the primary key (the loser's commit fails as "another
/// runner got there first", and its step is rolled back). See `docs/decisions.md`.
final class PostgresRunLock: RunLock, @unchecked Sendable {
  /// The connection the heartbeat renews the lease on; only the heartbeat uses it.
  private let connection: PostgresConnection
  private let table: String
  private let token: String
  private let lease: Double
  private let state = Mutex(State())
  /// Wakes the heartbeat early: to stop, or to write a new activity at once.
  private let wake = DispatchSemaphore(value: 0)
  private let finished = DispatchSemaphore(value: 0)

  private struct State {
    var activity = ""
    /// When the activity was last written: a new one is written at once only when the
    /// last write is a second old, else with the next beat (a step a millisecond long
    /// does not cost a write of its own).
    var lastWrite: ContinuousClock.Instant?
    var released = false
    /// Whether the heartbeat runs (not when the lease was never taken).
    var beating = false
  }

  /// Takes the lease on `connection`'s ledger schema for `owner`, waiting at most
  /// `timeout` seconds; `onWait` hears who holds it, at once and every 10 seconds.
  init(
    connection: PostgresConnection, lease: Double, timeout: Double, owner: String,
    onWait: (String) -> Void
  ) throws {
    self.connection = connection
    self.table = PostgresStatement.quoted(connection.ledgerSchema) + ".run_lock"
    self.token = "\(owner) #\(UInt64.random(in: 0...UInt64.max))"
    self.lease = lease
    try createTable()
    let start = ContinuousClock.now
    var lastReport: ContinuousClock.Instant?
    while try !take(owner: owner) {
      let now = ContinuousClock.now
      if lastReport.map({ now - $0 >= .seconds(10) }) ?? true {
        onWait(try holder() ?? "a run that just finished")
        lastReport = now
      }
      guard now - start < .milliseconds(Int64(timeout * 1000)) else {
        throw RunLockError.timeout(
          path: connection.location, timeoutSeconds: timeout,
          holder: try holder() ?? "a run that just finished")
      }
      usleep(50_000)  // polling the lease, as the file lock polls its lock
    }
    state.withLock { $0.beating = true }
    DispatchQueue.global().async { [self] in heartbeat() }
  }

  deinit {
    release()
  }

  func release() {
    let (first, beating) = state.withLock { state in
      defer { state.released = true }
      return (!state.released, state.beating)
    }
    guard first, beating else { return }
    stopBeating()
    try? connection.execute("DELETE FROM \(table) WHERE token = ?", [.text(token)])
  }

  /// Records what the run does now, for waiting runners and `status`: the heartbeat
  /// writes it at once, or within a second of the last write, with its next beat.
  func annotate(_ activity: String) {
    let now = ContinuousClock.now
    let atOnce = state.withLock { state in
      state.activity = activity
      return state.lastWrite.map { now - $0 >= .seconds(1) } ?? true
    }
    if atOnce { wake.signal() }
  }

  /// Stops renewing the lease without giving it up, as a holder that died would.
  func abandonForTesting() {
    let beating = state.withLock { state in
      defer { state.released = true }
      return state.beating && !state.released
    }
    if beating { stopBeating() }
  }

  /// Stops the heartbeat and waits until it has stopped.
  private func stopBeating() {
    wake.signal()
    finished.wait()
  }

  // MARK: - The lease

  private func createTable() throws {
    let schema = PostgresStatement.quoted(connection.ledgerSchema)
    // Two runners creating them at the same moment: one of them fails on the catalog's
    // unique keys and tries again, finding them there.
    for attempt in 1...3 {
      do {
        try create(schema)
        return
      } catch let error as PostgresError
        where attempt < 3 && ["23505", "42P06", "42P07"].contains(error.sqlState)
      {
        continue
      }
    }
  }

  private func create(_ schema: String) throws {
    try connection.executeScript(
      """
      CREATE SCHEMA IF NOT EXISTS \(schema);
      CREATE TABLE IF NOT EXISTS \(table) (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        token      TEXT NOT NULL,
        holder     TEXT NOT NULL,
        activity   TEXT NOT NULL DEFAULT '',
        expires_at TIMESTAMPTZ NOT NULL
      );
      """)
  }

  /// Takes the row when it is free or its lease has expired; `true` when this run holds it.
  private func take(owner: String) throws -> Bool {
    var taken = false
    try connection.query(
      """
      INSERT INTO \(table) AS held (id, token, holder, activity, expires_at)
      VALUES (1, ?, ?, '', clock_timestamp() + make_interval(secs => ?))
      ON CONFLICT (id) DO UPDATE SET token = excluded.token, holder = excluded.holder,
        activity = '', expires_at = excluded.expires_at
      WHERE held.expires_at < clock_timestamp()
      RETURNING token
      """, [.text(token), .text(owner), .real(lease)]
    ) { taken = $0.text(0) == token }
    return taken
  }

  /// Who holds the lease and what it is doing, or `nil` when nobody does.
  private func holder() throws -> String? {
    try Self.holder(on: connection)
  }

  /// Who holds the lease on `connection`'s ledger schema and what it is doing, or `nil`
  /// when nobody does (or the lock was never taken there).
  static func holder(on connection: PostgresConnection) throws -> String? {
    let table = PostgresStatement.quoted(connection.ledgerSchema) + ".run_lock"
    guard try !connection.columnNames(of: table).isEmpty else { return nil }
    var holder: String?
    try connection.query(
      """
      SELECT holder, activity, expires_at > clock_timestamp() FROM \(table)
      WHERE id = 1
      """, []
    ) { row in
      guard row.text(2) == "t" else { return }
      let activity = row.text(1) ?? ""
      holder = (row.text(0) ?? "") + (activity.isEmpty ? "" : ", \(activity)")
    }
    return holder
  }

  /// Renews the lease every third of it, and at once when woken by a new activity, until
  /// released.
  private func heartbeat() {
    let interval = max(lease / 3, 0.05)
    while true {
      _ = wake.wait(timeout: .now() + interval)
      let (activity, released) = state.withLock { state in
        state.lastWrite = .now
        return (state.activity, state.released)
      }
      if released { break }
      try? connection.execute(
        """
        UPDATE \(table) SET expires_at = clock_timestamp() + make_interval(secs => ?),
          activity = ? WHERE id = 1 AND token = ?
        """, [.real(lease), .text(activity), .text(token)])
    }
    finished.signal()
  }
}

extension PostgresConnection {
  /// Takes the run lock: a lease in the ledger schema, renewed on a second connection
  /// to the same server (`PostgresRunLock`).
  public func acquireRunLock(
    timeout: Double, owner: String, onWait: (String) -> Void
  ) throws -> any RunLock {
    try PostgresRunLock(
      connection: try PostgresConnection(conninfo: conninfo, ledgerSchema: ledgerSchema),
      lease: runLockLease, timeout: timeout, owner: owner, onWait: onWait)
  }
}
