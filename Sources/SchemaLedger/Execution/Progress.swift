/// What a run reports while it works, for a CLI to print or an app to log.
public enum Progress: Sendable {
  /// The run lock is held by someone else; waiting for it. `holder` says who.
  case waitingForLock(holder: String)
  /// An attempt of an earlier run that never recorded an outcome was recorded as failed.
  case recordedInterruption(UnfinishedAttempt)
  /// A migration is about to run.
  case migrationStarted(Migration)
  /// A migration finished.
  case migrationApplied(Migration, durationMs: Int64)
  /// A migration failed.
  case migrationFailed(Migration, durationMs: Int64)
  /// An event was appended to the ledger (and committed or about to be).
  case eventAppended(LedgerEvent)
}

/// Receives progress. Called on the thread running the operation.
public typealias ProgressHandler = @Sendable (Progress) -> Void
