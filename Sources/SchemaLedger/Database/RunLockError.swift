/// SchemaLedger's run lock could not be taken. The run lock is SchemaLedger's own (a
/// `flock` on the database file and on `<database>-schemaledger-lock`), not SQLite's, so
/// its failures are not `SQLiteError`s.
public enum RunLockError: Error, Sendable, Equatable {
  /// Another run held the lock longer than the lock timeout; `holder` says who and what.
  case timeout(path: String, timeoutSeconds: Double, holder: String)
  /// The lock file could not be created, opened or locked (permissions, a read-only
  /// folder); `reason` is the system's.
  case unavailable(path: String, reason: String)
}

extension RunLockError: MessageBacked {
  /// The message, with its advice worded for each reader (`MessageBacked`).
  package var message: ErrorMessage {
    switch self {
    case .timeout(let path, let timeout, let holder):
      return ErrorMessage(
        "Another SchemaLedger run holds the lock on '\(path)' (\(holder)) and did not "
          + "finish within \(formatSeconds(timeout)). ",
        action: "Wait for it and retry, or wait longer with \(Remedy.lockTimeout).",
        after: " A crashed holder releases the lock by itself.")
    case .unavailable(let path, let reason):
      return ErrorMessage(
        "Cannot take the run lock '\(path)': \(reason). SchemaLedger needs to create "
          + "or open this file beside the database; ",
        action: "check the folder's permissions and who owns the lock file.")
    }
  }
}
