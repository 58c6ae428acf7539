import FoundationEssentials

/// Carries plans out on one connection: takes the run lock, records interrupted attempts
/// of earlier runs, optionally rehearses the plan on a scratch copy, appends `planned` /
/// `started` / `applied` / `rolled_back` / `failed` events and runs each step's SQL in its
/// own transaction together with its outcome event.
///
/// Cost per run: one commit for the `planned` events, then one commit per step (a step
/// outside a transaction commits its `started` event first, too).
final class MigrationRunner {
  struct Settings {
    var lockTimeout: Double
    var actor: LedgerActor
    var progress: ProgressHandler?
    /// Seconds between "still running" reports for a long step.
    var heartbeatInterval: Double = 10
    /// The key of a keyed hash chain, if one was given.
    var ledgerKey: LedgerKey? = nil
    /// Stops the run on request (Ctrl-C), if given.
    var cancellation: MigrationCancellation? = nil
    /// `true` for a rehearsal's runner: the steps' SQL may write only the scratch copy.
    var confinedToScratchCopy = false
  }

  let connection: any DatabaseConnection
  let store: LedgerStore
  let settings: Settings
  private(set) var projection = LedgerProjection()
  /// The run lock while a run holds it, to tell waiters what the run is doing.
  private var runLock: (any RunLock)?

  init(connection: any DatabaseConnection, settings: Settings) {
    self.connection = connection
    self.store = LedgerStore(connection: connection, key: settings.ledgerKey)
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
    try store.forEachProjectionRow(after: projection.lastSeq) { projection.apply($0) }
  }

  // MARK: - Applying

  /// Applies what `Planner.applyPlan` says is pending, up to `target`.
  ///
  /// When nothing is pending, returns without taking the lock or writing anything.
  ///
  /// With a `signature` of the migrations folder, a run that leaves the database up to
  /// date records it, so that the next startup check can skip reading the files.
  func apply(
    source: MigrationSource, target: MigrationVersion?, rehearse: Bool,
    superseded: SchemaLedger.SupersededPolicy = .refuse, allowingOutOfOrder: Bool = false,
    signature: String? = nil, lockFirst: Bool = false
  ) throws -> RunReport {
    let start = Timestamp.monotonicNanoseconds()
    let allowing = superseded != .refuse
    if lockFirst {
      // Another run holds the lock: read nothing before holding it ourselves.
      return try underRunLock(start) { _ in
        try (
          steps(
            source: source, target: target, superseded: superseded,
            allowingOutOfOrder: allowingOutOfOrder), rehearse
        )
      }
    }
    let firstLook = try currentState()
    let firstPlan = try Planner.applyPlan(
      source: source, state: firstLook, target: target, allowingSuperseded: allowing,
      allowingOutOfOrder: allowingOutOfOrder)
    let toRollBack =
      superseded == .rollBack ? Planner.supersededMigrations(source: source, state: firstLook) : []
    if firstPlan.isEmpty, toRollBack.isEmpty, firstLook.unfinishedAttempts.isEmpty {
      // "Nothing to apply" only from a ledger that is as SchemaLedger left it: a forged
      // event must not make a pending migration look applied.
      try store.checkIntegrity(anchoring: false)
      return noOpReport(start)
    }
    let report = try underRunLock(start) { _ in
      try (
        steps(
          source: source, target: target, superseded: superseded,
          allowingOutOfOrder: allowingOutOfOrder), rehearse
      )
    }
    if let signature {
      let state = projection.state
      let remaining = try? Planner.applyPlan(
        source: source, state: state, allowingSuperseded: allowing,
        allowingOutOfOrder: allowingOutOfOrder)
      // Only a state every policy agrees is up to date: no superseded migrations at all,
      // so a later call with a stricter policy still refuses them.
      let upToDate =
        remaining?.isEmpty == true && state.unfinishedAttempts.isEmpty
        && Planner.supersededMigrations(source: source, state: state).isEmpty
      if upToDate {
        // A cache write after the run; if it fails, startup simply reads the files.
        try? store.recordStartupCheck(
          StartupCheckRecord(
            seq: state.lastSeq, version: state.currentVersion, signature: signature,
            layout: source.layout,
            downSectionEdited: try LedgerAuditor(connection: connection)
              .downSectionEdited(state: state, source: source)))
      }
    }
    return report
  }

