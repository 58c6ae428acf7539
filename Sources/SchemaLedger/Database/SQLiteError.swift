import CSQLite

/// An error from the SQLite layer. Keeps SQLite's extended result code and message, so
/// callers can tell `SQLITE_BUSY` from `SQLITE_CONSTRAINT` and operators read SQLite's
/// own words.
public enum SQLiteError: Error, Sendable, Equatable {
  /// The database file's folder does not exist.
  case directoryMissing(path: String)
  /// The database file does not exist and the operation does not create it.
  case fileMissing(path: String)
  /// The file exists but is not a SQLite database (or is encrypted or corrupt).
  case notADatabase(path: String, code: Int32, message: String)
  /// A write was needed but the file or its folder is read-only.
  case readOnly(path: String)
  /// `sqlite3_open_v2` failed for another reason.
  case cannotOpen(path: String, code: Int32, message: String)
  /// Another connection held the write lock longer than the busy timeout.
  case busy(path: String, timeoutSeconds: Double, message: String)
  /// Another SchemaLedger process held the run lock longer than the lock timeout.
  case runLockTimeout(path: String, timeoutSeconds: Double, holder: String)
  /// The run-lock file could not be created or locked.
  case runLockUnavailable(path: String, reason: String)
  /// A statement failed to prepare or to run. `offset` is the UTF-8 byte offset of the
  /// failing statement (or error token) in the SQL text that was given.
  case statementFailed(code: Int32, message: String, sql: String, offset: Int)
  /// A SQLite extension could not be loaded.
  case extensionFailed(path: String, message: String)
  /// A guarded script's statement was refused by the guard (SQLite's authorizer) before
  /// it ran. `offset` is the UTF-8 byte offset of the statement in `sql`.
  case statementRefused(ScriptRefusal, sql: String, offset: Int)

  /// The UTF-8 byte offset of the failing statement (or token) in the SQL given, for a
  /// statement that failed or was refused.
  public var offset: Int? {
    switch self {
    case .statementFailed(_, _, _, let offset), .statementRefused(_, _, let offset):
      return offset
    default:
      return nil
    }
  }

  /// SQLite's extended result code, when the error came from SQLite.
  /// `true` for `SQLITE_CONSTRAINT_PRIMARYKEY`: a row with that key exists already.
  public var isPrimaryKeyViolation: Bool { extendedCode == schemaledger_constraint_primarykey }

  public var extendedCode: Int32? {
    switch self {
    case .notADatabase(_, let code, _), .cannotOpen(_, let code, _),
      .statementFailed(let code, _, _, _):
      return code
    case .busy: return SQLITE_BUSY
    case .statementRefused: return SQLITE_AUTH
    case .readOnly: return SQLITE_READONLY
    default: return nil
    }
  }

  /// SQLite's name for the extended result code (`SQLITE_CONSTRAINT_UNIQUE`), when known.
  public var codeName: String? {
    extendedCode.map(SQLiteError.name(ofCode:))
  }

  /// SQLite's symbolic name for a result code, falling back to the primary code's name.
  static func name(ofCode code: Int32) -> String {
    let extended: [Int32: String] = [
      schemaledger_constraint_check: "SQLITE_CONSTRAINT_CHECK",
      schemaledger_constraint_foreignkey: "SQLITE_CONSTRAINT_FOREIGNKEY",
      schemaledger_constraint_notnull: "SQLITE_CONSTRAINT_NOTNULL",
      schemaledger_constraint_primarykey: "SQLITE_CONSTRAINT_PRIMARYKEY",
      schemaledger_constraint_trigger: "SQLITE_CONSTRAINT_TRIGGER",
      schemaledger_constraint_unique: "SQLITE_CONSTRAINT_UNIQUE",
      schemaledger_busy_snapshot: "SQLITE_BUSY_SNAPSHOT",
      schemaledger_readonly_dbmoved: "SQLITE_READONLY_DBMOVED",
      schemaledger_ioerr_fsync: "SQLITE_IOERR_FSYNC",
    ]
    if let name = extended[code] { return name }
    let primary: [Int32: String] = [
      SQLITE_ERROR: "SQLITE_ERROR", SQLITE_INTERNAL: "SQLITE_INTERNAL",
      SQLITE_PERM: "SQLITE_PERM", SQLITE_ABORT: "SQLITE_ABORT", SQLITE_BUSY: "SQLITE_BUSY",
      SQLITE_LOCKED: "SQLITE_LOCKED", SQLITE_NOMEM: "SQLITE_NOMEM",
      SQLITE_READONLY: "SQLITE_READONLY", SQLITE_INTERRUPT: "SQLITE_INTERRUPT",
      SQLITE_IOERR: "SQLITE_IOERR", SQLITE_CORRUPT: "SQLITE_CORRUPT",
      SQLITE_FULL: "SQLITE_FULL", SQLITE_CANTOPEN: "SQLITE_CANTOPEN",
      SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT", SQLITE_MISMATCH: "SQLITE_MISMATCH",
      SQLITE_MISUSE: "SQLITE_MISUSE", SQLITE_AUTH: "SQLITE_AUTH", SQLITE_RANGE: "SQLITE_RANGE",
      SQLITE_NOTADB: "SQLITE_NOTADB",
    ]
    return primary[code & 0xff] ?? "SQLite error \(code)"
  }
}

