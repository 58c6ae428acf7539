import CSQLite

/// The floor: a bare connection over the sqlite3 C API with no ledger, no file reading and
/// no bookkeeping. It runs SQL the way SchemaLedger's own `executeScript` does
/// (`sqlite3_prepare_v3`, walking the tail pointer, `sqlite3_step` to the end), so the two
/// sides differ only by what SchemaLedger adds.
///
/// It never sets a pragma: journal mode and synchronous stay SQLite's defaults, as on the
/// measured side.
final class FloorDatabase {
  private var handle: OpaquePointer?

  // MARK: - Open

  /// Opens `path` read-write (`sqlite3_open_v2`), creating it when `create` is set, with
  /// the flags SchemaLedger's connection uses (`SQLITE_OPEN_NOMUTEX`: one thread per
  /// connection, so no per-call mutex on either side).
  init(path: String, create: Bool = true) throws {
    var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
    if create { flags |= SQLITE_OPEN_CREATE }
    var db: OpaquePointer?
    let code = sqlite3_open_v2(path, &db, flags, nil)
    guard code == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      sqlite3_close_v2(db)
      throw BenchError.sqlite("cannot open \(path): \(message)")
    }
    handle = db
  }

  deinit {
    close()
  }

  // MARK: - Use

  /// Runs every statement of `script` in order (`sqlite3_prepare_v3` + `sqlite3_step`).
  func execute(_ script: String) throws {
    guard let handle else { throw BenchError.sqlite("connection closed") }
    var bytes = Array(script.utf8CString)
    let length = bytes.count - 1
    try bytes.withUnsafeMutableBufferPointer { buffer in
      let base = UnsafePointer(buffer.baseAddress!)
      var cursor = base
      while cursor - base < length {
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        // With the terminating NUL, as SchemaLedger does: SQLite reads the script in place
        // instead of copying the rest of it for each statement.
        let code = sqlite3_prepare_v3(
          handle, cursor, Int32(length - (cursor - base) + 1), 0, &statement, &tail)
        guard code == SQLITE_OK else {
          sqlite3_finalize(statement)
          throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
        }
        guard let statement else { break }
        defer { sqlite3_finalize(statement) }
        var step = sqlite3_step(statement)
        while step == SQLITE_ROW { step = sqlite3_step(statement) }
        guard step == SQLITE_DONE else {
          throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
        }
        guard let tail, tail > cursor else { break }
        cursor = tail
      }
    }
  }

  /// Runs `script` in one transaction (`BEGIN IMMEDIATE` ... `COMMIT`, as SchemaLedger
  /// does for a migration), rolling back on error.
  func executeInTransaction(_ script: String) throws {
    try execute("BEGIN IMMEDIATE")
    do {
      try execute(script)
      try execute("COMMIT")
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Steps `sql` (with `parameter` bound to `?1` when given) to the end and reads every
  /// column of every row in its own type, the way a reader must (`sqlite3_column_int64`,
  /// `sqlite3_column_text` + `sqlite3_column_bytes`), without building Swift values.
  /// Returns the number of rows and a checksum of what was read, so nothing is skipped.
  @discardableResult
  func scan(_ sql: String, parameter: String? = nil) throws -> (rows: Int, checksum: Int64) {
    guard let handle else { throw BenchError.sqlite("connection closed") }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v3(handle, sql, -1, 0, &statement, nil) == SQLITE_OK, let statement
    else {
      sqlite3_finalize(statement)
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
    }
    defer { sqlite3_finalize(statement) }
    if let parameter {
      sqlite3_bind_text(statement, 1, parameter, -1, schemaledger_sqlite_transient)
    }
    let columns = sqlite3_column_count(statement)
    var rows = 0
    var checksum: Int64 = 0
    var step = sqlite3_step(statement)
    while step == SQLITE_ROW {
      rows += 1
      for column in 0..<columns {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
          checksum &+= sqlite3_column_int64(statement, column)
        case SQLITE_NULL:
          break
        default:
          if let text = sqlite3_column_text(statement, column) {
            checksum &+= Int64(text.pointee) &+ Int64(sqlite3_column_bytes(statement, column))
          }
        }
      }
      step = sqlite3_step(statement)
    }
    guard step == SQLITE_DONE else {
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
    }
    return (rows, checksum)
  }

  /// The first column of the first row of `sql` as text (`nil` when no row).
  func text(_ sql: String) throws -> String? {
    guard let handle else { throw BenchError.sqlite("connection closed") }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v3(handle, sql, -1, 0, &statement, nil) == SQLITE_OK, let statement
    else {
      sqlite3_finalize(statement)
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
    }
    defer { sqlite3_finalize(statement) }
    guard sqlite3_step(statement) == SQLITE_ROW,
      let text = sqlite3_column_text(statement, 0)
    else { return nil }
    return String(cString: text)
  }

  /// The column names of `table`, in order (`PRAGMA table_info`).
  func columns(of table: String) throws -> [String] {
    guard let handle else { throw BenchError.sqlite("connection closed") }
    var statement: OpaquePointer?
    let sql = "SELECT name FROM pragma_table_info(?1) ORDER BY cid"
    guard sqlite3_prepare_v3(handle, sql, -1, 0, &statement, nil) == SQLITE_OK, let statement
    else {
      sqlite3_finalize(statement)
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
    }
    defer { sqlite3_finalize(statement) }
    sqlite3_bind_text(statement, 1, table, -1, schemaledger_sqlite_transient)
    var names: [String] = []
    while sqlite3_step(statement) == SQLITE_ROW {
      if let name = sqlite3_column_text(statement, 0) { names.append(String(cString: name)) }
    }
    return names
  }

  /// Prepares `sql` once for repeated use (`SQLITE_PREPARE_PERSISTENT`), as a migrator's
  /// statement cache does: SQLite prepares it again by itself after a schema change.
  func prepare(_ sql: String) throws -> OpaquePointer {
    guard let handle else { throw BenchError.sqlite("connection closed") }
    var statement: OpaquePointer?
    guard
      sqlite3_prepare_v3(
        handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
      let statement
    else {
      sqlite3_finalize(statement)
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
    }
    return statement
  }

  /// Runs a statement from `prepare(_:)` with `text` bound to `?1`, to the end.
  func run(_ statement: OpaquePointer, binding text: String) throws {
    sqlite3_reset(statement)
    sqlite3_bind_text(statement, 1, text, -1, schemaledger_sqlite_transient)
    guard sqlite3_step(statement) == SQLITE_DONE else {
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(handle)))
    }
  }

  /// The raw handle, for the ledger generator's prepared `INSERT`.
  var rawHandle: OpaquePointer? { handle }

  // MARK: - Close

  /// Closes the connection (`sqlite3_close_v2`); idempotent.
  func close() {
    if let handle { sqlite3_close_v2(handle) }
    handle = nil
  }

  /// The SQLite library's version (`sqlite3_libversion`).
  static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}