  /// `true` when the ledger still ends where the last up-to-date run left it and the
  /// migrations folder has the same signature: nothing can be pending. Reads two values;
  /// takes no lock and writes nothing.
  func isKnownUpToDate(signature: String) throws -> StartupCheckRecord? {
    // No ledger (or no meta table): then the full check decides. A format this build
    // refuses throws.
    guard let check = try store.startupCheck(), let record = check.record,
      record.signature == signature, check.lastSeq == record.seq
    else { return nil }
    return record
  }

  // MARK: - Rolling back

  /// Rolls back what `Planner.rollbackPlan` selects for `target`, using the recorded down
  /// SQL. When nothing is selected, returns without taking the lock or writing anything.
  func rollback(target: RollbackTarget, rehearse: Bool) throws -> RunReport {
    let start = Timestamp.monotonicNanoseconds()
    let firstLook = try currentState()
    let firstPlan = try Planner.rollbackPlan(state: firstLook, target: target)
    if firstPlan.isEmpty, firstLook.unfinishedAttempts.isEmpty {
      return noOpReport(start)
    }
    return try underRunLock(start) { runID in
      let plan = try loadingDownSQL(
        Planner.rollbackPlan(state: projection.state, target: target))
      return (plan.steps.map(ExecutionStep.down), rehearse)
    }
  }

  /// The steps of an apply run from the fresh state under the lock: superseded migrations
  /// rolled back first when the policy says so, then the pending ones.
  private func steps(
    source: MigrationSource, target: MigrationVersion?,
    superseded: SchemaLedger.SupersededPolicy, allowingOutOfOrder: Bool
  ) throws -> [ExecutionStep] {
    var steps: [ExecutionStep] = []
    if superseded == .rollBack {
      let ids = Planner.supersededMigrations(source: source, state: projection.state)
      if !ids.isEmpty {
        let plan = try Planner.rollbackPlan(state: projection.state, target: .migrations(ids))
        steps += try loadingDownSQL(plan).steps.map(ExecutionStep.down)
      }
    }
    let plan = try Planner.applyPlan(
      source: source, state: projection.state, target: target,
      allowingSuperseded: superseded != .refuse, allowingOutOfOrder: allowingOutOfOrder)
    let late = Set(plan.outOfOrder)
    steps += try plan.steps.map { migration in
      ExecutionStep.up(
        migration, outOfOrderAfter: late.contains(migration.id) ? plan.newestApplied : nil,
        previousSQL: try previousApplicationSQL(of: migration))
    }
    return steps
  }

  /// The SQL of the application in force of a repeatable migration (`nil` for one not
  /// applied, and for a versioned migration).
  private func previousApplicationSQL(of migration: Migration) throws -> String? {
    guard migration.isRepeatable, let record = projection.state.migrations[migration.id],
      record.status == .applied, let seq = record.appliedSeq
    else { return nil }
    return try store.recordedSQL(seq: seq)
  }

  /// Reports a wait for the run lock: once, then a heartbeat with what the holder does.
  func lockWaitReporter() -> (String) -> Void {
    let start = Timestamp.monotonicNanoseconds()
    var announced = false
    return { [settings] holder in
      if announced {
        let seconds = Int(Timestamp.millisecondsSince(start) / 1000)
        settings.progress?(.stillWaitingForLock(holder: holder, seconds: seconds))
      } else {
        announced = true
        settings.progress?(.waitingForLock(holder: holder))
      }
    }
  }

  /// `plan` with each step's recorded down SQL read from the ledger.
  func loadingDownSQL(_ plan: RollbackPlan) throws -> RollbackPlan {
    var plan = plan
    for index in plan.steps.indices {
      plan.steps[index].downSQL = try store.recordedDownSQL(seq: plan.steps[index].appliedSeq)
    }
    return plan
  }

  // MARK: - One run under the lock

