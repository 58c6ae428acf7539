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
  /// The server accepts no writes: a standby, or `default_transaction_read_only`.
  case readOnly(server: String)
  /// What SchemaLedger asked of this engine does not exist on it yet.
  case unsupported(server: String, what: String)
  /// The scratch database for reconstructing a schema could not be created or reached
  /// (`PostgresScratchDatabase`); `reason` is the server's or libpq's message.
  case scratchDatabaseFailed(server: String, database: String, reason: String)
  /// A migration's statement names the ledger's schema or objects in a statement that may
  /// change them: refused before it ran. `offset` locates it in `sql`.
  case statementRefused(server: String, statement: String, object: String, sql: String, offset: Int)

  /// The UTF-8 byte offset of the failure in the SQL given, when known.
  public var offset: Int? {
    switch self {
    case .statementFailed(_, _, _, _, _, _, let offset): return offset
    case .statementRefused(_, _, _, _, let offset): return offset
    default: return nil
    }
  }

  /// The failure with the sessions likely to hold the lock it waited for, in its detail.
  func withLockHolders(_ holders: [String]) -> PostgresError {
    guard
      case .statementFailed(
        let server, let state, let message, let detail, let hint,
        let sql, let offset) = self
    else { return self }
    let named =
      holders.isEmpty
      ? "No other session has a transaction open now: the lock was released since."
      : "Sessions with a transaction open, oldest first: " + holders.joined(separator: "; ")
    return .statementFailed(
      server: server, sqlState: state,
      message: message + " (the step waited longer than its lock_timeout for a lock another "
        + "session holds)",
      detail: [detail, named].compactMap { $0 }.joined(separator: ". "),
      hint: hint
        ?? "Let that transaction finish, or end it (pg_terminate_backend), then run the "
        + "command again; a longer wait stalls the application's queries queued behind it",
      sql: sql, offset: offset)
  }

  /// The same failure located in the whole `sql` of which the failing statement started at
  /// byte `start`.
  func shifted(by start: Int, in sql: String) -> PostgresError {
    guard
      case .statementFailed(
        let server, let state, let message, let detail, let hint, _,
        let offset) = self
    else { return self }
    return .statementFailed(
      server: server, sqlState: state, message: message, detail: detail, hint: hint,
      sql: sql, offset: start + (offset ?? 0))
  }

  /// PostgreSQL's SQLSTATE, for a statement that failed.
  public var sqlState: String? {
    if case .statementFailed(_, let state, _, _, _, _, _) = self { return state }
    return nil
  }

  /// `true` when the server refused a row because its key exists (`23505`): for the
  /// ledger's events, another runner appended that `seq` first.
  public var isPrimaryKeyViolation: Bool { sqlState == "23505" }

  /// `true` when the server or the connection failed, not the SQL: connecting, a lost
  /// connection, and the SQLSTATE classes of connection exceptions (`08`), insufficient
  /// resources (`53`), operator intervention (`57`, such as a server shutting down) and
  /// system errors (`58`), a serialization failure or deadlock (`40`), and a lock that
  /// another session held longer than `lock_timeout` (`55P03`). A statement cancelled at
  /// the operator's request (`57014`) is not: the runner records the stop as such.
  public var isDatabaseFailure: Bool {
    switch self {
    case .cannotConnect, .connectionLost, .readOnly, .scratchDatabaseFailed: return true
    case .unsupported, .statementRefused: return false
    case .statementFailed(_, let state, _, _, _, _, _):
      return
        (["08", "53", "57", "58", "40"].contains(String(state.prefix(2)))
        && state != "57014") || state == "55P03"
    }
  }

  /// None: PostgreSQL's codes (SQLSTATE) are not numbers; `codeName` names them.
  public var extendedCode: Int32? { nil }

  /// `SQLSTATE 42P01`, for a statement that failed.
  public var codeName: String? { sqlState.map { "SQLSTATE \($0)" } }
}

extension PostgresError: DatabaseError, MessageBacked {
  /// What happened, where, and what to do.
  package var message: ErrorMessage {
    switch self {
    case .cannotConnect(let server, let message):
      return ErrorMessage(
        "Cannot connect to PostgreSQL at \(server): \(message). ",
        action: "Check that the server runs and accepts connections there (pg_isready), "
          + "and the user, password and database in the URL or the PG* environment "
          + "variables.")
    case .statementFailed(_, _, let message, let detail, let hint, _, _):
      return ErrorMessage(
        message + (detail.map { ". \($0)" } ?? "") + (hint.map { ". Hint: \($0)" } ?? ""))
    case .connectionLost(let server, let message):
      return ErrorMessage(
        "The connection to PostgreSQL at \(server) was lost: \(message). Nothing after the "
          + "last commit was kept; ",
        action: "run the command again once the server is back.")
    case .statementRefused(_, let statement, let object, _, _):
      return ErrorMessage(
        "refused before it ran: this \(statement) statement names \(object), which belongs to "
          + "SchemaLedger's ledger; migrations may read the ledger but not change it. ",
        action: "Remove the statement from the migration.")
    case .readOnly(let server):
      return ErrorMessage(
        "The PostgreSQL server at \(server) accepts no writes (a standby, or "
          + "default_transaction_read_only is on); nothing was changed. ",
        action: "Connect to the primary server, or use a read-only command such as status.")
    case .scratchDatabaseFailed(let server, let database, let reason):
      return ErrorMessage(
        "Reconstructing the schema from the ledger needs a scratch database on the "
          + "PostgreSQL server at \(server), and \(database) could not be made: \(reason) ",
        action: "Give the role the CREATEDB privilege (ALTER ROLE <role> CREATEDB) or use a "
          + "URL whose role has it; the scratch database is created from template0 and "
          + "dropped afterwards. Behind PgBouncer, use a URL straight to the server, or "
          + "let the pooler reach databases named schemaledger_scratch_*.")
    case .unsupported(let server, let what):
      return ErrorMessage(
        "\(what) is not available on PostgreSQL yet (\(server)); ",
        action: "use a SQLite database for it, or see docs/postgresql.md for what the "
          + "engine supports.")
    }
  }
}
