/// A failure while carrying a plan out. Wraps the underlying `SQLiteError`, so its
/// extended result code stays available.
public enum ExecutionError: Error, Sendable {
  /// A migration's SQL failed. Its transaction was rolled back (when it had one) and a
  /// `failed` event was recorded. `location` is the file (or ledger event) and line of
  /// the failing statement; `completedBefore` lists what this run did before it.
  case migrationFailed(
    migration: String, direction: Direction, location: SourceLocation, underlying: SQLiteError,
    transactional: Bool, completedBefore: [String])
  /// The rehearsal on a scratch copy failed; the real database was not touched.
  case rehearsalFailed(migration: String, direction: Direction, reason: String)
  /// A migration left foreign-key violations; it was rolled back and recorded as failed.
  case foreignKeyViolations(
    migration: String, file: String, violations: [String], transactional: Bool)
  /// Replaying the ledger's recorded SQL failed at an event.
  case reconstructionFailed(seq: Int64, migration: String, message: String)
  /// The database could not be used (busy, read-only, I/O): wraps what SQLite said.
  case database(SQLiteError)
  /// The database failed (full, I/O, busy) while a migration's step ran: not the SQL's
  /// fault. A step in a transaction was rolled back; one outside a transaction may be
  /// partly done. `recorded` tells whether the `failed` event (detail `database error`)
  /// could be written; when not, the next run records the attempt as interrupted.
  case stepDatabaseFailed(
    migration: String, direction: Direction, transactional: Bool, recorded: Bool,
    underlying: SQLiteError)
}

extension ExecutionError: CustomStringConvertible {
  /// What failed, where, what to do next.
  public var description: String {
    switch self {
    case .migrationFailed(
      let id, let direction, let location, let underlying, let transactional, let before):
      let code = underlying.codeName.map { " (\($0))" } ?? ""
      let done = direction == .up ? "applied" : "rolled back"
      let kept =
        before.isEmpty
        ? ""
        : " \(before.count) migration\(before.count == 1 ? "" : "s") \(done) before it "
          + "stay \(done)."
      let what = direction == .up ? "Migration \(id)" : "The rollback of \(id)"
      let state = direction == .up ? "" : " \(id) stays applied."
      guard transactional else {
        return "\(location): \(underlying)\(code). \(what) ran outside a transaction, so the "
          + "statements before this one stay done; it was recorded as failed.\(kept) Inspect "
          + "the database, finish or undo the change by hand, then see "
          + "docs/troubleshooting.md ('partly applied')."
      }
      let next =
        direction == .up
        ? "Fix the statement and run 'schemaledger apply' again."
        : "The recorded down SQL cannot be edited: fix what stops it in the database, "
          + "or undo the change with a new migration (see docs/troubleshooting.md)."
      return "\(location): \(underlying)\(code). \(what) was undone and recorded as "
        + "failed.\(state)\(kept) \(next)"
    case .rehearsalFailed(let id, let direction, let reason):
      let verb = direction == .up ? "applying" : "rolling back"
      let skip = direction == .up ? "run without --rehearse" : "use --no-rehearse"
      return "The rehearsal on a scratch copy failed at \(verb) \(id): \(reason). The real "
        + "database was not touched; the rehearsal and its verdict are recorded in the "
        + "ledger. Fix the cause, or \(skip) if you know why the copy differs."
    case .foreignKeyViolations(let id, let file, let violations, let transactional):
      let shown = violations.prefix(5).map { "  - \($0)" }.joined(separator: "\n")
      let more = violations.count > 5 ? "\n  - … \(violations.count - 5) more" : ""
      return "\(file): migration \(id) left foreign-key violations:\n\(shown)\(more)\n"
        + (transactional
          ? "It was rolled back and recorded as failed. "
          : "It ran outside a transaction, so its changes stay; it was recorded as failed "
            + "and blocks further runs until resolved ('schemaledger resolve'). ")
        + "Fix the data or the migration (see docs/writing-migrations.md, 'Foreign keys') "
        + "and run 'schemaledger apply' again."
    case .reconstructionFailed(let seq, let migration, let message):
      return "Replaying event #\(seq) (\(migration)) failed: \(message). The recorded SQL "
        + "depends on something the replay does not have (data, an extension: pass "
        + "--load-extension)."
    case .database(let error):
      return error.description
    case .stepDatabaseFailed(let id, let direction, let transactional, let recorded, let error):
      let what = direction == .up ? "Migration \(id)" : "The rollback of \(id)"
      let record =
        recorded
        ? "it was recorded as failed with detail 'database error': the database failed, not "
          + "its SQL."
        : "the failure could not be recorded either; the next run records the attempt as "
          + "interrupted."
      guard transactional else {
        return "\(error) \(what) was running outside a transaction, so its statements before "
          + "the failure stay done; \(record) Inspect the database, finish or undo the change "
          + "by hand, then run 'schemaledger resolve' (see docs/troubleshooting.md, 'partly "
          + "applied')."
      }
      let again = direction == .up ? "apply" : "rollback"
      return "\(error) \(what) was running; its transaction was rolled back, so nothing of "
        + "it stays, and \(record) Once that is fixed, run 'schemaledger \(again)' again."
    }
  }
}

extension ExecutionError {
  /// `true` when the database failed rather than a migration (`SQLiteError.isDatabaseFailure`).
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
    default:
      return description
    }
  }
}
