import Foundation

/// Carries an apply plan out on one connection: takes the run lock, records interrupted
/// attempts of earlier runs, appends `planned` / `started` / `applied` / `failed` events
/// and runs each migration's SQL in its own transaction together with its `applied` event.
///
/// Cost per run: one commit for the `planned` events, then one commit per migration (a
/// migration outside a transaction commits its `started` event first, too).
final class MigrationRunner {
  struct Settings {
    var lockTimeout: Double
    var actor: LedgerActor
    var progress: ProgressHandler?
  }

  private let connection: any DatabaseConnection
  private let store: LedgerStore
  private let settings: Settings
  private var projection = LedgerProjection()

  init(connection: any DatabaseConnection, settings: Settings) {
    self.connection = connection
    self.store = LedgerStore(connection: connection)
    self.settings = settings
  }

  // MARK: - Reading

  /// The ledger's state now, read without any lock (an empty state when there is no
  /// ledger yet). Events are read without their SQL texts.
  func currentState() throws -> LedgerState {
    try catchUp()
    return projection.state
  }

  /// Folds the events appended since the last read.
  private func catchUp() throws {
    guard try store.exists() else { return }
    try store.checkFormat()
    let after = projection.state.lastSeq
    try store.forEachEvent(.withoutSQL, after: after) { projection.apply($0) }
  }

  // MARK: - Applying

  /// Applies what `Planner.applyPlan` says is pending, up to `target`.
  ///
  /// When nothing is pending, returns without taking the lock or writing anything.
  func apply(source: MigrationSource, target: Int64?) throws -> ApplyReport {
    let start = Timestamp.monotonicNanoseconds()
    let firstLook = try currentState()
    let firstPlan = try Planner.applyPlan(source: source, state: firstLook, target: target)
    if firstPlan.isEmpty, firstLook.unfinishedAttempts.isEmpty {
      return ApplyReport(
        runID: nil, applied: [], recoveredInterruptions: [],
        currentVersion: firstLook.currentVersion,
        totalMs: Timestamp.millisecondsSince(start))
    }
    guard !connection.isReadOnly else {
      throw ExecutionError.database(.readOnly(path: connection.location))
    }
    let runID = UUID().uuidString.lowercased()
    let lock = try wrapDatabaseErrors {
      try connection.acquireRunLock(
        timeout: settings.lockTimeout, owner: "\(settings.actor), run \(runID)",
        onWait: { settings.progress?(.waitingForLock(holder: $0)) })
    }
    defer { lock.release() }
    try wrapDatabaseErrors { try store.prepare() }
    try catchUp()  // another runner may have finished while we waited
    let recovered = try recordInterruptedAttempts(runID: runID)
    let plan = try Planner.applyPlan(source: source, state: projection.state, target: target)
    var report = ApplyReport(
      runID: runID, applied: [], recoveredInterruptions: recovered, currentVersion: nil,
      totalMs: 0)
    if !plan.isEmpty {
      try commit(plan.steps.map { plannedEvent(for: $0, runID: runID) })
      let foreignKeys = try wrapDatabaseErrors { try connection.foreignKeysEnabled() }
      if foreignKeys { try wrapDatabaseErrors { try connection.setForeignKeysEnabled(false) } }
      defer { if foreignKeys { try? connection.setForeignKeysEnabled(true) } }
      for migration in plan.steps {
        let step = try run(
          migration, runID: runID, checkForeignKeys: foreignKeys,
          appliedBefore: report.applied.map(\.migration))
        report.applied.append(step)
      }
    }
    report.currentVersion = projection.state.currentVersion
    report.totalMs = Timestamp.millisecondsSince(start)
    return report
  }

  // MARK: - One migration

  private func run(
    _ migration: Migration, runID: String, checkForeignKeys: Bool, appliedBefore: [String]
  ) throws -> ApplyReport.Step {
    settings.progress?(.migrationStarted(migration))
    let transactional = migration.transactionMode.isWrapped
    let started = event(.started, for: migration, runID: runID)
    let start = Timestamp.monotonicNanoseconds()
    var failure: (location: SourceLocation, error: SQLiteError)?
    var violations: [String] = []
    if transactional {
      try wrapDatabaseErrors { try connection.beginImmediate() }
      do {
        let startedEvent = try store.append(started)
        failure = runScript(migration)
        if failure == nil, checkForeignKeys {
          violations = try connection.foreignKeyViolations()
        }
        if failure == nil, violations.isEmpty {
          let applied = try store.append(
            appliedEvent(migration, runID: runID, durationMs: Timestamp.millisecondsSince(start)))
          try connection.commit()
          published([startedEvent, applied])
        } else {
          connection.rollback()
          try store.reloadTail()
        }
      } catch {
        connection.rollback()
        try? store.reloadTail()
        if let error = error as? SQLiteError { throw ExecutionError.database(error) }
        throw error
      }
    } else {
      try commit([started])
      failure = runScript(migration)
      if failure == nil, connection.isInTransaction {
        failure = (
          migration.upLocation,
          .statementFailed(
            code: 1, message: "the migration left its own transaction open (BEGIN without COMMIT)",
            sql: migration.upSQL, offset: 0)
        )
      }
      if failure != nil, connection.isInTransaction { connection.rollback() }
      if failure == nil {
        try commit([
          appliedEvent(migration, runID: runID, durationMs: Timestamp.millisecondsSince(start))
        ])
      }
    }
    let durationMs = Timestamp.millisecondsSince(start)
    if failure == nil, violations.isEmpty {
      settings.progress?(.migrationApplied(migration, durationMs: durationMs))
      return ApplyReport.Step(
        migration: migration.id, version: migration.version, durationMs: durationMs,
        transactional: transactional)
    }
    settings.progress?(.migrationFailed(migration, durationMs: durationMs))
    let error: ExecutionError
    let message: String
    let code: Int64?
    if let failure {
      error = .migrationFailed(
        migration: migration.id, location: failure.location, underlying: failure.error,
        transactional: transactional, appliedBefore: appliedBefore)
      message =
        "\(failure.location): \(failure.error)"
        + (failure.error.codeName.map { " (\($0))" } ?? "")
      code = failure.error.extendedCode.map(Int64.init)
    } else {
      error = .foreignKeyViolations(
        migration: migration.id, file: migration.upLocation.file, violations: violations)
      message = "foreign-key violations: " + violations.joined(separator: "; ")
      code = nil
    }
    var failed = event(.failed, for: migration, runID: runID)
    failed.durationMs = durationMs
    failed.sql = migration.upSQL
    failed.error = message
    failed.errorCode = code
    if !transactional { failed.detail = "ran outside a transaction; may be partly applied" }
    try commit(transactional ? [started, failed] : [failed])
    throw error
  }

