/// A failure while carrying a plan out. Wraps the engine's error (`DatabaseError`: a
/// `SQLiteError` on SQLite), so its code stays available.
public enum ExecutionError: Error, Sendable {
  /// A migration's SQL failed. Its transaction was rolled back (when it had one) and a
  /// `failed` event was recorded. `location` is the file (or ledger event) and line of
  /// the failing statement; `completedBefore` lists what this run did before it.
  case migrationFailed(
    migration: String, direction: Direction, location: SourceLocation,
    underlying: any DatabaseError, transactional: Bool, completedBefore: [String])
  /// The rehearsal on a scratch copy failed at `migration`, with `underlying` (the error
  /// the step raised on the copy); the real database was not touched.
  indirect case rehearsalFailed(
    migration: String, direction: Direction, underlying: ExecutionError)
  /// The plan cannot be rehearsed: a step's SQL would write outside the scratch copy
  /// (`refusal`, at `location`). Nothing of it ran, on the copy or elsewhere; the real
  /// database was not touched.
  case rehearsalNotIsolated(
    migration: String, direction: Direction, location: SourceLocation, refusal: ScriptRefusal)
  /// A migration left foreign-key violations; it was rolled back and recorded as failed.
  case foreignKeyViolations(
    migration: String, file: String, violations: [String], transactional: Bool)
  /// A migration run outside a transaction opened its own (`BEGIN`) and never ended it
  /// (`COMMIT`). SchemaLedger rolled that transaction back, so what ran inside it is not in
  /// the database; what ran before the `BEGIN` is. Recorded as failed, may be partly done.
  /// `location` is the first line of the migration's SQL.
  case transactionLeftOpen(
    migration: String, direction: Direction, location: SourceLocation, completedBefore: [String])
  /// Replaying the ledger's recorded SQL failed at an event, with what SQLite said.
  case reconstructionFailed(seq: Int64, migration: String, underlying: any DatabaseError)
  /// The database could not be used (busy, read-only, I/O, the connection lost): wraps
  /// what the engine said.
  case database(any DatabaseError)
  /// The database failed (full, I/O, busy) while a migration's step ran: not the SQL's
  /// fault. A step in a transaction was rolled back; one outside a transaction may be
  /// partly done. `recorded` tells whether the `failed` event (detail `database error`)
  /// could be written; when not, the next run records the attempt as interrupted.
  case stepDatabaseFailed(
    migration: String, direction: Direction, transactional: Bool, recorded: Bool,
    underlying: any DatabaseError)
  /// The database file does not exist and creating it was turned off
  /// (`Configuration.createDatabase`). `directory` is the working directory, for a
  /// relative path.
  case databaseMissing(path: String, directory: String)
  /// A migration failed because what it creates already exists, on a database adopted
  /// with a baseline: the baseline may be set too low. Wraps the migration's failure.
  indirect case failedAfterBaseline(
    ExecutionError, baselineVersion: MigrationVersion, baselineSeq: Int64)
  /// The operator stopped the run (`MigrationCancellation`, for `reason` such as
  /// `SIGINT`): `migration` was interrupted while it ran (`whileRunning`), or had not
  /// started; its outcome was recorded, and nothing after it ran.
  case cancelled(
    reason: String, migration: String, whileRunning: Bool, transactional: Bool,
    completedBefore: [String])
  /// Replaying the ledger's SQL (`replay --schema`, `verify`, `schema --check`) was
  /// stopped on the operator's request (`reason`: `SIGINT`, `SIGTERM`) at event `seq`.
  /// Nothing was changed: the replay runs in a scratch database, dropped with it.
  case replayStopped(reason: String, seq: Int64)
}

