import Testing

@testable import SchemaLedger

/// Builds hand-made event lists for the projection.
private struct History {
  var events: [LedgerEvent] = []
  let actor = LedgerActor(user: "ops", host: "db1", pid: 1)

  mutating func add(
    _ kind: EventKind, _ migration: String?, run: String = "r1", direction: Direction = .up,
    transactional: Bool = true, downSQL: String? = nil, error: String? = nil,
    detail: String? = nil
  ) {
    events.append(
      LedgerEvent(
        kind: kind, migration: migration,
        version: migration.flatMap { MigrationVersion($0.prefix { $0.isNumber }) },
        direction: direction,
        checksum: migration.map { "sum-\($0)" }, runID: run, actor: actor,
        recordedAt: "2026-11-25T00:00:\(String(format: "%02d", events.count)).000Z",
        transactional: transactional, downSQL: downSQL, error: error, detail: detail,
        seq: Int64(events.count + 1)))
  }

  var state: LedgerState { LedgerProjection.state(of: events) }
}

@Suite("The projection")
struct LedgerProjectionTests {
  @Test("an empty ledger is an empty state")
  func empty() {
    let state = History().state
    #expect(state.migrations.isEmpty && state.runs.isEmpty && state.currentVersion == nil)
    #expect(state.lastSeq == 0)
  }

  @Test("applied migrations, version, who and when")
  func applied() {
    var history = History()
    history.add(.planned, "1_a")
    history.add(.planned, "2_b")
    history.add(.started, "1_a")
    history.add(.applied, "1_a", downSQL: "DROP TABLE a;")
    history.add(.started, "2_b")
    history.add(.applied, "2_b")
    let state = history.state
    #expect(state.appliedMigrations.map(\.id) == ["1_a", "2_b"])
    #expect(state.currentVersion == 2)
    #expect(state.migrations["1_a"]?.appliedSeq == 4)
    #expect(state.migrations["1_a"]?.changedBy == history.actor)
    #expect(state.migrations["1_a"]?.changedAt == "2026-11-25T00:00:03.000Z")
    #expect(state.migrations["1_a"]?.isReversible == true)
    #expect(state.unfinishedAttempts.isEmpty)
    #expect(state.runs.count == 1 && state.runs[0].applied == 2)
    #expect(state.eventCount == 6)
  }

  @Test("a failure stops its run: what it planned later is not an interruption")
  func failureEndsRun() {
    var history = History()
    history.add(.planned, "1_a")
    history.add(.planned, "2_b")
    history.add(.started, "1_a")
    history.add(.failed, "1_a", error: "boom")
    let state = history.state
    #expect(state.migrations["1_a"]?.status == .failed)
    #expect(state.migrations["1_a"]?.lastError == "boom")
    #expect(state.migrations["2_b"]?.status == .pending)
    #expect(state.unfinishedAttempts.isEmpty)
    #expect(state.currentVersion == nil)
  }

  @Test("planned without an outcome is an unfinished attempt, in plan order")
  func interrupted() {
    var history = History()
    history.add(.planned, "1_a")
    history.add(.planned, "2_b")
    history.add(.started, "1_a")
    history.add(.applied, "1_a")
    let state = history.state
    #expect(state.unfinishedAttempts.map(\.migration) == ["2_b"])
    #expect(state.unfinishedAttempts.first?.wasStarted == false)
    #expect(state.migrations["2_b"]?.status == .interrupted)
  }

  @Test("recording the interruption closes the run; the migration is pending again")
  func interruptionRecorded() {
    var history = History()
    history.add(.planned, "1_a")
    history.add(.failed, "1_a", detail: "interrupted")
    history.add(.planned, "1_a", run: "r2")
    history.add(.started, "1_a", run: "r2")
    history.add(.applied, "1_a", run: "r2")
    let state = history.state
    #expect(state.unfinishedAttempts.isEmpty)
    #expect(state.migrations["1_a"]?.status == .applied)
    #expect(state.migrations["1_a"]?.lastError == nil)
    #expect(state.runs.map(\.id) == ["r1", "r2"])
    #expect(state.runs[0].failed == 1)
  }

  @Test("a non-transactional start is remembered for the interrupted attempt")
  func startedOutsideTransaction() {
    var history = History()
    history.add(.planned, "1_a", transactional: false)
    history.add(.started, "1_a", transactional: false)
    let attempt = history.state.unfinishedAttempts.first
    #expect(attempt?.wasStarted == true)
    #expect(attempt?.transactional == false)
  }

  @Test("rolled back, then applied again: the whole story folds to applied")
  func rollbackThenReapply() {
    var history = History()
    history.add(.planned, "1_a")
    history.add(.applied, "1_a")
    history.add(.planned, "1_a", run: "r2", direction: .down)
    history.add(.rolledBack, "1_a", run: "r2", direction: .down)
    #expect(history.state.migrations["1_a"]?.status == .rolledBack)
    #expect(history.state.currentVersion == nil)
    history.add(.planned, "1_a", run: "r3")
    history.add(.applied, "1_a", run: "r3")
    #expect(history.state.migrations["1_a"]?.status == .applied)
    #expect(history.state.migrations["1_a"]?.appliedSeq == 6)
  }

  @Test("a failed rollback leaves the migration applied")
  func failedRollback() {
    var history = History()
    history.add(.planned, "1_a")
    history.add(.applied, "1_a")
    history.add(.planned, "1_a", run: "r2", direction: .down)
    history.add(.failed, "1_a", run: "r2", direction: .down, error: "no")
    #expect(history.state.migrations["1_a"]?.status == .applied)
    #expect(history.state.migrations["1_a"]?.lastError == "no")
  }

  @Test("the fold stopped early is the state at that point")
  func prefixes() {
    var history = History()
    history.add(.planned, "1_a")
    history.add(.applied, "1_a")
    history.add(.planned, "2_b")
    history.add(.applied, "2_b")
    let atTwo = LedgerProjection.state(of: history.events.prefix(2))
    #expect(atTwo.appliedMigrations.map(\.id) == ["1_a"])
    #expect(atTwo.lastSeq == 2)
    var projection = LedgerProjection()
    for event in history.events { projection.apply(event) }
    #expect(projection.state == history.state)
  }
}
