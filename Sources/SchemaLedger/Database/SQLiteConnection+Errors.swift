import CSQLite
import FoundationEssentials

/// Turning SQLite result codes into `SQLiteError`s.
extension SQLiteConnection {
  /// Builds the error for a failed call, copying SQLite's message before anything else
  /// can change it. `statementStart` is the byte offset of the statement in `sql`.
  func error(code: Int32, sql: String, statementStart: Int) -> SQLiteError {
    let extended = sqlite3_extended_errcode(handle)
    let resolved = extended & 0xff == code & 0xff ? extended : code
    let message = String(cString: sqlite3_errmsg(handle))
    switch resolved & 0xff {
    case SQLITE_BUSY:
      return .busy(path: location, timeoutSeconds: busyTimeout, message: message)
    case SQLITE_FULL, SQLITE_IOERR:
      return .storageFailed(
        path: location, code: resolved, message: message,
        systemError: sqlite3_system_errno(handle))
    case SQLITE_READONLY where resolved == schemaledger_readonly_rollback:
      return .hotJournal(path: location, journal: fileName + "-journal")
    case SQLITE_READONLY
    where [
      schemaledger_readonly_recovery, schemaledger_readonly_cantlock,
      schemaledger_readonly_cantinit,
    ].contains(resolved)
      || (resolved == schemaledger_readonly_directory && sqlite3_db_readonly(handle, "main") == 1):
      // A reader of a WAL database that cannot create, lock or recover its -wal and -shm.
      return .walNeedsWriteAccess(path: location, file: fileName, code: resolved)
    case SQLITE_READONLY where resolved != schemaledger_readonly_dbmoved:
      return .readOnly(path: location)
    default:
      let tokenOffset = Int(sqlite3_error_offset(handle))
      let offset =
        tokenOffset >= 0
        ? statementStart + tokenOffset
        : SQLScanner.firstTokenOffset(in: sql, from: statementStart)
      return .statementFailed(code: resolved, message: message, sql: sql, offset: offset)
    }
  }
}

extension SQLiteError {
  /// The same storage failure, naming `path` (the file that was being written).
  func onFile(_ path: String) -> SQLiteError {
    guard case .storageFailed(_, let code, let message, let systemError) = self else {
      return self
    }
    return .storageFailed(path: path, code: code, message: message, systemError: systemError)
  }
}
