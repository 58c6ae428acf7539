/// A failure while carrying a plan out. Wraps the underlying `SQLiteError`, so its
/// extended result code stays available.
public enum ExecutionError: Error, Sendable {
  /// A migration's SQL failed. Its transaction was rolled back (when it had one) and a
  /// `failed` event was recorded. `location` is the file and line of the failing
  /// statement; `appliedBefore` lists what this run applied before it.
  case migrationFailed(
    migration: String, location: SourceLocation, underlying: SQLiteError, transactional: Bool,
    appliedBefore: [String])
  /// A migration left foreign-key violations; it was rolled back and recorded as failed.
  case foreignKeyViolations(migration: String, file: String, violations: [String])
  /// The database could not be used (busy, read-only, I/O): wraps what SQLite said.
  case database(SQLiteError)
}

extension ExecutionError: CustomStringConvertible {
  /// What failed, where, what to do next.
  public var description: String {
    switch self {
    case .migrationFailed(let id, let location, let underlying, let transactional, let before):
      let code = underlying.codeName.map { " (\($0))" } ?? ""
      let kept =
        before.isEmpty
        ? ""
        : " \(before.count) migration\(before.count == 1 ? "" : "s") applied before it stay applied."
      if transactional {
        return "\(location): \(underlying)\(code). Migration \(id) was rolled back and "
          + "recorded as failed.\(kept) Fix the statement and run 'schemaledger apply' again."
      }
      return "\(location): \(underlying)\(code). Migration \(id) ran outside a transaction, "
        + "so the statements before this one stay applied; it was recorded as failed.\(kept) "
        + "Inspect the database, finish or undo the change by hand, then see "
        + "docs/troubleshooting.md ('partly applied')."
    case .foreignKeyViolations(let id, let file, let violations):
      let shown = violations.prefix(5).map { "  - \($0)" }.joined(separator: "\n")
      let more = violations.count > 5 ? "\n  - … \(violations.count - 5) more" : ""
      return "\(file): migration \(id) left foreign-key violations:\n\(shown)\(more)\n"
        + "It was rolled back and recorded as failed. Fix the data or the migration "
        + "(see docs/writing-migrations.md, 'Foreign keys') and run 'schemaledger apply' again."
    case .database(let error):
      return error.description
    }
  }
}
