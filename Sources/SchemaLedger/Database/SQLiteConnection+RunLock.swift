import CSQLite
import FoundationEssentials

/// The run lock of a database file (`FileRunLock`); none for a private in-memory database.
extension SQLiteConnection {
  public func acquireRunLock(
    timeout: Double, owner: String, onWait: (String) -> Void
  ) throws -> any RunLock {
    let file = sqlite3_db_filename(handle, "main").map { String(cString: $0) } ?? ""
    guard !file.isEmpty else {
      return NoRunLock()  // a private in-memory or temporary database has no other runner
    }
    return try FileRunLock(
      databasePath: file, path: file + "-schemaledger-lock", timeout: timeout, owner: owner,
      onWait: onWait)
  }
}

/// The run lock of a private in-memory database: nothing to exclude.
private final class NoRunLock: RunLock {
  func release() {}
}