  /// Takes the run lock, prepares and re-reads the ledger, records interrupted attempts,
  /// asks `plan` (with the fresh state) for the steps, then rehearses and runs them.
  private func underRunLock(
    _ start: UInt64, plan: (String) throws -> (steps: [ExecutionStep], rehearse: Bool)
  ) throws -> RunReport {
    guard !connection.isReadOnly else {
      throw ExecutionError.database(.readOnly(path: connection.location))
    }
    let runID = UUID().uuidString.lowercased()
    let lock = try wrapDatabaseErrors {
      try connection.acquireRunLock(
        timeout: settings.lockTimeout, owner: "\(settings.actor), run \(runID)",
        onWait: lockWaitReporter())
    }
    runLock = lock
    defer {
      runLock = nil
      lock.release()
    }
    reportLockWaits()
    defer { connection.reportLockWaits(every: settings.heartbeatInterval, nil) }
    try wrapDatabaseErrors { try store.prepare(runID: runID, actor: settings.actor) }
    try catchUp()  // another runner may have finished while we waited
    var report = RunReport(
      runID: runID, steps: [], recoveredInterruptions: try recordInterruptedAttempts(runID: runID),
      rehearsed: false, currentVersion: nil, totalMs: 0)
    let (steps, rehearse) = try plan(runID)
    if !steps.isEmpty {
      if rehearse {
        try rehearseSteps(steps, runID: runID)
        report.rehearsed = true
      }
      report.steps = try run(steps, runID: runID)
    }
    report.currentVersion = projection.state.currentVersion
    report.totalMs = Timestamp.millisecondsSince(start)
    report.head = store.lastSeq > 0 ? LedgerHead(seq: store.lastSeq, hash: store.lastHash) : nil
    return report
  }

  /// Reports waits for SQLite's write lock from now on. Called under the run lock, where
  /// the holder cannot be another SchemaLedger run.
  func reportLockWaits() {
    let progress = settings.progress
    let location = connection.location
    let timeout = settings.lockTimeout
    connection.reportLockWaits(every: settings.heartbeatInterval) { waited in
      progress?(
        .waitingForDatabaseLock(
          database: location, waitedSeconds: waited, timeoutSeconds: timeout))
    }
  }

  private func noOpReport(_ start: UInt64) -> RunReport {
    RunReport(
      runID: nil, steps: [], recoveredInterruptions: [], rehearsed: false,
      currentVersion: projection.state.currentVersion,
      totalMs: Timestamp.millisecondsSince(start))
  }

  /// Commits the `planned` events, then runs every step in order, stopping at the first
  /// failure.
  ///
  /// Foreign keys, when the connection enforces them: a step in a transaction runs with
  /// enforcement switched off (SQLite ignores the switch inside a transaction, and a table
  /// rebuild must not cascade-delete), and `PRAGMA foreign_key_check` runs before its
  /// commit instead; a step outside a transaction runs with enforcement on, and is checked
  /// after. Only violations that were not there before the run count against a step.
  private func run(_ steps: [ExecutionStep], runID: String) throws -> [RunReport.Step] {
    // The run's texts are stored with its `planned` events, the down SQL that apply steps
    // will record included: each step's commit then writes no text (one statement and one
    // page less per step). A step that fails leaves its down SQL stored, named by no event.
    try commit(
      steps.map { plannedEvent(for: $0, runID: runID) },
      alsoStoring: steps.compactMap { $0.direction == .up ? $0.recordedDownSQL : nil })
    let foreignKeys = try wrapDatabaseErrors { try connection.foreignKeysEnabled() }
    let baseline =
      foreignKeys ? Set(try wrapDatabaseErrors { try connection.foreignKeyViolations() }) : []
    // Switching enforcement clears SQLite's foreign-key cache for every table: switch only
    // when the next step needs the other setting, and restore it at the end.
    var enforcing = foreignKeys
    defer { if enforcing != foreignKeys { try? connection.setForeignKeysEnabled(foreignKeys) } }
    var done: [RunReport.Step] = []
    for (index, step) in steps.enumerated() {
      if let reason = settings.cancellation?.reason {
        try recordStopBeforeStart(step, runID: runID, reason: reason)
        throw ExecutionError.cancelled(
          reason: reason, migration: step.migration, whileRunning: false,
          transactional: step.isTransactional, completedBefore: done.map(\.migration))
      }
      let verb = step.direction == .up ? "applying" : "rolling back"
      runLock?.annotate(
        "\(verb) \(step.migration) (step \(index + 1) of \(steps.count)) since \(Timestamp.now())")
      if foreignKeys, enforcing != !step.isTransactional {
        enforcing = !step.isTransactional
        try wrapDatabaseErrors { try connection.setForeignKeysEnabled(enforcing) }
      }
      done.append(
        try run(
          step, runID: runID,
          foreignKeys: foreignKeys ? ForeignKeyCheck(baseline: baseline) : nil,
          completedBefore: done.map(\.migration), isLast: index == steps.count - 1))
    }
    return done
  }