extension SQLiteError: MessageBacked {
  /// The message, with its advice worded for each reader (`MessageBacked`).
  package var message: ErrorMessage {
    switch self {
    case .directoryMissing(let path):
      return ErrorMessage(
        "Cannot open database '\(path)': its folder does not exist. ",
        action: "Create the folder or fix \(Remedy.database).")
    case .fileMissing(let path):
      return ErrorMessage(
        "Database '\(path)' does not exist. ",
        action: "Check \(Remedy.database), or run 'schemaledger apply' to create it.")
    case .notADatabase(let path, _, let message):
      return ErrorMessage(
        "'\(path)' is not a SQLite database (\(message)). ",
        action: "Check \(Remedy.database) points at the right file.")
    case .readOnly(let path):
      return ErrorMessage(
        "Database '\(path)' is read-only: SchemaLedger needs to write to the file and "
          + "to its folder (for the journal and the run lock). ",
        action: "Fix the permissions, or use a read-only command such as "
          + "'schemaledger status'.")
    case .cannotOpen(let path, _, let message):
      return ErrorMessage(
        "Cannot open database '\(path)': \(message). ",
        action: "Check the path and its permissions.")
    case .busy(let path, let timeout, let message):
      return ErrorMessage(
        "Database '\(path)' stayed locked by another connection for "
          + "\(formatSeconds(timeout)) (\(message)). ",
        action: "Retry when the other writer has finished, or wait longer with "
          + "\(Remedy.lockTimeout).")
    case .runLockTimeout(let path, let timeout, let holder):
      return ErrorMessage(
        "Another SchemaLedger run holds the lock on '\(path)' (\(holder)) and did not "
          + "finish within \(formatSeconds(timeout)). ",
        action: "Wait for it and retry, or wait longer with \(Remedy.lockTimeout).",
        after: " A crashed holder releases the lock by itself.")
    case .runLockUnavailable(let path, let reason):
      return ErrorMessage(
        "Cannot take the run lock '\(path)': \(reason). SchemaLedger needs to create "
          + "or open this file beside the database; ",
        action: "check the folder's permissions and who owns the lock file.")
    case .statementFailed(_, let message, _, _):
      return ErrorMessage(message)
    case .extensionFailed(let path, let message):
      return ErrorMessage(
        "Cannot load SQLite extension '\(path)': \(message). ",
        action: "Check the path given to \(Remedy.loadExtension).")
    case .statementRefused(let refusal, _, _):
      switch refusal {
      case .protectedObject:
        return ErrorMessage(
          "refused: the statement \(refusal.action); migrations cannot change "
            + "SchemaLedger's ledger (the schemaledger_* tables, index, triggers and views), "
            + "they may only read it")
      case .writableSchema:
        return ErrorMessage(
          "refused: the statement \(refusal.action), which would let it rewrite any "
            + "object's definition; migrations cannot change SchemaLedger's ledger, so they "
            + "may not switch it on")
      case .attachesFile, .vacuumsInto, .writesOtherDatabase:
        return ErrorMessage(
          "refused: the statement \(refusal.action), and this run may write only its "
            + "own scratch database")
      }
    }
  }
}

/// `60 s`, `0.5 s`; a huge or non-finite value as Swift prints it (`1e+16 s`), never a trap.
func formatSeconds(_ seconds: Double) -> String {
  guard seconds.isFinite, abs(seconds) < 1e15, seconds == seconds.rounded() else {
    return "\(seconds) s"
  }
  return "\(Int(seconds)) s"
}
