import FoundationEssentials

/// One step: its SQL in SchemaLedger's transaction or outside one, then its events.
extension MigrationRunner {
  /// Runs `step` and records its outcome; throws the step's error when it failed.
  func run(
    _ step: ExecutionStep, runID: String, foreignKeys: ForeignKeyCheck?,
    completedBefore: [String], isLast: Bool
  ) throws -> RunReport.Step {
    settings.progress?(.stepStarted(step))
    let events = stepEvents(of: step, runID: runID)
    let started = events.started
    let start = Timestamp.monotonicNanoseconds()
    let outcome =
      step.isTransactional
      ? try runInTransaction(events, started: started, since: start, foreignKeys, isLast: isLast)
      : try runOutsideTransaction(
        events, started: started, since: start, foreignKeys, isLast: isLast)
    let durationMs = Timestamp.millisecondsSince(start)
    guard let error = outcome.error(of: step, completedBefore: completedBefore) else {
      settings.progress?(.stepSucceeded(step, durationMs: durationMs))
      return RunReport.Step(
        migration: step.migration, version: step.version, direction: step.direction,
        durationMs: durationMs, transactional: step.isTransactional)
    }
    settings.progress?(.stepFailed(step, durationMs: durationMs))
    let stop = settings.cancellation?.reason
    // The schema as this run leaves it.
    let failed = events.failed(
      outcome, durationMs: durationMs, stoppedBy: stop, fingerprint: try? schemaFingerprint())
    try commit(step.isTransactional ? [started, failed] : [failed])
    if let stop {
      throw ExecutionError.cancelled(
        reason: stop, migration: step.migration, whileRunning: true,
        transactional: step.isTransactional, completedBefore: completedBefore)
    }
    if step.direction == .up, case .sqlFailed(_, let underlying) = outcome,
      underlying.description.contains("already exists"),
      let baseline = try? store.lastBaseline()
    {
      throw ExecutionError.failedAfterBaseline(
        error, baselineVersion: baseline.version, baselineSeq: baseline.seq)
    }
    throw error
  }

  /// Runs the step's SQL in a transaction that, when it succeeds, also appends `started`
  /// (stamped when the step began) and the outcome: one INSERT, and nothing of them if it
  /// rolls back. A failed step's transaction is rolled back; its events are the caller's.
  private func runInTransaction(
    _ events: StepEvents, started: LedgerEvent, since start: UInt64,
    _ foreignKeys: ForeignKeyCheck?, isLast: Bool
  ) throws -> StepOutcome {
    let step = events.step
    do {
      try connection.beginImmediate()
      let failure = try runScript(step)
      let outcome = StepOutcome(
        failure: failure, violations: failure == nil ? try newViolations(foreignKeys) : [])
      guard case .succeeded = outcome else {
        connection.rollback()
        return outcome
      }
      let durationMs = Timestamp.millisecondsSince(start)
      let fingerprint = isLast ? try schemaFingerprint() : nil
      let stored = try store.append([
        started, events.succeeded(durationMs: durationMs, fingerprint: fingerprint),
      ])
      try connection.commit()
      store.noteCommitted(stored)
      published(stored)
      return .succeeded
    } catch {
      connection.rollback()
      try? store.reloadTail()
      // The database, not the migration, failed (busy, full, I/O); `started` went with the
      // transaction.
      throw databaseFailed(error, events, recording: [started], since: start)
    }
  }

  /// Commits `started`, runs the step's SQL with no transaction of ours (what ran stays
  /// done), and on success commits the outcome.
  private func runOutsideTransaction(
    _ events: StepEvents, started: LedgerEvent, since start: UInt64,
    _ foreignKeys: ForeignKeyCheck?, isLast: Bool
  ) throws -> StepOutcome {
    let step = events.step
    try commit([started])
    var failure: (SourceLocation, any DatabaseError)?
    do {
      failure = try runScript(step)
    } catch let error as any DatabaseError {
      // The database failed part-way through SQL that has no transaction to undo it.
      if connection.isInTransaction { connection.rollback() }
      throw databaseFailed(error, events, recording: [], since: start)
    }
    // SQL that opened its own transaction and never ended it: that transaction is rolled
    // back, and the step failed (SchemaLedger, not the database, found it).
    let leftOpen = failure == nil && connection.isInTransaction
    if connection.isInTransaction { connection.rollback() }
    let outcome =
      leftOpen
      ? .leftTransactionOpen(location: step.location)
      : StepOutcome(
        failure: failure,
        violations: failure == nil ? ((try? newViolations(foreignKeys)) ?? []) : [])
    if case .succeeded = outcome {
      let durationMs = Timestamp.millisecondsSince(start)
      let fingerprint = isLast ? try wrapDatabaseErrors { try schemaFingerprint() } : nil
      try commit([events.succeeded(durationMs: durationMs, fingerprint: fingerprint)])
    }
    return outcome
  }

