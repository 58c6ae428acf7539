/// The events of one step of one run, one constructor per kind: every event of the step
/// carries the same migration, version, direction, checksum, run and actor.
struct StepEvents {
  let step: ExecutionStep
  let runID: String
  let actor: LedgerActor
  /// What the engine runs a step's transaction with (`DatabaseConnection.stepSettings`),
  /// recorded in the detail of a step that runs in one.
  var settings: String? = nil

  /// `planned`: written for every step of a run before the first one starts.
  var planned: LedgerEvent {
    var planned = base(.planned)
    planned.sql = step.sql
    planned.detail = detail
    planned.dependsOn = step.dependencies.isEmpty ? nil : step.dependencies
    return planned
  }

  /// `started`: stamped when the step begins.
  var started: LedgerEvent { base(.started) }

  /// `applied` or `rolled_back`, with the SQL that ran.
  func succeeded(durationMs: Int64, fingerprint: String?) -> LedgerEvent {
    var outcome = base(step.direction == .up ? .applied : .rolledBack)
    outcome.durationMs = durationMs
    outcome.sql = step.sql
    outcome.downSQL = step.direction == .up ? step.recordedDownSQL : nil
    if let restored = step.restoredChecksum { outcome.checksum = restored }
    outcome.detail = detail
    outcome.dependsOn = step.dependencies.isEmpty ? nil : step.dependencies
    outcome.schemaFingerprint = fingerprint
    return outcome
  }

  /// `failed` because the SQL failed or left foreign-key violations (`outcome` is not
  /// `.succeeded`), or because the operator stopped the run (`stop`) while it ran.
  func failed(
    _ outcome: StepOutcome, durationMs: Int64, stoppedBy stop: String?, fingerprint: String?
  ) -> LedgerEvent {
    var failed = base(.failed)
    failed.durationMs = durationMs
    failed.sql = step.sql
    switch outcome {
    case .sqlFailed(let location, let error):
      failed.error = "\(location): \(error)" + (error.codeName.map { " (\($0))" } ?? "")
      failed.errorCode = error.extendedCode.map(Int64.init)
    case .foreignKeyViolations(let violations):
      failed.error = "foreign-key violations: " + violations.joined(separator: "; ")
    case .leftTransactionOpen(let location):
      failed.error = "\(location): \(ExecutionError.transactionLeftOpenProblem)"
    case .succeeded:
      break
    }
    if !step.isTransactional { failed.detail = "ran outside a transaction; may be partly done" }
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
    failed.schemaFingerprint = fingerprint
    return failed
  }

  /// `failed` because the database, not the migration, failed (busy, full, I/O).
  /// `durationMs` only outside a transaction, where part of the SQL may have run.
  func databaseFailed(_ error: any Error, durationMs: Int64?) -> LedgerEvent {
    var failed = base(.failed)
    if step.isTransactional {
      failed.error = "the database failed around this step: \(error)"
    } else {
      failed.error =
        "the database failed during this step, which ran outside a transaction, so the "
        + "statements before the failure stay done: \(error)"
    }
    failed.errorCode = (error as? any DatabaseError)?.extendedCode.map(Int64.init)
    failed.detail = "database error"
    failed.durationMs = durationMs
    return failed
  }

  /// `failed` for a planned step that never started because the operator stopped the run:
  /// it closes the run's plan (nothing of it ran).
  func stoppedBeforeStart(reason: String, fingerprint: String?) -> LedgerEvent {
    var failed = base(.failed)
    failed.transactional = step.isTransactional ? true : nil
    failed.error = "stopped by the operator (\(reason)) before it started; nothing of it ran"
    failed.detail = "stopped by the operator"
    failed.schemaFingerprint = fingerprint
    return failed
  }

  private func base(_ kind: EventKind) -> LedgerEvent {
    LedgerEvent(
      kind: kind, migration: step.migration, version: step.version.recorded,
      direction: step.direction, checksum: step.checksum, runID: runID, actor: actor,
      transactional: step.isTransactional)
  }

  /// Why the step runs outside a transaction, and its note, for the events' `detail`.
  private var detail: String? {
    let parts = [step.outsideReason, step.note, step.isTransactional ? settings : nil]
      .compactMap { $0 }
    return parts.isEmpty ? nil : parts.joined(separator: "; ")
  }
}
