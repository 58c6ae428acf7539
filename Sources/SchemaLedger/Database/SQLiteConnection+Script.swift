import CSQLite

extension SQLiteConnection {
  /// Runs every statement of `sql` in order: prepares each with `sqlite3_prepare_v3`,
  /// walks the tail pointer, skips comment-only segments and steps each statement to the
  /// end. On failure the error's offset locates the failing statement (or token) in `sql`.
  public func executeScript(_ sql: String) throws {
    var bytes = Array(sql.utf8CString)
    let length = bytes.count - 1  // without the terminating NUL
    try bytes.withUnsafeMutableBufferPointer { buffer in
      let base = UnsafePointer(buffer.baseAddress!)
      var cursor = base
      while cursor - base < length {
        let start = cursor - base
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let code = sqlite3_prepare_v3(
          handle, cursor, Int32(length - start), 0, &statement, &tail)
        guard code == SQLITE_OK else {
          sqlite3_finalize(statement)
          throw error(code: code, sql: sql, statementStart: start)
        }
        guard let statement else { break }  // only whitespace and comments remain
        defer { sqlite3_finalize(statement) }
        while true {
          let stepCode = sqlite3_step(statement)
          if stepCode == SQLITE_DONE { break }
          if stepCode != SQLITE_ROW {
            throw error(code: stepCode, sql: sql, statementStart: start)
          }
        }
        guard let tail, tail > cursor else { break }
        cursor = tail
      }
    }
  }
}
