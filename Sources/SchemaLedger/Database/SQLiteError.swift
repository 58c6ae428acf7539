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
    case .notAFile(let path, let kind):
      let example =
        kind == "a folder"
        ? " (for example '\(PathName.join(path, "app.sqlite"))')" : ""
      return ErrorMessage(
        "'\(path)' is \(kind), not a database file. Nothing was created or changed. ",
        action: "Point \(Remedy.database) at a SQLite database file\(example); "
          + "'schemaledger apply' creates it when it does not exist.")
    case .symlinkLoop(let path):
      return ErrorMessage(
        "Cannot open database '\(path)': it is a symbolic link that leads back to itself "
          + "(too many levels of symbolic links). Nothing was created or changed. ",
        action: "Fix the link ('ls -l' shows where it points), or point \(Remedy.database) "
          + "at the database file itself.")
    case .nameTooLong(let path, let reason):
      return ErrorMessage(
        "Cannot use '\(path)' as a database: \(reason). Nothing was created or changed. ",
        action: "Choose a shorter file name or folder for \(Remedy.database).")
    case .notADatabase(let path, let code, let message) where code & 0xff == SQLITE_CORRUPT:
      return ErrorMessage(
        "'\(path)' is a damaged SQLite database (\(message)). Nothing was changed. ",
        action: "Check it with sqlite3 '\(path)' 'PRAGMA integrity_check' and restore it "
          + "from a backup.")
    case .notADatabase(let path, _, let message):
      return ErrorMessage(
        "'\(path)' is not a SQLite database (\(message)): another kind of file, or an "
          + "encrypted database. Nothing was changed. ",
        action: "Check \(Remedy.database) points at the right file.")
    case .readOnly(let path):
      return ErrorMessage(
        "Database '\(path)' is read-only for this process, and this command needs to "
          + "write: to the file, and to its folder '\(folder(of: path))' (for SQLite's "
          + "journal and the run lock). Nothing was written. ",
        action: "Give the user running it write access to both, or run it as a user who "
          + "has it.",
        after: " (Commands that only read, such as 'schemaledger status', need no write "
          + "access.)")
    case .hotJournal(let path, let journal):
      return ErrorMessage(
        "Cannot read database '\(path)' yet: a writer stopped in the middle of a "
          + "transaction (it crashed or was killed) and left the hot journal '\(journal)'. "
          + "SQLite must roll that transaction back before anyone reads the database, and "
          + "this process cannot: it may not write to the file or to its folder "
          + "'\(folder(of: path))'. Nothing was read or changed. ",
        action: "Run any schemaledger command (for example 'schemaledger status') once as a "
          + "user who can write to both: SQLite rolls the journal back as it opens the "
          + "database.",
        after: " Do not delete the journal: that would leave the database half-written.")
    case .walNeedsWriteAccess(let path, let file, let code):
      let what =
        code == schemaledger_readonly_recovery
        ? "its write-ahead log must be recovered after a crash, which needs write access to "
          + "'\(file)-wal' and '\(file)-shm'"
        : code == schemaledger_readonly_directory
          ? "SQLite reads it only through the files '\(file)-wal' and '\(file)-shm' beside "
            + "it, which do not exist, and this process may not create them in the folder "
            + "'\(folder(of: file))'"
          : "SQLite reads it only through the files '\(file)-wal' and '\(file)-shm' beside "
            + "it, which this process cannot lock or set up (it may not write to them)"
      return ErrorMessage(
        "Cannot read database '\(path)': it is in WAL mode, and \(what). Nothing was read "
          + "or changed. ",
        action: "Run the command as a user who can write to the database's folder, or while "
          + "the application has the database open (SQLite then keeps both files, and a "
          + "reader only needs to read them).")
    case .cannotOpen(let path, _, let message):
      return ErrorMessage(
        "Cannot open database '\(path)': \(message). ",
        action: "Check the path and its permissions.")
    case .storageFailed(let path, let code, let message, let systemError):
      let reason = Self.storageReason(
        code: code, message: message, systemError: systemError, folder: folder(of: path))
      return ErrorMessage(
        "SQLite could not use database '\(path)': \(reason.what). ", action: reason.next)
    case .scratchCopyFailed(let database, let copy, let migration, let underlying):
      let when = migration.map { "while rehearsing \($0)" } ?? "as it was being made"
      var reason = underlying.message.text
      var room = ""
      if case .storageFailed(_, let code, let message, let systemError) = underlying {
        let storage = Self.storageReason(
          code: code, message: message, systemError: systemError, folder: folder(of: copy))
        reason = storage.what + "."
        room = storage.next + " "
      }
      return ErrorMessage(
        "The scratch copy of '\(database)' for the rehearsal ('\(copy)') failed \(when): "
          + "\(reason) The copy was removed, the real database was not touched, and the plan "
          + "was neither rehearsed nor run. ",
        action: room + "The copy needs about as much free space as the database, plus what "
          + "the migrations add; or "
          + Remedy.say(
            commandLine: "run without the rehearsal ('apply' without --rehearse, "
              + "'rollback --no-rehearse')",
            library: "call migrate(rehearse: false) or rollback(_:rehearse: false)")
          + ".")
    case .busy(let path, let timeout, let message):
      return ErrorMessage(
        "Database '\(path)' stayed locked by another connection for "
          + "\(formatSeconds(timeout)) (\(message)): a connection writing to it, such as the "
          + "application, a sqlite3 shell or a migration in progress. Nothing more was "
          + "written. ",
        action: "Retry when the other writer has finished, or wait longer with "
          + "\(Remedy.lockTimeout).")
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

/// The folder of `path` for messages: `.` for a bare file name.
private func folder(of path: String) -> String {
  let folder = PathName.folder(of: path)
  return folder.isEmpty ? "." : folder
}

/// `60 s`, `0.5 s`; a huge or non-finite value as Swift prints it (`1e+16 s`), never a trap.
func formatSeconds(_ seconds: Double) -> String {
  guard seconds.isFinite, abs(seconds) < 1e15, seconds == seconds.rounded() else {
    return "\(seconds) s"
  }
  return "\(Int(seconds)) s"
}
