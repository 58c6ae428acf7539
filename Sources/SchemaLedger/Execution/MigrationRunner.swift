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
  let settings: Settings
  /// The ledger as this runner has read and appended it.
  let reader: LedgerReader
  var store: LedgerStore { reader.store }
  var projection: LedgerProjection { reader.projection }
  /// The run lock while a run holds it, to tell waiters what the run is doing.
  var runLock: (any RunLock)?

  init(connection: any DatabaseConnection, settings: Settings) {
    self.connection = connection
    self.reader = LedgerReader(store: LedgerStore(connection: connection, key: settings.ledgerKey))
    self.settings = settings
  }

  // MARK: - Reading

  /// The ledger's state now, read without any lock (`LedgerReader.currentState`).
  func currentState() throws -> LedgerState { try reader.currentState() }

  /// Folds the events appended since the last read.
  func catchUp() throws { try reader.catchUp() }

  // MARK: - Applying

  /// Applies what `Planner.applyPlan` says is pending, up to `target`.
  ///
  /// When nothing is pending, returns without taking the lock or writing anything.
  ///
  /// With a `signature` of the migrations folder, a run that leaves the database up to
  /// date records it, so that the next startup check can skip reading the files.
  func apply(
    source: MigrationSource, target: MigrationVersion?, rehearse: Bool,
    superseded: SupersededPolicy = .refuse, allowingOutOfOrder: Bool = false,
    signature: String? = nil, lockFirst: Bool = false
  ) throws -> RunReport {
    let start = Timestamp.monotonicNanoseconds()
    let run = {
      try self.underRunLock(start) { _ in
        try (
          self.steps(
            source: source, target: target, superseded: superseded,
            allowingOutOfOrder: allowingOutOfOrder), rehearse
        )
      }
    }
    // Another run holds the lock: read nothing before holding it ourselves.
    if lockFirst { return try run() }
    let firstLook = try currentState()
    let firstPlan = try Planner.applyPlan(
      source: source, state: firstLook, target: target,
      allowingSuperseded: superseded != .refuse, allowingOutOfOrder: allowingOutOfOrder)
    let toRollBack =
      superseded == .rollBack ? Planner.supersededMigrations(source: source, state: firstLook) : []
    if firstPlan.isEmpty, toRollBack.isEmpty, firstLook.unfinishedAttempts.isEmpty {
      // "Nothing to apply" only from a ledger that is as SchemaLedger left it: a forged
      // event must not make a pending migration look applied.
      try store.checkIntegrity(anchoring: false)
      return noOpReport(start)
    }
    let report = try run()
    if let signature {
      recordUpToDate(source: source, signature: signature, allowingOutOfOrder: allowingOutOfOrder)
    }
    return report
  }

  /// Records, when the run left the database up to date, the folder's `signature` for the
  /// next startup check. A cache write after the run: if it fails, startup simply reads
  /// the files.
  private func recordUpToDate(
    source: MigrationSource, signature: String, allowingOutOfOrder: Bool
  ) {
    let state = projection.state
    guard Planner.isUpToDate(source: source, state: state, allowingOutOfOrder: allowingOutOfOrder)
    else { return }
    try? store.recordStartupCheck(
      StartupCheckRecord(
        seq: state.lastSeq, version: state.currentVersion, signature: signature,
        layout: source.layout,
        downSectionEdited: try store.downSectionEdited(state: state, source: source)))
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
      let plan = try reader.loadingDownSQL(
        Planner.rollbackPlan(state: projection.state, target: target))
      return (plan.steps.map(ExecutionStep.down), rehearse)
    }
  }

  /// The steps of an apply run from the fresh state under the lock: superseded migrations
  /// rolled back first when the policy says so, then the pending ones.
  private func steps(
    source: MigrationSource, target: MigrationVersion?,
    superseded: SupersededPolicy, allowingOutOfOrder: Bool
  ) throws -> [ExecutionStep] {
    var steps: [ExecutionStep] = []
    if superseded == .rollBack {
      let ids = Planner.supersededMigrations(source: source, state: projection.state)
      if !ids.isEmpty {
        let plan = try Planner.rollbackPlan(state: projection.state, target: .migrations(ids))
        steps += try reader.loadingDownSQL(plan).steps.map(ExecutionStep.down)
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

}
