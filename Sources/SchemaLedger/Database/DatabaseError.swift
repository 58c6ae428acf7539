/// What SchemaLedger needs to know of any engine's failure, whatever the engine: where in
/// the SQL it happened, whether the database failed rather than the SQL, whether a row
/// lost a race on its key, and a code to record. `SQLiteError` and `PostgresError` conform;
/// the runner and the ledger store read errors only through it, so that a migration's
/// failure is recorded as the migration's, and a failure of the database as the
/// database's, on every engine.
public protocol DatabaseError: Error, Sendable, AudienceDescribable {
  /// The UTF-8 byte offset, in the SQL that was given, of the statement (or token) that
  /// failed or was refused; `nil` when the failure is not a statement's.
  var offset: Int? { get }
  /// `true` when the database failed (busy, full, I/O, read-only, the connection lost),
  /// not the SQL that was running: never the migration's fault.
  var isDatabaseFailure: Bool { get }
  /// `true` when a row was refused because a row with its primary key exists: for the
  /// ledger, another runner appended that `seq` first.
  var isPrimaryKeyViolation: Bool { get }
  /// The engine's numeric code for the failure, recorded as an event's `error_code`
  /// (SQLite's extended result code); `nil` when the engine has none that is a number.
  var extendedCode: Int32? { get }
  /// The engine's name for the failure (`SQLITE_CONSTRAINT_UNIQUE`, `SQLSTATE 42P01`),
  /// shown after the message.
  var codeName: String? { get }
}

extension SQLiteError: DatabaseError {}

extension DatabaseError {
  /// The message, with its advice worded for each reader when the engine's error words
  /// it so (`MessageBacked`), else its description.
  package var errorMessage: ErrorMessage {
    (self as? any MessageBacked)?.message ?? ErrorMessage(description)
  }
}
