import CSQLite

/// A prepared statement that owns its `sqlite3_stmt` and finalizes it in `deinit`, on
/// every path.
final class SQLiteStatement {
  let handle: OpaquePointer
  private unowned let connection: SQLiteConnection

  /// Prepares one statement with `sqlite3_prepare_v3` (`SQLITE_PREPARE_PERSISTENT` when
  /// the statement will be cached and reused).
  init(connection: SQLiteConnection, sql: String, persistent: Bool) throws {
    self.connection = connection
    var statement: OpaquePointer?
    let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
    let code = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &statement, nil)
    guard code == SQLITE_OK, let statement else {
      sqlite3_finalize(statement)
      throw connection.error(code: code, sql: sql, statementStart: 0)
    }
    handle = statement
  }

  deinit {
    sqlite3_finalize(handle)
  }

  /// Resets the statement and binds `arguments` (`sqlite3_bind_*` with
  /// `SQLITE_TRANSIENT`), checking every return code.
  func bind(_ arguments: [SQLValue]) throws {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
    for (index, value) in arguments.enumerated() {
      let position = Int32(index + 1)
      let code: Int32
      switch value {
      case .null: code = sqlite3_bind_null(handle, position)
      case .integer(let int): code = sqlite3_bind_int64(handle, position, int)
      case .real(let double): code = sqlite3_bind_double(handle, position, double)
      case .text(let text):
        code = sqlite3_bind_text(handle, position, text, -1, schemaledger_sqlite_transient)
      }
      guard code == SQLITE_OK else {
        throw connection.error(code: code, sql: sql, statementStart: 0)
      }
    }
  }

  /// Steps to the next row (`sqlite3_step`): `true` for a row, `false` when done.
  func step() throws -> Bool {
    let code = sqlite3_step(handle)
    switch code {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let error = connection.error(code: code, sql: sql, statementStart: 0)
      sqlite3_reset(handle)
      throw error
    }
  }

  /// Steps through every row, calling `body` for each, then resets the statement.
  func forEachRow(_ body: (any SQLRow) throws -> Void) throws {
    defer { sqlite3_reset(handle) }
    let row = SQLiteRow(handle: handle)
    while try step() {
      try body(row)
    }
  }

  /// The statement's SQL text (`sqlite3_sql`).
  var sql: String {
    sqlite3_sql(handle).map { String(cString: $0) } ?? ""
  }
}

/// The current row of a stepping statement (`sqlite3_column_*`).
struct SQLiteRow: SQLRow {
  let handle: OpaquePointer

  func int64(_ column: Int) -> Int64? {
    let index = Int32(column)
    if sqlite3_column_type(handle, index) == SQLITE_NULL { return nil }
    return sqlite3_column_int64(handle, index)
  }

  func double(_ column: Int) -> Double? {
    let index = Int32(column)
    if sqlite3_column_type(handle, index) == SQLITE_NULL { return nil }
    return sqlite3_column_double(handle, index)
  }

  func text(_ column: Int) -> String? {
    textBytes(column).map { String(decoding: $0, as: UTF8.self) }
  }

  /// `sqlite3_column_text` and `sqlite3_column_bytes`, without copying.
  func textBytes(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
    let index = Int32(column)
    guard let bytes = sqlite3_column_text(handle, index) else { return nil }
    let count = Int(sqlite3_column_bytes(handle, index))
    return UnsafeBufferPointer(start: bytes, count: count)
  }
}