extension ExecutionError: MessageBacked {
  /// The message, with its advice worded for each reader (`MessageBacked`).
  package var message: ErrorMessage {
    switch self {
    case .replayStopped(let reason, let seq):
      return ErrorMessage(
        "\(reason) stopped the replay of the ledger's SQL at event #\(seq). Nothing was "
          + "changed: the replay ran in a scratch database, which was dropped. ",
        action: "Run the command again to finish it.")
    case .cancelled(let reason, let migration, let whileRunning, let transactional, let before):
      let done =
        before.isEmpty
        ? "Nothing had been done before it." : "Done before it: \(before.joined(separator: ", "))."
      let what: String
      if !whileRunning {
        what = "before \(migration) started: nothing of it ran, and it was recorded as stopped."
      } else if transactional {
        what =
          "during \(migration): its transaction was rolled back, and it was recorded as "
          + "stopped."
      } else {
        what =
          "during \(migration), which runs outside a transaction: it may be partly done, "
          + "and it was recorded as stopped."
      }
      let next =
        whileRunning && !transactional
        ? "Check what it did, then record it with 'schemaledger resolve \(migration) --as "
          + "applied|rolled-back --reason TEXT' before the next apply."
        : "The next 'schemaledger apply' carries on from \(migration)."
      let stopped: String = "Stopped by \(reason) \(what) \(done) "
      return ErrorMessage(stopped, action: next)
    case .failedAfterBaseline(let underlying, let version, let seq):
      let cause: String =
        "\(underlying.message.text)\nThis database was adopted with a baseline up to version "
        + "\(version) (event #\(seq)), and the migration creates something that already "
        + "exists: the baseline may be set too low. "
      let check: String =
        "Compare the schema the ledger expects ('schemaledger replay --schema') with the "
        + "live one ('sqlite3 DATABASE .schema'); if the database already has this "
        + "migration's changes, record them with 'schemaledger baseline --to VERSION "
        + "--reason TEXT' (the highest version the database has), then apply again."
      return ErrorMessage(cause, action: check)
    case .databaseMissing(let path, let directory):
      let place = path.hasPrefix("/") ? "" : " (relative to \(directory))"
      return ErrorMessage(
        "Database '\(path)'\(place) does not exist, and creating it is turned off (the "
          + "deploy expects an existing database). Nothing was created. ",
        action: "Check the path; create the database deliberately by running without that "
          + "setting.")
    case .migrationFailed(
      let id, let direction, let location, let underlying, let transactional, let before):
      let code = underlying.codeName.map { " (\($0))" } ?? ""
      let kept = Self.kept(before, direction)
      let what = direction == .up ? "Migration \(id)" : "The rollback of \(id)"
      let state = direction == .up ? "" : " \(id) stays applied."
      guard transactional else {
        return ErrorMessage(
          "\(location): \(underlying)\(code). \(what) ran outside a transaction, so the "
            + "statements before this one stay done; it was recorded as failed.\(kept) ",
          action: "Inspect the database, finish or undo the change by hand, then see "
            + "docs/troubleshooting.md ('partly applied').")
      }
      let refused: Bool
      if case .statementRefused = underlying as? SQLiteError {
        refused = true
      } else {
        refused = false
      }
      let next =
        direction == .up
        ? (refused
          ? "Remove the statement from the migration and run 'schemaledger apply' again."
          : "Fix the statement and run 'schemaledger apply' again.")
        : "The recorded down SQL cannot be edited: fix what stops it in the database, "
          + "or undo the change with a new migration (see docs/troubleshooting.md)."
      return ErrorMessage(
        "\(location): \(underlying)\(code). \(what) was undone and recorded as "
          + "failed.\(state)\(kept) ",
        action: next)
    case .transactionLeftOpen(let id, let direction, let location, let before):
      let what = direction == .up ? "Migration \(id)" : "The rollback of \(id)"
      let kept = Self.kept(before, direction)
      return ErrorMessage(
        "\(location): \(Self.transactionLeftOpenProblem). \(what) ran outside a "
          + "transaction: SchemaLedger rolled the open transaction back, so the statements "
          + "after its BEGIN are not in the database, and those before it stay done. It was "
          + "recorded as failed.\(kept) ",
        action: "End the migration's own transaction with COMMIT (or remove its BEGIN), "
          + "inspect the database, then see docs/troubleshooting.md ('partly applied').")
    case .rehearsalFailed(let id, let direction, let underlying):
      let reason = underlying.summary
      let verb = direction == .up ? "applying" : "rolling back"
      let skip = direction == .up ? Remedy.withoutRehearsalUp : Remedy.withoutRehearsalDown
      return ErrorMessage(
        "The rehearsal on a scratch copy failed at \(verb) \(id): \(reason). The real "
          + "database was not touched; the rehearsal and its verdict are recorded in the "
          + "ledger. ",
        action: "Fix the cause, or \(skip) if you know why the copy differs.")
    case .rehearsalNotIsolated(let id, let direction, let location, let refusal):
      let what = direction == .up ? "Migration \(id)" : "The rollback of \(id)"
      let skip = direction == .up ? Remedy.withoutRehearsalUp : Remedy.withoutRehearsalDown
      return ErrorMessage(
        "\(what) \(refusal.action) (\(location)); a rehearsal cannot run it without "
          + "writing outside the scratch copy. Nothing was changed (the refused rehearsal is "
          + "recorded in the ledger); ",
        action: "\(skip) if you accept that risk: the plan then runs once, on the real "
          + "database only, unrehearsed.")
    case .foreignKeyViolations(let id, let file, let violations, let transactional):
      let shown = violations.prefix(5).map { "  - \($0)" }.joined(separator: "\n")
      let more = violations.count > 5 ? "\n  - … \(violations.count - 5) more" : ""
      return ErrorMessage(
        "\(file): migration \(id) left foreign-key violations:\n\(shown)\(more)\n"
          + (transactional
            ? "It was rolled back and recorded as failed. "
            : "It ran outside a transaction, so its changes stay; it was recorded as failed "
              + "and blocks further runs until resolved ('schemaledger resolve'). "),
        action: "Fix the data or the migration (see docs/writing-migrations.md, 'Foreign "
          + "keys') and run 'schemaledger apply' again.")
    case .reconstructionFailed(let seq, let migration, let underlying):
      return ErrorMessage(
        "Replaying event #\(seq) (\(migration)) failed: \(underlying). The recorded SQL "
          + "depends on something the replay does not have (data, an extension: pass "
          + "\(Remedy.loadExtension)).")
    case .database(let error):
      return error.errorMessage
    case .stepDatabaseFailed(let id, let direction, let transactional, let recorded, let error):
      let what = direction == .up ? "Migration \(id)" : "The rollback of \(id)"
      let record =
        recorded
        ? "it was recorded as failed with detail 'database error': the database failed, not "
          + "its SQL."
        : "the failure could not be recorded either; the next run records the attempt as "
          + "interrupted."
      guard transactional else {
        return ErrorMessage(
          error.errorMessage.text + " \(what) was running outside a transaction, so its "
            + "statements before the failure stay done; \(record) ",
          action: "Inspect the database, finish or undo the change by hand, then run "
            + "'schemaledger resolve' (see docs/troubleshooting.md, 'partly applied').")
      }
      let again = direction == .up ? "apply" : "rollback"
      return ErrorMessage(
        error.errorMessage.text + " \(what) was running; its transaction was rolled back, so "
          + "nothing of it stays, and \(record) ",
        action: "Once that is fixed, run 'schemaledger \(again)' again.")
    }
  }
}

