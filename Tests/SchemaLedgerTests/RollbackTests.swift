import Foundation
import Testing

@testable import SchemaLedger

@Suite("Rolling back")
struct RollbackTests {
  /// Four reversible migrations t1..t4, applied.
  private func applyFour(_ fixture: Fixture) throws {
    for index in 1...4 {
      try fixture.migration(
        "00\(index)_t\(index).sql",
        Fixture.dbmate(up: "CREATE TABLE t\(index) (x int);", down: "DROP TABLE t\(index);"))
    }
    try fixture.ledger().migrate()
  }

  @Test(
    "rollback 1 undoes the most recent migration and records planned, started, rolled_back",
    arguments: TestEngine.all)
  func rollbackOne(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try applyFour(fixture)
      let before = try fixture.ledgerRows().count
      let report = try fixture.ledger().rollback(.steps(1))
      #expect(report.steps.map(\.migration) == ["004_t4"])
      #expect(report.steps.allSatisfy { $0.direction == .down })
      #expect(report.rehearsed)
      #expect(report.currentVersion == 3)
      #expect(try fixture.schemaObjects() == ["table t1", "table t2", "table t3"])
      #expect(
        try fixture.ledgerRows().dropFirst(before) == [
          "rehearsed -", "planned 004_t4", "started 004_t4", "rolled_back 004_t4",
        ])
      let rolledBack = try #require(try fixture.events().last)
      #expect(rolledBack.direction == .down && rolledBack.sql == "DROP TABLE t4;\n")
      let rehearsal = try #require(try fixture.events().first { $0.kind == .rehearsed })
      #expect(rehearsal.detail == "passed: rollback of 004_t4")
      #expect(rehearsal.runID == rolledBack.runID)
    }
  }

  @Test(
    "rollback N, --to and --all choose the newest applications first", arguments: TestEngine.all)
  func targets(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try applyFour(fixture)
      let two = try fixture.ledger().rollback(.steps(2), rehearse: false)
      #expect(two.steps.map(\.migration) == ["004_t4", "003_t3"])
      try fixture.ledger().migrate()
      let toOne = try fixture.ledger().rollback(.toVersion(1), rehearse: false)
      #expect(toOne.steps.map(\.migration) == ["004_t4", "003_t3", "002_t2"])
      #expect(try fixture.schemaObjects() == ["table t1"])
      try fixture.ledger().migrate()
      let all = try fixture.ledger().rollback(.all, rehearse: false)
      #expect(all.steps.count == 4)
      #expect(try fixture.schemaObjects().isEmpty)
      #expect(try fixture.ledger().status().entries.allSatisfy { $0.state == .pending })
    }
  }

  @Test(
    "after a rollback, apply runs the migration again and the ledger tells the whole story",
    arguments: TestEngine.all)
  func rollbackThenReapply(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try applyFour(fixture)
      try fixture.ledger().rollback(.steps(1))
      let again = try fixture.ledger().migrate()
      #expect(again.steps.map(\.migration) == ["004_t4"])
      let story = try fixture.events().filter { $0.migration == "004_t4" && $0.kind.isOutcome }
      #expect(story.map(\.kind) == [.applied, .rolledBack, .applied])
      #expect(try fixture.schemaObjects().count == 4)
    }
  }

  @Test(
    "a plan with irreversible migrations is refused, naming them, with nothing changed",
    arguments: TestEngine.all)
  func irreversible(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration("001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x int);", down: ""))
      try fixture.migration("002_b.sql", "CREATE TABLE b (x int);")
      try fixture.migration("003_c.sql", "CREATE TABLE c (x int);")
      try fixture.migration(
        "004_d.sql", Fixture.dbmate(up: "CREATE TABLE d (x int);", down: "DROP TABLE d;"))
      try fixture.ledger().migrate()
      let before = try fixture.ledgerRows()
      do {
        try fixture.ledger().rollback(.all)
        Issue.record("rolled back irreversible migrations")
      } catch let error as PlanError {
        #expect(error == .irreversible(["003_c", "002_b"]))
        let message = String(describing: error)
        #expect(message.contains("003_c, 002_b have no down section"))
        #expect(message.contains("Nothing was rolled back"))
      }
      #expect(try fixture.ledgerRows() == before)
      #expect(try fixture.schemaObjects() == ["table a", "table b", "table c", "table d"])
      // An empty down section means "nothing to undo" and is allowed.
      try fixture.ledger().rollback(.steps(1))
      #expect(try fixture.schemaObjects() == ["table a", "table b", "table c"])
    }
  }

  @Test(
    "a failing down script: undone, recorded as failed, the migration stays applied",
    arguments: TestEngine.all)
  func failingDown(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.writeTwoReversible(downOfB: "DROP TABLE b;\nDROP TABLE nope;")
      try fixture.ledger().migrate()
      do {
        try fixture.ledger().rollback(.all, rehearse: false)
        Issue.record("expected the rollback to fail")
      } catch let error as ExecutionError {
        guard case .migrationFailed(let id, .down, let location, _, true, let before) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(id == "002_b" && before.isEmpty)
        #expect(location.line == 2)
        let message = String(describing: error)
        #expect(message.contains(engine.noSuchTable("nope")))
        #expect(message.contains("002_b stays applied"))
      }
      #expect(try fixture.schemaObjects() == ["table a", "table b"])
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.direction == .down)
      #expect(
        failed.error?.contains("down SQL of 002_b):2: \(engine.noSuchTable("nope"))") == true)
      let state = try fixture.ledger().ledgerState()
      #expect(state.appliedMigrations.map(\.id) == ["001_a", "002_b"])
    }
  }

  @Test(
    "the rehearsal catches a broken down script without touching the real database",
    arguments: TestEngine.all)
  func rehearsalCatchesBrokenDown(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.writeTwoReversible(downOfB: "DROP TABLE b;\nDROP TABLE nope;")
      try fixture.ledger().migrate()
      let rowsBefore = try fixture.ledgerRows()
      do {
        try fixture.ledger().rollback(.all)
        Issue.record("expected the rehearsal to fail")
      } catch let error as ExecutionError {
        guard case .rehearsalFailed(let id, .down, let underlying) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(id == "002_b")
        #expect(underlying.summary.contains(engine.noSuchTable("nope")))
        #expect(String(describing: error).contains("The real database was not touched"))
      }
      #expect(try fixture.schemaObjects() == ["table a", "table b"])
      #expect(try fixture.ledgerRows() == rowsBefore + ["rehearsed -"])
      let verdict = try #require(try fixture.events().last)
      #expect(verdict.detail == "failed at 002_b: rollback of 002_b, 001_a")
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
        .filter { $0.contains("rehearsal") }
      #expect(leftovers.isEmpty)
    }
  }

  @Test(
    "an edited or deleted file is rolled back with its recorded down SQL", arguments: TestEngine.all
  )
  func recordedDownSQL(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x int);", down: "DROP TABLE a;"))
      try fixture.migration(
        "002_b.sql", Fixture.dbmate(up: "CREATE TABLE b (x int);", down: "DROP TABLE b;"))
      try fixture.ledger().migrate()
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x int);", down: "SELECT broken;"))
      try FileManager.default.removeItem(at: fixture.migrations.appendingPathComponent("002_b.sql"))
      let report = try fixture.ledger().rollback(.all)
      #expect(report.steps.map(\.migration) == ["002_b", "001_a"])
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test(
    "migrations that ran outside a transaction roll back the same way, recorded as such",
    arguments: TestEngine.all)
  func outsideTransaction(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      try fixture.migration(
        "001_a.sql",
        "-- migrate:up transaction:false\nCREATE TABLE a (x int);\n-- migrate:down\nDROP TABLE a;\n"
      )
      try fixture.ledger().migrate()
      if engine.isPostgres {
        // A PostgreSQL rehearsal is one transaction rolled back: a step outside a
        // transaction cannot be rehearsed, and the rollback says so before it runs.
        #expect {
          try fixture.ledger().rollback(.steps(1))
        } throws: {
          String(describing: $0).contains("Rehearsing a migration that runs outside a transaction")
        }
        #expect(try fixture.schemaObjects() == ["table a"])
      }
      let report = try fixture.ledger().rollback(.steps(1), rehearse: !engine.isPostgres)
      #expect(report.steps.map(\.transactional) == [false])
      let rolledBack = try #require(try fixture.events().last)
      #expect(rolledBack.kind == .rolledBack && rolledBack.transactional == false)
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  @Test("the bundled migrations roll all the way back to an empty schema")
  func bundledRollBack() throws {
    try withTemporaryDirectory { directory in
      let ledger = SchemaMigrator(
        databasePath: directory.appendingPathComponent("app.sqlite").path,
        migrationsDirectory: repositoryRoot.appendingPathComponent("migrations").path)
      try ledger.migrate()
      let report = try ledger.rollback(.all)
      #expect(report.steps.count == 4)
      let fixture = Fixture(directory: directory)
      #expect(try fixture.schemaObjects().isEmpty)
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_events") != ["0"])
      try ledger.migrate()
      #expect(try ledger.status().entries.allSatisfy { $0.state == .applied })
    }
  }

  @Test(
    "nothing to roll back is a no-op; rolling back an unapplied version is refused",
    arguments: TestEngine.all)
  func nothingToRollBack(engine: TestEngine) throws {
    try withFixture(on: engine) { fixture in
      #expect(try fixture.ledger().rollback(.all).steps.isEmpty)
      try applyFour(fixture)
      #expect(throws: PlanError.targetNotApplied(version: 9)) {
        try fixture.ledger().rollback(.toVersion(9))
      }
    }
  }

  @Test("a rollback plan is a pure function of the ledger: same events, same plan")
  func determinism() throws {
    var generator = SeededGenerator(seed: 42)
    for _ in 0..<200 {
      let events = RandomHistory.make(using: &generator)
      let state = LedgerProjection.state(of: events)
      for target in [RollbackTarget.steps(1), .steps(3), .all, .toVersion(0)] {
        let plan = try Planner.rollbackPlan(state: state, target: target)
        let again = try Planner.rollbackPlan(
          state: LedgerProjection.state(of: events), target: target)
        #expect(plan == again)
        // Reference model: applied migrations, most recent application first.
        let expected = RandomHistory.appliedStack(events)
        let count: Int
        switch target {
        case .steps(let n): count = min(n, expected.count)
        default: count = expected.count
        }
        #expect(plan.steps.map(\.migration) == Array(expected.prefix(count)))
      }
    }
  }
}

