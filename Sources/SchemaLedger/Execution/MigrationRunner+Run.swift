import FoundationEssentials

/// One run under the run lock: the lock, the fresh state, interrupted attempts, then the
/// planned events and the steps in order; and the commit every event goes through.
extension MigrationRunner {
  // MARK: - One run under the lock

  /// Asks `plan` (with the fresh state, under the run lock) for the steps, then rehearses
  /// and runs them.
  func underRunLock(
    _ start: UInt64, plan: (String) throws -> (steps: [ExecutionStep], rehearse: Bool)
  ) throws -> RunReport {
    try withRunLock { runID, recovered in
      var report = RunReport(
        runID: runID, steps: [], recoveredInterruptions: recovered, rehearsed: false,
        currentVersion: nil, totalMs: 0)
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
  }

  /// Runs `body` under the run lock, with the id of this run and the interrupted attempts
  /// it recorded: refuses a read-only database, takes the lock (reporting the wait), reports
  /// waits for the database's write lock, prepares the ledger (creating or upgrading it),
  /// folds what other runners appended while we waited, and records the attempts that
  /// died unfinished. Everything is released when `body` returns or throws.
  func withRunLock<T>(_ body: (String, [UnfinishedAttempt]) throws -> T) throws -> T {
    guard !connection.isReadOnly else {
      throw ExecutionError.database(connection.readOnlyError)
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
    return try body(runID, try recordInterruptedAttempts(runID: runID))
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

  func noOpReport(_ start: UInt64) -> RunReport {
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
  func run(_ steps: [ExecutionStep], runID: String) throws -> [RunReport.Step] {
    // The run's texts are stored with its `planned` events, the down SQL that apply steps
    // will record included: each step's commit then writes no text (one statement and one
    // page less per step). A step that fails leaves its down SQL stored, named by no event.
    try commit(
      steps.map {
        stepEvents(of: $0, runID: runID).planned
      },
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
  struct ForeignKeyCheck {
    var baseline: Set<String>
  }

  /// Violations present now that were not there when the run started.
  func newViolations(_ check: ForeignKeyCheck?) throws -> [String] {
    guard let check else { return [] }
    return try connection.foreignKeyViolations().filter { !check.baseline.contains($0) }
  }

  /// The fingerprint of the application's schema now. Recorded on the last event of each
  /// run (the schema as the run leaves it), not on every step: drift happens between runs,
  /// and reading the whole schema after every step would cost O(steps × objects).
  func schemaFingerprint() throws -> String {
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

  func published(_ events: [LedgerEvent]) {
    for event in events {
      reader.fold(event)
      settings.progress?(.eventAppended(event))
    }
  }

  func wrapDatabaseErrors<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as any DatabaseError {
      throw ExecutionError.database(error)
    }
  }
}
