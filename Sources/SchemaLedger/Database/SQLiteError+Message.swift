import CSQLite

/// What each SQLite error says to the operator: what happened, where, what to do.
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