extension ExecutionError {
  /// ` 2 migrations applied before it stay applied.` (or rolled back), or nothing when
  /// `before` is empty.
  static func kept(_ before: [String], _ direction: Direction) -> String {
    let done = direction == .up ? "applied" : "rolled back"
    return before.isEmpty
      ? ""
      : " \(before.count) migration\(before.count == 1 ? "" : "s") \(done) before it "
        + "stay \(done)."
  }

  /// What `transactionLeftOpen` found, in the words the ledger records.
  static let transactionLeftOpenProblem =
    "the SQL left its own transaction open (BEGIN without COMMIT)"

  /// `true` when the operator stopped a replay of the ledger's SQL.
  var isReplayStopped: Bool {
    if case .replayStopped = self { return true }
    return false
  }

  /// `true` when the database failed rather than a migration (`DatabaseError.isDatabaseFailure`).
  var isDatabaseFailure: Bool {
    switch self {
    case .database(let error), .stepDatabaseFailed(_, _, _, _, let error):
      return error.isDatabaseFailure
    default:
      return false
    }
  }

  /// The failure in one line, without advice: where and what (for rehearsal verdicts).
  var summary: String {
    switch self {
    case .migrationFailed(_, _, let location, let underlying, _, _):
      return "\(location): \(underlying)" + (underlying.codeName.map { " (\($0))" } ?? "")
    case .foreignKeyViolations(_, let file, let violations, _):
      return "\(file): left foreign-key violations: " + violations.joined(separator: "; ")
    case .transactionLeftOpen(_, _, let location, _):
      return "\(location): \(Self.transactionLeftOpenProblem)"
    default:
      return description
    }
  }
}
