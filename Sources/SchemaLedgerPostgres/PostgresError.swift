import SchemaLedger

/// A failure of the PostgreSQL engine: connecting, or a statement the server refused.
/// Every message says where (the server, without its password) and what to do next.
public enum PostgresError: Error, Sendable, Equatable {
  /// The server could not be reached or refused the connection; `message` is libpq's.
  case cannotConnect(server: String, message: String)
  /// A statement failed on the server. `sqlState` is PostgreSQL's five-character code
  /// (`42P01`: no such table), `offset` the UTF-8 byte offset in `sql` of the failing
  /// statement or token when the server gave a position.
  case statementFailed(
    server: String, sqlState: String, message: String, detail: String?, hint: String?,
    sql: String, offset: Int?)
  /// The connection to the server was lost (a server restart, a dropped network, a pooler
  /// that closed it).
  case connectionLost(server: String, message: String)
  /// What SchemaLedger asked of this engine does not exist on it yet.
  case unsupported(server: String, what: String)

  /// The UTF-8 byte offset of the failure in the SQL given, when known.
  public var offset: Int? {
    if case .statementFailed(_, _, _, _, _, _, let offset) = self { return offset }
    return nil
  }

  /// PostgreSQL's SQLSTATE, for a statement that failed.
  public var sqlState: String? {
    if case .statementFailed(_, let state, _, _, _, _, _) = self { return state }
    return nil
  }

  /// `true` when the server refused a row because its key exists (`23505`).
  public var isUniqueViolation: Bool { sqlState == "23505" }
}

extension PostgresError: CustomStringConvertible {
  /// What happened, where, and what to do.
  public var description: String {
    switch self {
    case .cannotConnect(let server, let message):
      return "Cannot connect to PostgreSQL at \(server): \(message). Check that the server "
        + "runs and accepts connections there (pg_isready), and the user, password and "
        + "database in the URL or the PG* environment variables."
    case .statementFailed(_, let state, let message, let detail, let hint, _, _):
      return message + " (SQLSTATE \(state))" + (detail.map { ". \($0)" } ?? "")
        + (hint.map { ". Hint: \($0)" } ?? "")
    case .connectionLost(let server, let message):
      return "The connection to PostgreSQL at \(server) was lost: \(message). Nothing "
        + "after the last commit was kept; run the command again once the server is back."
    case .unsupported(let server, let what):
      return "\(what) is not available on PostgreSQL yet (\(server)); use a SQLite "
        + "database for it, or see docs/postgresql.md for what the engine supports."
    }
  }
}