  /// Foreign-key violations already present when the run started.
  private struct ForeignKeyCheck {
    var baseline: Set<String>
  }

  /// Violations present now that were not there when the run started.
  private func newViolations(_ check: ForeignKeyCheck?) throws -> [String] {
    guard let check else { return [] }
    return try connection.foreignKeyViolations().filter { !check.baseline.contains($0) }
  }

  // MARK: - Rehearsal

  /// Runs `steps` on a scratch copy of the database and records the verdict in the real
  /// ledger (a `rehearsed` event). Throws `rehearsalFailed` when a step fails there, and
  /// `rehearsalNotIsolated` when a step's SQL would write another file (its statement is
  /// refused before it runs, so nothing outside the copy is written).
  private func rehearseSteps(_ steps: [ExecutionStep], runID: String) throws {
    settings.progress?(.rehearsing(steps: steps.count))
    runLock?.annotate(
      "rehearsing \(steps.count) step(s) on a scratch copy since \(Timestamp.now())")
    let direction = steps[0].direction
    let verb = direction == .up ? "apply" : "rollback"
    let plan = steps.map(\.migration).joined(separator: ", ")
    var failure: (migration: String, reason: String)?
    // A step whose SQL would write outside the copy: the plan cannot be rehearsed.
    var leavesCopy: (migration: String, location: SourceLocation, refusal: ScriptRefusal)?
    do {
      let copy: any DatabaseConnection
      do {
        copy = try connection.scratchCopy()
      } catch let error as SQLiteError {
        // Nothing was rehearsed: no verdict to record.
        settings.progress?(.rehearsed(failure: "the scratch copy could not be made"))
        throw ExecutionError.database(error)
      }
      let rehearsal = MigrationRunner(
        connection: copy,
        settings: Settings(
          lockTimeout: settings.lockTimeout, actor: settings.actor,
          ledgerKey: settings.ledgerKey, confinedToScratchCopy: true))
      do {
        try wrapDatabaseErrors { try rehearsal.store.prepare(runID: runID, actor: settings.actor) }
        try rehearsal.catchUp()
        _ = try rehearsal.run(steps, runID: runID)
      } catch let error as ExecutionError {
        // The copy failed (full, I/O), not the plan: no verdict either.
        let failed: (String?, SQLiteError)? =
          switch error {
          case .stepDatabaseFailed(let migration, _, _, _, let underlying): (migration, underlying)
          case .database(let underlying): (nil, underlying)
          default: nil
          }
        if let (migration, underlying) = failed {
          settings.progress?(.rehearsed(failure: "the scratch copy failed"))
          throw ExecutionError.database(
            .scratchCopyFailed(
              database: connection.location, copy: copy.location, migration: migration,
              underlying: underlying.onFile(copy.location)))
        }
        throw error
      }
    } catch let error as ExecutionError where !error.isDatabaseFailure {
      let failed = steps.first { step in
        if case .migrationFailed(let id, _, _, _, _, _) = error { return step.migration == id }
        if case .foreignKeyViolations(let id, _, _, _) = error { return step.migration == id }
        return false
      }
      failure = (failed?.migration ?? steps[0].migration, error.summary)
      if case .migrationFailed(
        let id, _, let location, .statementRefused(let refusal, _, _), _, _) =
        error, refusal.leavesDatabaseFile
      {
        leavesCopy = (id, location, refusal)
      }
    }
    settings.progress?(.rehearsed(failure: failure?.reason))
    var verdict = LedgerEvent(
      kind: .rehearsed, direction: direction, runID: runID, actor: settings.actor,
      detail: failure.map { "failed at \($0.migration): \(verb) of \(plan)" }
        ?? "passed: \(verb) of \(plan)")
    verdict.error = failure?.reason
    try commit([verdict])
    if let leavesCopy {
      throw ExecutionError.rehearsalNotIsolated(
        migration: leavesCopy.migration, direction: direction, location: leavesCopy.location,
        refusal: leavesCopy.refusal)
    }
    if let failure {
      throw ExecutionError.rehearsalFailed(
        migration: failure.migration, direction: direction, reason: failure.reason)
    }
  }

