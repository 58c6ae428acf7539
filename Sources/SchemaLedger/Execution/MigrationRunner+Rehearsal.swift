import FoundationEssentials

extension MigrationRunner {
  /// Runs `steps` on a scratch copy of the database and records the verdict in the real
  /// ledger (a `rehearsed` event). Throws `rehearsalFailed` when a step fails there, and
  /// `rehearsalNotIsolated` when a step's SQL would write another file (its statement is
  /// refused before it runs, so nothing outside the copy is written).
  func rehearseSteps(_ steps: [ExecutionStep], runID: String) throws {
    settings.progress?(.rehearsing(steps: steps.count))
    runLock?.annotate(
      "rehearsing \(steps.count) step(s) on a scratch copy since \(Timestamp.now())")
    let direction = steps[0].direction
    let failure: ExecutionError?
    do {
      try runOnScratchCopy(steps, runID: runID)
      failure = nil
    } catch let error as ExecutionError where !error.isDatabaseFailure {
      failure = error
    }
    let failedAt = failure.map { failedMigration($0, in: steps) }
    settings.progress?(.rehearsed(failure: failure?.summary))
    let verb = direction == .up ? "apply" : "rollback"
    let plan = steps.map(\.migration).joined(separator: ", ")
    var verdict = LedgerEvent(
      kind: .rehearsed, direction: direction, runID: runID, actor: settings.actor,
      detail: failedAt.map { "failed at \($0): \(verb) of \(plan)" } ?? "passed: \(verb) of \(plan)"
    )
    verdict.error = failure?.summary
    try commit([verdict])
    guard let failure, let failedAt else { return }
    if case .migrationFailed(let id, _, let location, let underlying, _, _) = failure,
      case .statementRefused(let refusal, _, _) = underlying as? SQLiteError,
      refusal.leavesDatabaseFile
    {
      // A step whose SQL would write outside the copy: the plan cannot be rehearsed.
      throw ExecutionError.rehearsalNotIsolated(
        migration: id, direction: direction, location: location, refusal: refusal)
    }
    throw ExecutionError.rehearsalFailed(
      migration: failedAt, direction: direction, underlying: failure)
  }

  /// Runs `steps` on a scratch copy, confined to it; throws what a step raised there. When
  /// the copy cannot be made, or fails itself (full, I/O), nothing was rehearsed: throws a
  /// database error, and there is no verdict to record.
  private func runOnScratchCopy(_ steps: [ExecutionStep], runID: String) throws {
    let copy: any DatabaseConnection
    do {
      copy = try connection.scratchCopy()
    } catch let error as SQLiteError {
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
      let failed: (String?, SQLiteError)? =
        switch error {
        case .stepDatabaseFailed(let migration, _, _, _, let underlying as SQLiteError):
          (migration, underlying)
        case .database(let underlying as SQLiteError): (nil, underlying)
        default: nil
        }
      guard let (migration, underlying) = failed else { throw error }
      settings.progress?(.rehearsed(failure: "the scratch copy failed"))
      throw ExecutionError.database(
        SQLiteError.scratchCopyFailed(
          database: connection.location, copy: copy.location, migration: migration,
          underlying: underlying.onFile(copy.location)))
    }
  }

  /// The step `error` names, else the first of the plan.
  private func failedMigration(_ error: ExecutionError, in steps: [ExecutionStep]) -> String {
    let named =
      switch error {
      case .migrationFailed(let id, _, _, _, _, _), .foreignKeyViolations(let id, _, _, _): id
      default: String?.none
      }
    return steps.first { $0.migration == named }?.migration ?? steps[0].migration
  }
}