  /// Records that the database failed during the step, after `earlier` (the events its
  /// failure took with it), if it still lets us, so that the next run does not mistake
  /// the attempt for a crash; tells the progress handler; returns what to throw.
  private func databaseFailed(
    _ error: any Error, _ events: StepEvents, recording earlier: [LedgerEvent],
    since start: UInt64
  ) -> any Error {
    let step = events.step
    let transactional = step.isTransactional
    let failed = events.databaseFailed(
      error, durationMs: transactional ? nil : Timestamp.millisecondsSince(start))
    let recorded = (try? commit(earlier + [failed])) != nil
    settings.progress?(.stepFailed(step, durationMs: Timestamp.millisecondsSince(start)))
    guard let error = error as? any DatabaseError else { return error }
    return ExecutionError.stepDatabaseFailed(
      migration: step.migration, direction: step.direction, transactional: transactional,
      recorded: recorded, underlying: error)
  }

  /// The events of `step` in run `runID`, by this runner's actor, with the settings the
  /// engine runs a step's transaction with.
  func stepEvents(of step: ExecutionStep, runID: String) -> StepEvents {
    StepEvents(step: step, runID: runID, actor: settings.actor, settings: connection.stepSettings)
  }

  /// Records that `step`, planned, never started because the operator stopped the run.
  func recordStopBeforeStart(_ step: ExecutionStep, runID: String, reason: String) throws {
    let events = stepEvents(of: step, runID: runID)
    try commit([events.stoppedBeforeStart(reason: reason, fingerprint: try? schemaFingerprint())])
  }

  /// Runs the step's SQL; returns where and why it failed, or `nil`. Throws when the
  /// database failed rather than the SQL (`DatabaseError.isDatabaseFailure`), and any error
  /// that is not the database's as it is (never dressed up as a SQLite error).
  ///
  /// The SQL runs under a guard (SQLite's authorizer): it may read the ledger's objects
  /// but not change them, and in a rehearsal it may not write outside the scratch copy.
  /// The guard is off again when the script returns, before the step's events are
  /// appended in the same transaction.
  private func runScript(_ step: ExecutionStep) throws -> (SourceLocation, any DatabaseError)? {
    guard let cancellation = settings.cancellation else { return try runScriptNow(step) }
    return try cancellation.interruptible(connection) { try runScriptNow(step) }
  }

  private func runScriptNow(_ step: ExecutionStep) throws -> (SourceLocation, any DatabaseError)? {
    let progress = settings.progress
    let cancellation = settings.cancellation
    // A cancellation is checked by the progress handler as the SQL runs, so a stop that
    // arrives just before the first statement starts is not missed.
    let heartbeat =
      progress == nil && cancellation == nil
      ? nil
      : ScriptHeartbeat(
        interval: settings.heartbeatInterval,
        shouldStop: cancellation.map { cancellation in { cancellation.reason != nil } }
      ) { beat in
        progress?(.stepStillRunning(step, beat: beat))
      }
    do {
      try connection.executeScript(
        step.sql, heartbeat: heartbeat,
        guardedBy: ScriptGuard(
          protectedPrefix: LedgerSchema.objectPrefix, confined: settings.confinedToScratchCopy))
      return nil
    } catch let error as any DatabaseError {
      if error.isDatabaseFailure { throw error }
      guard let offset = error.offset else { return (step.location, error) }
      return (step.location.advanced(toUTF8Offset: offset, in: step.sql), error)
    }
  }
}
