/// What running one step's SQL came to, before it is turned into events
/// (`StepEvents.failed`) and an error.
enum StepOutcome {
  /// The SQL ran and left no new foreign-key violation.
  case succeeded
  /// A statement failed (or was refused by the guard), at `location`.
  case sqlFailed(location: SourceLocation, error: any DatabaseError)
  /// The SQL ran but left foreign-key violations that were not there before the run.
  case foreignKeyViolations([String])
  /// The SQL, run outside a transaction of SchemaLedger's, opened its own (`BEGIN`) and
  /// never ended it; SchemaLedger rolled that transaction back. `location` is the step's
  /// first line.
  case leftTransactionOpen(location: SourceLocation)

  /// The outcome of a script that ran, given its failure (if any) and the new violations.
  init(failure: (SourceLocation, any DatabaseError)?, violations: [String]) {
    if let (location, error) = failure {
      self = .sqlFailed(location: location, error: error)
    } else if !violations.isEmpty {
      self = .foreignKeyViolations(violations)
    } else {
      self = .succeeded
    }
  }
}

extension StepOutcome {
  /// The error that reports this outcome of `step`, or `nil` when it succeeded.
  func error(of step: ExecutionStep, completedBefore: [String]) -> ExecutionError? {
    switch self {
    case .succeeded:
      nil
    case .sqlFailed(let location, let error):
      .migrationFailed(
        migration: step.migration, direction: step.direction, location: location,
        underlying: error, transactional: step.isTransactional,
        completedBefore: completedBefore)
    case .foreignKeyViolations(let violations):
      .foreignKeyViolations(
        migration: step.migration, file: step.location.file, violations: violations,
        transactional: step.isTransactional)
    case .leftTransactionOpen(let location):
      .transactionLeftOpen(
        migration: step.migration, direction: step.direction, location: location,
        completedBefore: completedBefore)
    }
  }
}
