/// What a run reports while it works, for a CLI to print or an app to log.
public enum MigrationProgress: Sendable {
  /// The run lock is held by someone else; waiting for it. `holder` says who.
  case waitingForLock(holder: String)
  /// A run holding the run lock waits for SQLite's lock on `database`, held by another
  /// connection (so not by a SchemaLedger run: the application, a `sqlite3` shell), at
  /// most `timeoutSeconds` each time (`Configuration.lockTimeout`). Sent once, with
  /// `waitedSeconds` 0, the first time the run waits, then every
  /// `Configuration.heartbeatInterval` seconds of one wait.
  case waitingForDatabaseLock(database: String, waitedSeconds: Double, timeoutSeconds: Double)
  /// Still waiting for the run lock after `seconds` (every 10 s); `holder` says who holds
  /// it and what it is doing now.
  case stillWaitingForLock(holder: String, seconds: Int)
  /// An attempt of an earlier run that never recorded an outcome was recorded as failed.
  case recordedInterruption(UnfinishedAttempt)
  /// The plan is being rehearsed on a scratch copy of the database.
  case rehearsing(steps: Int)
  /// The rehearsal finished; `failure` says why it failed, `nil` when it passed.
  case rehearsed(failure: String?)
  /// A step is about to run.
  case stepStarted(ExecutionStep)
  /// A step is still running (sent every `Configuration.heartbeatInterval` seconds).
  case stepStillRunning(ExecutionStep, beat: ScriptHeartbeat.Beat)
  /// A step finished and committed.
  case stepSucceeded(ExecutionStep, durationMs: Int64)
  /// A step failed and was rolled back (when it had a transaction).
  case stepFailed(ExecutionStep, durationMs: Int64)
  /// The database file does not exist: it is being created, empty, to be migrated.
  case creatingDatabase(path: String)
  /// An event was appended to the ledger and committed.
  case eventAppended(LedgerEvent)
  /// The migrations folder has entries SchemaLedger does not know (not SQL: a Go
  /// migration, a data file); they were skipped (`MigrationSource.unknownEntries`).
  case skippedUnknownEntries([String])
}

/// Receives progress. Called on the thread running the operation.
public typealias ProgressHandler = @Sendable (MigrationProgress) -> Void