  // MARK: - One step

  private func run(
    _ step: ExecutionStep, runID: String, foreignKeys: ForeignKeyCheck?,
    completedBefore: [String], isLast: Bool
  ) throws -> RunReport.Step {
    settings.progress?(.stepStarted(step))
    let started = event(.started, for: step, runID: runID)
    let start = Timestamp.monotonicNanoseconds()
    var failure: (location: SourceLocation, error: SQLiteError)?
    var violations: [String] = []
    if step.isTransactional {
      do {
        try connection.beginImmediate()
        failure = try runScript(step)
        if failure == nil { violations = try newViolations(foreignKeys) }
        if failure == nil, violations.isEmpty {
          let durationMs = Timestamp.millisecondsSince(start)
          let fingerprint = isLast ? try schemaFingerprint() : nil
          // `started` (stamped when the step began) and the outcome go in together, in
          // the step's transaction: one INSERT, and nothing of them if it rolls back.
          let stored = try store.append([
            started,
            outcomeEvent(step, runID: runID, durationMs: durationMs, fingerprint: fingerprint),
          ])
          try connection.commit()
          store.noteCommitted(stored)
          published(stored)
        } else {
          connection.rollback()
        }
      } catch {
        connection.rollback()
        try? store.reloadTail()
        // The database, not the migration, failed (busy, full, I/O). Record it if we still
        // can, so the next run does not mistake this attempt for a crash.
        var failed = event(.failed, for: step, runID: runID)
        failed.error = "the database failed around this step: \(error)"
        failed.errorCode = (error as? SQLiteError)?.extendedCode.map(Int64.init)
        failed.detail = "database error"
        let recorded = (try? commit([started, failed])) != nil
        settings.progress?(.stepFailed(step, durationMs: Timestamp.millisecondsSince(start)))
        if let error = error as? SQLiteError {
          throw ExecutionError.stepDatabaseFailed(
            migration: step.migration, direction: step.direction, transactional: true,
            recorded: recorded, underlying: error)
        }
        throw error
      }
    } else {
      try commit([started])
      do {
        failure = try runScript(step)
      } catch let error as SQLiteError {
        // The database failed part-way through SQL that has no transaction to undo it.
        if connection.isInTransaction { connection.rollback() }
        var failed = event(.failed, for: step, runID: runID)
        failed.error =
          "the database failed during this step, which ran outside a transaction, so the "
          + "statements before the failure stay done: \(error)"
        failed.errorCode = error.extendedCode.map(Int64.init)
        failed.detail = "database error"
        failed.durationMs = Timestamp.millisecondsSince(start)
        let recorded = (try? commit([failed])) != nil
        settings.progress?(.stepFailed(step, durationMs: Timestamp.millisecondsSince(start)))
        throw ExecutionError.stepDatabaseFailed(
          migration: step.migration, direction: step.direction, transactional: false,
          recorded: recorded, underlying: error)
      }
      if failure == nil, connection.isInTransaction {
        failure = (
          step.location,
          .statementFailed(
            code: 1, message: "the SQL left its own transaction open (BEGIN without COMMIT)",
            sql: step.sql, offset: 0)
        )
      }
      if failure != nil, connection.isInTransaction { connection.rollback() }
      if failure == nil { violations = (try? newViolations(foreignKeys)) ?? [] }
      if failure == nil, violations.isEmpty {
        let durationMs = Timestamp.millisecondsSince(start)
        let fingerprint = isLast ? try wrapDatabaseErrors { try schemaFingerprint() } : nil
        try commit([
          outcomeEvent(step, runID: runID, durationMs: durationMs, fingerprint: fingerprint)
        ])
      }
    }
    let durationMs = Timestamp.millisecondsSince(start)
    if failure == nil, violations.isEmpty {
      settings.progress?(.stepSucceeded(step, durationMs: durationMs))
      return RunReport.Step(
        migration: step.migration, version: step.version, direction: step.direction,
        durationMs: durationMs, transactional: step.isTransactional)
    }
    settings.progress?(.stepFailed(step, durationMs: durationMs))
    let error: ExecutionError
    var failed = event(.failed, for: step, runID: runID)
    failed.durationMs = durationMs
    failed.sql = step.sql
    if let failure {
      error = .migrationFailed(
        migration: step.migration, direction: step.direction, location: failure.location,
        underlying: failure.error, transactional: step.isTransactional,
        completedBefore: completedBefore)
      failed.error =
        "\(failure.location): \(failure.error)"
        + (failure.error.codeName.map { " (\($0))" } ?? "")
      failed.errorCode = failure.error.extendedCode.map(Int64.init)
    } else {
      error = .foreignKeyViolations(
        migration: step.migration, file: step.location.file, violations: violations,
        transactional: step.isTransactional)
      failed.error = "foreign-key violations: " + violations.joined(separator: "; ")
    }
    if !step.isTransactional { failed.detail = "ran outside a transaction; may be partly done" }
    let stop = settings.cancellation?.reason
    if let stop {
      // The operator stopped the run: say so, rather than blame the SQL.
      failed.error =
        "stopped by the operator (\(stop)) while it ran; "
        + (step.isTransactional
          ? "its transaction was rolled back" : "it ran outside a transaction")
      failed.errorCode = nil
      failed.detail =
        step.isTransactional
        ? "stopped by the operator" : "stopped by the operator; may be partly done"
    }
    failed.schemaFingerprint = try? schemaFingerprint()  // the schema as this run leaves it
    try commit(step.isTransactional ? [started, failed] : [failed])
    if let stop {
      throw ExecutionError.cancelled(
        reason: stop, migration: step.migration, whileRunning: true,
        transactional: step.isTransactional, completedBefore: completedBefore)
    }
    if step.direction == .up, let failure, failure.error.description.contains("already exists"),
      let baseline = try? store.lastBaseline()
    {
      throw ExecutionError.failedAfterBaseline(
        error, baselineVersion: baseline.version, baselineSeq: baseline.seq)
    }
    throw error
  }