  /// Runs the up SQL; returns where and why it failed, or `nil`.
  private func runScript(_ migration: Migration) -> (SourceLocation, SQLiteError)? {
    do {
      try connection.executeScript(migration.upSQL)
      return nil
    } catch let error as SQLiteError {
      guard case .statementFailed(_, _, _, let offset) = error else {
        return (migration.upLocation, error)
      }
      return (migration.upLocation.advanced(toUTF8Offset: offset, in: migration.upSQL), error)
    } catch {
      return (
        migration.upLocation,
        .statementFailed(
          code: 1, message: "\(error)", sql: migration.upSQL, offset: 0)
      )
    }
  }

  // MARK: - Interrupted runs

  /// Records, for each earlier run that planned migrations and never recorded an outcome
  /// (its process died: we hold the lock, so it is gone), a `failed` event for the
  /// migration that was in flight, in that run's name.
  private func recordInterruptedAttempts(runID: String) throws -> [UnfinishedAttempt] {
    var seen = Set<String>()
    var recorded: [UnfinishedAttempt] = []
    var events: [LedgerEvent] = []
    for attempt in projection.state.unfinishedAttempts where seen.insert(attempt.runID).inserted {
      let partly = !attempt.transactional && attempt.wasStarted
      let consequence =
        attempt.transactional
        ? "SQLite rolled its transaction back, so it is pending again"
        : attempt.wasStarted
          ? "it ran outside a transaction and may be partly applied"
          : "it had not started, so nothing of it ran"
      events.append(
        LedgerEvent(
          kind: .failed, migration: attempt.migration, version: attempt.version,
          direction: attempt.direction, checksum: attempt.checksum, runID: attempt.runID,
          actor: settings.actor,
          transactional: partly ? false : (attempt.transactional ? true : nil),
          error: "interrupted: run \(attempt.runID) by \(attempt.actor) stopped before "
            + "recording an outcome; \(consequence). Recorded by run \(runID).",
          detail: "interrupted"))
      recorded.append(attempt)
    }
    if !events.isEmpty {
      try commit(events)
      for attempt in recorded { settings.progress?(.recordedInterruption(attempt)) }
    }
    return recorded
  }

  // MARK: - Events

  private func event(_ kind: EventKind, for migration: Migration, runID: String) -> LedgerEvent {
    LedgerEvent(
      kind: kind, migration: migration.id, version: migration.version, direction: .up,
      checksum: migration.checksum, runID: runID, actor: settings.actor,
      transactional: migration.transactionMode.isWrapped)
  }

  private func plannedEvent(for migration: Migration, runID: String) -> LedgerEvent {
    var planned = event(.planned, for: migration, runID: runID)
    planned.sql = migration.upSQL
    if case .outside(let reason) = migration.transactionMode { planned.detail = reason }
    return planned
  }

  private func appliedEvent(_ migration: Migration, runID: String, durationMs: Int64)
    -> LedgerEvent
  {
    var applied = event(.applied, for: migration, runID: runID)
    applied.durationMs = durationMs
    applied.sql = migration.upSQL
    applied.downSQL = migration.downSQL
    if case .outside(let reason) = migration.transactionMode { applied.detail = reason }
    return applied
  }

  /// Appends `events` in one transaction, then folds and publishes them.
  private func commit(_ events: [LedgerEvent]) throws {
    let stored = try wrapDatabaseErrors {
      do {
        return try connection.inTransaction { try events.map { try store.append($0) } }
      } catch {
        try? store.reloadTail()
        throw error
      }
    }
    published(stored)
  }

  private func published(_ events: [LedgerEvent]) {
    for event in events {
      projection.apply(event)
      settings.progress?(.eventAppended(event))
    }
  }

  private func wrapDatabaseErrors<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as SQLiteError {
      throw ExecutionError.database(error)
    }
  }
}