/// A small deterministic random number generator for property tests (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Random but valid ledgers: applies, rollbacks, re-applies and failures interleaved.
enum RandomHistory {
  static func make(using generator: inout SeededGenerator) -> [LedgerEvent] {
    let actor = LedgerActor(user: "u", host: "h", pid: 1)
    var events: [LedgerEvent] = []
    var applied: [String] = []  // application order
    let ids = (1...6).map { "\($0)_m" }
    func add(_ kind: EventKind, _ id: String, _ direction: Direction, run: Int) {
      events.append(
        LedgerEvent(
          kind: kind, migration: id, version: MigrationVersion(id.prefix { $0.isNumber }),
          direction: direction, checksum: "c-\(id)", runID: "r\(run)", actor: actor,
          transactional: true, downSQL: kind == .applied ? "DROP \(id)" : nil,
          seq: Int64(events.count + 1)))
    }
    for run in 0..<Int.random(in: 1...12, using: &generator) {
      let pending = ids.filter { !applied.contains($0) }
      if Bool.random(using: &generator), let id = pending.randomElement(using: &generator) {
        add(.planned, id, .up, run: run)
        add(.started, id, .up, run: run)
        if Int.random(in: 0..<4, using: &generator) == 0 {
          add(.failed, id, .up, run: run)
        } else {
          add(.applied, id, .up, run: run)
          applied.append(id)
        }
      } else if let last = applied.last {
        add(.planned, last, .down, run: run)
        if Int.random(in: 0..<4, using: &generator) == 0 {
          add(.failed, last, .down, run: run)
        } else {
          add(.rolledBack, last, .down, run: run)
          applied.removeLast()
        }
      }
    }
    return events
  }

  /// The applied migrations, most recently applied first, computed directly.
  static func appliedStack(_ events: [LedgerEvent]) -> [String] {
    var stack: [String] = []
    for event in events {
      if event.kind == .applied { stack.append(event.migration!) }
      if event.kind == .rolledBack { stack.removeAll { $0 == event.migration } }
    }
    return stack.reversed()
  }
}
