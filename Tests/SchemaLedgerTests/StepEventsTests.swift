import Testing

@testable import SchemaLedger

/// The events of one step, built without a database: the fields each kind carries.
@Suite("Step events")
struct StepEventsTests {
  private let actor = LedgerActor(user: "ops", host: "db1", pid: 1)

  private func step(outside: String? = nil) -> ExecutionStep {
    ExecutionStep(
      migration: "002_users", version: MigrationVersion("2")!, checksum: "sum",
      direction: .up, sql: "CREATE TABLE users(id);",
      location: SourceLocation(file: "migrations/002_users.sql", line: 3),
      outsideReason: outside, recordedDownSQL: "DROP TABLE users;", dependencies: ["001_a"],
      note: "repeatable")
  }

  private func events(outside: String? = nil) -> StepEvents {
    StepEvents(step: step(outside: outside), runID: "r1", actor: actor)
  }

  @Test("planned carries the SQL, the detail and the dependencies, and no outcome")
  func planned() {
    let planned = events(outside: "VACUUM").planned
    #expect(planned.kind == .planned)
    #expect(planned.migration == "002_users")
    #expect(planned.runID == "r1")
    #expect(planned.sql == "CREATE TABLE users(id);")
    #expect(planned.detail == "VACUUM; repeatable")
    #expect(planned.dependsOn == ["001_a"])
    #expect(planned.transactional == false)
    #expect(planned.durationMs == nil && planned.downSQL == nil && planned.error == nil)
  }

  @Test("applied records the down SQL, the duration and the fingerprint")
  func applied() {
    let applied = events().succeeded(durationMs: 12, fingerprint: "fp")
    #expect(applied.kind == .applied)
    #expect(applied.downSQL == "DROP TABLE users;")
    #expect(applied.durationMs == 12)
    #expect(applied.schemaFingerprint == "fp")
    #expect(applied.transactional == true)
    #expect(applied.detail == "repeatable")
  }

  @Test("a rollback records rolled_back, without down SQL, with the restored checksum")
  func rolledBack() {
    var down = step()
    down.direction = .down
    down.restoredChecksum = "older"
    let event = StepEvents(step: down, runID: "r1", actor: actor)
      .succeeded(durationMs: 1, fingerprint: nil)
    #expect(event.kind == .rolledBack)
    #expect(event.downSQL == nil)
    #expect(event.checksum == "older")
  }

  @Test("a failed statement names the file and line, and SQLite's code")
  func sqlFailed() {
    let error = SQLiteError.statementFailed(
      code: 1, message: "no such table: x", sql: "SELECT * FROM x", offset: 0)
    let failed = events().failed(
      .sqlFailed(location: SourceLocation(file: "migrations/002_users.sql", line: 4), error: error),
      durationMs: 5, stoppedBy: nil, fingerprint: "fp")
    #expect(failed.kind == .failed)
    #expect(failed.error?.hasPrefix("migrations/002_users.sql:4: ") == true)
    #expect(failed.error?.contains("no such table: x") == true)
    #expect(failed.errorCode == 1)
    #expect(failed.sql == "CREATE TABLE users(id);")
    #expect(failed.detail == nil)
    #expect(failed.schemaFingerprint == "fp")
  }

  @Test("foreign-key violations are listed; outside a transaction it may be partly done")
  func violations() {
    let failed = events(outside: "VACUUM").failed(
      .foreignKeyViolations(["orders row 1 -> users"]), durationMs: 5, stoppedBy: nil,
      fingerprint: nil)
    #expect(failed.error == "foreign-key violations: orders row 1 -> users")
    #expect(failed.errorCode == nil)
    #expect(failed.detail == "ran outside a transaction; may be partly done")
  }

  @Test("a stop by the operator is recorded as such, not as the SQL's error")
  func stopped() {
    let error = SQLiteError.statementFailed(
      code: 9, message: "interrupted", sql: "", offset: 0)
    let failed = events().failed(
      .sqlFailed(location: step().location, error: error), durationMs: 5,
      stoppedBy: "SIGINT", fingerprint: nil)
    #expect(
      failed.error
        == "stopped by the operator (SIGINT) while it ran; its transaction was rolled back")
    #expect(failed.errorCode == nil)
    #expect(failed.detail == "stopped by the operator")
    let before = events(outside: "VACUUM").stoppedBeforeStart(reason: "SIGTERM", fingerprint: nil)
    #expect(
      before.error == "stopped by the operator (SIGTERM) before it started; nothing of it ran")
    #expect(before.transactional == nil)
  }

  @Test("a database failure says whether statements before it stay done")
  func databaseFailed() {
    let inside = events().databaseFailed(
      SQLiteError.statementFailed(
        code: 13, message: "database or disk is full", sql: "", offset: 0), durationMs: nil)
    #expect(inside.error?.hasPrefix("the database failed around this step: ") == true)
    #expect(inside.detail == "database error")
    #expect(inside.durationMs == nil)
    let outside = events(outside: "VACUUM").databaseFailed(
      SQLiteError.statementFailed(code: 13, message: "full", sql: "", offset: 0), durationMs: 7)
    #expect(outside.error?.contains("statements before the failure stay done") == true)
    #expect(outside.durationMs == 7)
  }

  @Test("the outcome turns into the matching error, and none on success")
  func outcomeErrors() {
    #expect(StepOutcome.succeeded.error(of: step(), completedBefore: []) == nil)
    let outcome = StepOutcome(failure: nil, violations: ["v"])
    guard
      case .foreignKeyViolations(let migration, let file, let violations, _)? =
        outcome.error(of: step(), completedBefore: [])
    else {
      Issue.record("expected foreignKeyViolations")
      return
    }
    #expect(migration == "002_users" && file == "migrations/002_users.sql" && violations == ["v"])
  }
}