  /// Records that `step`, planned, never started because the operator stopped the run:
  /// a `failed` event that closes the run's plan (nothing of it ran).
  private func recordStopBeforeStart(_ step: ExecutionStep, runID: String, reason: String)
    throws
  {
    var failed = event(.failed, for: step, runID: runID)
    failed.transactional = step.isTransactional ? true : nil
    failed.error =
      "stopped by the operator (\(reason)) before it started; nothing of it ran"
    failed.detail = "stopped by the operator"
    failed.schemaFingerprint = try? schemaFingerprint()
    try commit([failed])
  }

  /// Runs the step's SQL; returns where and why it failed, or `nil`. Throws when the
  /// database failed rather than the SQL (`SQLiteError.isDatabaseFailure`).
  ///
  /// The SQL runs under a guard (SQLite's authorizer): it may read the ledger's objects
  /// but not change them, and in a rehearsal it may not write outside the scratch copy.
  /// The guard is off again when the script returns, before the step's events are
  /// appended in the same transaction.
  private func runScript(_ step: ExecutionStep) throws -> (SourceLocation, SQLiteError)? {
    guard let cancellation = settings.cancellation else { return try runScriptNow(step) }
    return try cancellation.interruptible(connection) { try runScriptNow(step) }
  }

  private func runScriptNow(_ step: ExecutionStep) throws -> (SourceLocation, SQLiteError)? {
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
    } catch let error as SQLiteError {
      if error.isDatabaseFailure { throw error }
      guard let offset = error.offset else { return (step.location, error) }
      return (step.location.advanced(toUTF8Offset: offset, in: step.sql), error)
    } catch {
      return (
        step.location,
        .statementFailed(code: 1, message: "\(error)", sql: step.sql, offset: 0)
      )
    }
  }

  // MARK: - Interrupted runs

  /// Records, for each earlier run that planned steps and never recorded an outcome (its
  /// process died: we hold the lock, so it is gone), a `failed` event for the step that
  /// was in flight, in that run's name.
  func recordInterruptedAttempts(runID: String) throws -> [UnfinishedAttempt] {
    var seen = Set<String>()
    var recorded: [UnfinishedAttempt] = []
    var events: [LedgerEvent] = []
    for attempt in projection.state.unfinishedAttempts
    where seen.insert(attempt.runID).inserted {
      let partly = !attempt.transactional && attempt.wasStarted
      let consequence =
        attempt.transactional
        ? (attempt.direction == .up
          ? "SQLite rolled its transaction back, so it is pending again"
          : "SQLite rolled its transaction back, so it is still applied")
        : attempt.wasStarted
          ? "it ran outside a transaction and may be partly done"
          : "it had not started, so nothing of it ran"
      events.append(
        LedgerEvent(
          kind: .failed, migration: attempt.migration, version: attempt.version.recorded,
          direction: attempt.direction, checksum: attempt.checksum, runID: attempt.runID,
          actor: settings.actor,
          transactional: partly ? false : (attempt.transactional ? true : nil),
          error: "interrupted: run \(attempt.runID) by \(attempt.actor) stopped before "
            + "recording an outcome; \(consequence). Recorded by run \(runID).",
          detail: "interrupted", schemaFingerprint: try? schemaFingerprint()))
      recorded.append(attempt)
    }
    if !events.isEmpty {
      try commit(events)
      for attempt in recorded { settings.progress?(.recordedInterruption(attempt)) }
    }
    return recorded
  }

  // MARK: - Events

  private func event(_ kind: EventKind, for step: ExecutionStep, runID: String) -> LedgerEvent {
    LedgerEvent(
      kind: kind, migration: step.migration, version: step.version.recorded,
      direction: step.direction,
      checksum: step.checksum, runID: runID, actor: settings.actor,
      transactional: step.isTransactional)
  }

  private func plannedEvent(for step: ExecutionStep, runID: String) -> LedgerEvent {
    var planned = event(.planned, for: step, runID: runID)
    planned.sql = step.sql
    planned.detail = detail(of: step)
    planned.dependsOn = step.dependencies.isEmpty ? nil : step.dependencies
    return planned
  }

  private func outcomeEvent(
    _ step: ExecutionStep, runID: String, durationMs: Int64, fingerprint: String?
  ) -> LedgerEvent {
    var outcome = event(step.direction == .up ? .applied : .rolledBack, for: step, runID: runID)
    outcome.durationMs = durationMs
    outcome.sql = step.sql
    outcome.downSQL = step.direction == .up ? step.recordedDownSQL : nil
    if let restored = step.restoredChecksum { outcome.checksum = restored }
    outcome.detail = detail(of: step)
    outcome.dependsOn = step.dependencies.isEmpty ? nil : step.dependencies
    outcome.schemaFingerprint = fingerprint
    return outcome
  }

  /// Why the step runs outside a transaction, and its note, for the events' `detail`.
  private func detail(of step: ExecutionStep) -> String? {
    let parts = [step.outsideReason, step.note].compactMap { $0 }
    return parts.isEmpty ? nil : parts.joined(separator: "; ")
  }

  /// The fingerprint of the application's schema now. Recorded on the last event of each
  /// run (the schema as the run leaves it), not on every step: drift happens between runs,
  /// and reading the whole schema after every step would cost O(steps × objects).
  private func schemaFingerprint() throws -> String {
    try SchemaSnapshot.read(from: connection).fingerprint
  }

  /// Appends `events` (and stores `extraTexts`) in one transaction, then folds and
  /// publishes them.
  @discardableResult
  func commit(_ events: [LedgerEvent], alsoStoring extraTexts: [String] = []) throws
    -> [LedgerEvent]
  {
    let stored = try wrapDatabaseErrors {
      do {
        return try connection.inTransaction {
          try store.append(events, alsoStoring: extraTexts)
        }
      } catch {
        try? store.reloadTail()
        throw error
      }
    }
    store.noteCommitted(stored, extraTexts: extraTexts)
    published(stored)
    return stored
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
