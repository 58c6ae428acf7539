import CSQLite
import Glibc

/// An error from the SQLite layer. Keeps SQLite's extended result code and message, so
/// callers can tell `SQLITE_BUSY` from `SQLITE_CONSTRAINT` and operators read SQLite's
/// own words.
public enum SQLiteError: Error, Sendable, Equatable {
  /// The database file's folder does not exist.
  case directoryMissing(path: String)
  /// The database file does not exist and the operation does not create it.
  case fileMissing(path: String)
  /// The path names something other than a regular file: a folder, a device such as
  /// `/dev/null`, a FIFO, a socket. `kind` says which ("a folder").
  case notAFile(path: String, kind: String)
  /// The path is a symbolic link that leads back to itself (`ELOOP`).
  case symlinkLoop(path: String)
  /// The path or its file name is longer than the file system or SQLite accepts, or
  /// leaves no room for the files kept beside the database. `reason` says which limit.
  case nameTooLong(path: String, reason: String)
  /// The file exists but is not a SQLite database (or is encrypted or corrupt).
  case notADatabase(path: String, code: Int32, message: String)
  /// A write was needed but the file or its folder is read-only.
  case readOnly(path: String)
  /// The database cannot be read: a writer stopped mid-transaction and left a hot journal
  /// (`journal`) that must be rolled back first, and this process cannot write to the
  /// file or its folder to do it (`SQLITE_READONLY_ROLLBACK`).
  case hotJournal(path: String, journal: String)
  /// The database is in WAL mode and this process cannot create, lock or recover the
  /// `-wal` and `-shm` files beside `file` that SQLite needs even to read it. `code` is
  /// SQLite's extended code (`SQLITE_READONLY_DIRECTORY`, `_RECOVERY`, `_CANTLOCK`).
  case walNeedsWriteAccess(path: String, file: String, code: Int32)
  /// `sqlite3_open_v2` failed for another reason.
  case cannotOpen(path: String, code: Int32, message: String)
  /// SQLite could not read or write the file (or its journal, or a temporary file):
  /// `SQLITE_FULL` or an `SQLITE_IOERR_*` code. `systemError` is the `errno` of the failed
  /// call (`ENOSPC`, `EFBIG` for the file size limit, `EIO`), 0 when unknown.
  case storageFailed(path: String, code: Int32, message: String, systemError: Int32)
  /// The scratch copy of `database` for a rehearsal, at `copy`, failed as it was made or
  /// used (while rehearsing `migration`): `underlying` says why. The copy was removed.
  indirect case scratchCopyFailed(
    database: String, copy: String, migration: String?, underlying: SQLiteError)
  /// Another connection held the write lock longer than the busy timeout.
  case busy(path: String, timeoutSeconds: Double, message: String)
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
      .statementFailed(let code, _, _, _), .storageFailed(_, let code, _, _):
      return code
    case .scratchCopyFailed(_, _, _, let underlying): return underlying.extendedCode
    case .busy: return SQLITE_BUSY
    case .statementRefused: return SQLITE_AUTH
    case .readOnly: return SQLITE_READONLY
    case .hotJournal: return schemaledger_readonly_rollback
    case .walNeedsWriteAccess(_, _, let code): return code
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
      schemaledger_readonly_rollback: "SQLITE_READONLY_ROLLBACK",
      schemaledger_readonly_recovery: "SQLITE_READONLY_RECOVERY",
      schemaledger_readonly_cantlock: "SQLITE_READONLY_CANTLOCK",
      schemaledger_readonly_cantinit: "SQLITE_READONLY_CANTINIT",
      schemaledger_readonly_directory: "SQLITE_READONLY_DIRECTORY",
      schemaledger_ioerr_fsync: "SQLITE_IOERR_FSYNC",
      schemaledger_ioerr_read: "SQLITE_IOERR_READ",
      schemaledger_ioerr_short_read: "SQLITE_IOERR_SHORT_READ",
      schemaledger_ioerr_write: "SQLITE_IOERR_WRITE",
      schemaledger_ioerr_truncate: "SQLITE_IOERR_TRUNCATE",
      schemaledger_ioerr_delete: "SQLITE_IOERR_DELETE",
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

extension SQLiteError {
  /// `true` for a failure of the database (busy, read-only, full, I/O, a journal it
  /// cannot handle), not of the SQL that was running: never the migration's fault.
  public var isDatabaseFailure: Bool {
    switch self {
    case .busy, .readOnly, .hotJournal, .walNeedsWriteAccess, .storageFailed, .scratchCopyFailed:
      return true
    default:
      return false
    }
  }

  /// What happened to the storage, and what to do, from SQLite's code and the system's
  /// `errno`.
  static func storageReason(
    code: Int32, message: String, systemError: Int32, folder: String
  ) -> (what: String, next: String) {
    let system = systemError == 0 ? message : String(cString: strerror(systemError))
    let name = SQLiteError.name(ofCode: code)
    switch systemError {
    case EFBIG:
      return (
        "the file size limit of this process was reached (\(name): \(system))",
        "Raise the limit for the user running SchemaLedger ('ulimit -f'; the database and "
          + "its journal must fit under it), then run again."
      )
    case EDQUOT:
      return (
        "the disk quota of the user running SchemaLedger is used up in '\(folder)' "
          + "(\(name): \(system))",
        "Free space within the quota, or raise it, then run again."
      )
    case EROFS:
      return (
        "the file system holding '\(folder)' is mounted read-only (\(name): \(system))",
        "Remount it read-write, or work on a copy elsewhere."
      )
    case ENOSPC:
      return diskFull(folder: folder, detail: "\(name): \(system)")
    default:
      if code & 0xff == SQLITE_FULL { return diskFull(folder: folder, detail: message) }
      return (
        "a disk I/O error (\(name): \(system))",
        "Check the device and the file system holding '\(folder)' (the system log, dmesg), "
          + "and that nothing removed or replaced the file while it was in use; then run "
          + "again."
      )
    }
  }

  private static func diskFull(folder: String, detail: String) -> (what: String, next: String) {
    (
      "the disk is full: the file system holding '\(folder)' has no space left (\(detail))",
      "Free space there ('df \(folder)' shows how much): the database needs room to grow "
        + "and, while a transaction runs, room for its journal; large sorts and indexes also "
        + "need room in SQLite's temporary folder (SQLITE_TMPDIR, else /var/tmp or /tmp). "
        + "Then run again."
    )
  }
}
