import Testing

@testable import SchemaLedger

@Suite("The apply planner")
struct PlannerTests {
  private func migration(_ version: Int64, _ sql: String = "SELECT 1;") -> Migration {
    Migration(
      id: "\(version)_m", version: MigrationVersion(version), name: "m", upSQL: sql, downSQL: nil,
      checksum: SHA256.hexDigest(sql), transactionMode: .wrapped, dependencies: [],
      upLocation: SourceLocation(file: "migrations/\(version)_m.sql", line: 1),
      downLocation: nil)
  }

  private func state(applied: [Migration], failedOutside: String? = nil) -> LedgerState {
    var events: [LedgerEvent] = []
    let actor = LedgerActor(user: "u", host: "h", pid: 1)
    for migration in applied {
      events.append(
        LedgerEvent(
          kind: .applied, migration: migration.id, version: migration.version, direction: .up,
          checksum: migration.checksum, runID: "r", actor: actor, transactional: true,
          seq: Int64(events.count + 1)))
    }
    if let failedOutside {
      events.append(
        LedgerEvent(
          kind: .failed, migration: failedOutside, version: 99, direction: .up, runID: "r",
          actor: actor, transactional: false, error: "boom", seq: Int64(events.count + 1)))
    }
    return LedgerProjection.state(of: events)
  }

  @Test("a started attempt outside a transaction with no outcome is named; one inside is not")
  func interruptedPartly() {
    let actor = LedgerActor(user: "u", host: "h", pid: 1)
    func attempt(transactional: Bool) -> LedgerState {
      LedgerProjection.state(
        of: [EventKind.planned, .started].enumerated().map { index, kind in
          LedgerEvent(
            kind: kind, migration: "5_m", version: 5, direction: .up, runID: "run-1",
            actor: actor, transactional: transactional, seq: Int64(index + 1))
        })
    }
    #expect(
      Planner.interruptedPartly(in: attempt(transactional: false))
        == .partlyApplied(migration: "5_m", error: "interrupted in run run-1"))
    #expect(Planner.interruptedPartly(in: attempt(transactional: true)) == nil)
    #expect(Planner.interruptedPartly(in: LedgerState()) == nil)
  }

  @Test("up to date only with nothing pending, nothing unfinished and nothing superseded")
  func upToDate() throws {
    let (one, two) = (migration(1), migration(2))
    let both = try MigrationSource(migrations: [one, two])
    let onlyOne = try MigrationSource(migrations: [one])
    let applied = state(applied: [one, two])
    #expect(Planner.isUpToDate(source: both, state: applied, allowingOutOfOrder: false))
    #expect(
      !Planner.isUpToDate(
        source: both, state: state(applied: [one]), allowingOutOfOrder: false))
    // 2 is applied but not in the source: superseded, so not remembered as up to date.
    #expect(!Planner.isUpToDate(source: onlyOne, state: applied, allowingOutOfOrder: false))
  }

  @Test("pending migrations in numeric version order")
  func order() throws {
    let source = try MigrationSource(migrations: [migration(10), migration(9), migration(100)])
    let plan = try Planner.applyPlan(source: source, state: LedgerState())
    #expect(plan.steps.map(\.version) == [9, 10, 100])
  }

  @Test("applied migrations are skipped; the target bounds the plan")
  func skipAndTarget() throws {
    let all = [migration(1), migration(2), migration(3), migration(4)]
    let source = try MigrationSource(migrations: all)
    let plan = try Planner.applyPlan(
      source: source, state: state(applied: [all[0]]), target: 3)
    #expect(plan.steps.map(\.version) == [2, 3])
    #expect(plan.alreadyApplied == 1)
  }

  @Test("the same inputs always give the same plan")
  func deterministic() throws {
    let all = (1...50).map { migration(Int64($0)) }
    let source = try MigrationSource(migrations: all.shuffled())
    let reference = try Planner.applyPlan(source: source, state: state(applied: []))
    for _ in 0..<10 {
      let again = try Planner.applyPlan(
        source: try MigrationSource(migrations: all.shuffled()), state: state(applied: []))
      #expect(again == reference)
    }
  }

  @Test("drift names every edited migration with both checksums")
  func drift() throws {
    let original = [migration(1, "CREATE TABLE a (x);"), migration(2, "CREATE TABLE b (x);")]
    let edited = [migration(1, "CREATE TABLE a (y);"), migration(2, "CREATE TABLE b (y);")]
    let source = try MigrationSource(migrations: edited)
    #expect(
      throws: PlanError.checksumMismatch([
        .init(
          migration: "1_m", file: "migrations/1_m.sql", recorded: original[0].checksum,
          current: edited[0].checksum),
        .init(
          migration: "2_m", file: "migrations/2_m.sql", recorded: original[1].checksum,
          current: edited[1].checksum),
      ])
    ) { try Planner.applyPlan(source: source, state: state(applied: original)) }
  }

  @Test("applied migrations unknown to the source are refused")
  func unknownApplied() throws {
    let source = try MigrationSource(migrations: [migration(1)])
    #expect(throws: PlanError.unknownAppliedMigrations(["2_m"])) {
      try Planner.applyPlan(source: source, state: state(applied: [migration(1), migration(2)]))
    }
  }

  @Test("a failed migration outside a transaction blocks the plan")
  func partlyApplied() throws {
    let source = try MigrationSource(migrations: [migration(1)])
    #expect(throws: PlanError.partlyApplied(migration: "99_x", error: "boom")) {
      try Planner.applyPlan(source: source, state: state(applied: [], failedOutside: "99_x"))
    }
  }

  @Test("an unknown target is refused")
  func unknownTarget() throws {
    let source = try MigrationSource(migrations: [migration(1)])
    #expect(throws: PlanError.unknownTarget(version: 5)) {
      try Planner.applyPlan(source: source, state: LedgerState(), target: 5)
    }
  }
}
