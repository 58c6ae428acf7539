import FoundationEssentials

extension MigrationRunner {
  // MARK: - Rehearsal

  /// Runs `steps` on a scratch copy of the database and records the verdict in the real
  /// ledger (a `rehearsed` event). Throws `rehearsalFailed` when a step fails there, and
  /// `rehearsalNotIsolated` when a step's SQL would write another file (its statement is
  /// refused before it runs, so nothing outside the copy is written).
  func rehearseSteps(_ steps: [ExecutionStep], runID: String) throws {
    settings.progress?(.rehearsing(steps: steps.count))
    runLock?.annotate(
      "rehearsing \(steps.count) step(s) on a scratch copy since \(Timestamp.now())")
    let direction = steps[0].direction
    let verb = direction == .up ? "apply" : "rollback"
    let plan = steps.map(\.migration).joined(separator: ", ")
    var failure: (migration: String, error: ExecutionError)?
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
      failure = (failed?.migration ?? steps[0].migration, error)
      if case .migrationFailed(
        let id, _, let location, .statementRefused(let refusal, _, _), _, _) =
        error, refusal.leavesDatabaseFile
      {
        leavesCopy = (id, location, refusal)
      }
    }
    settings.progress?(.rehearsed(failure: failure?.error.summary))
    var verdict = LedgerEvent(
      kind: .rehearsed, direction: direction, runID: runID, actor: settings.actor,
      detail: failure.map { "failed at \($0.migration): \(verb) of \(plan)" }
        ?? "passed: \(verb) of \(plan)")
    verdict.error = failure?.error.summary
    try commit([verdict])
    if let leavesCopy {
      throw ExecutionError.rehearsalNotIsolated(
        migration: leavesCopy.migration, direction: direction, location: leavesCopy.location,
        refusal: leavesCopy.refusal)
    }
    if let failure {
      throw ExecutionError.rehearsalFailed(
        migration: failure.migration, direction: direction, underlying: failure.error)
    }
  }
}
