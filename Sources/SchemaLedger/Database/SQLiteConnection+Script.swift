import CSQLite
import FoundationEssentials

extension SQLiteConnection {
  /// Runs every statement of `sql` in order: prepares each with `sqlite3_prepare_v3`,
  /// walks the tail pointer, skips comment-only segments and steps each statement to the
  /// end. On failure the error's offset locates the failing statement (or token) in `sql`.
  /// A heartbeat is driven by `sqlite3_progress_handler`, which SQLite calls every few
  /// thousand virtual-machine instructions, even inside one long statement.
  public func executeScript(_ sql: String, heartbeat: ScriptHeartbeat?) throws {
    let monitor = heartbeat.map { ProgressMonitor(heartbeat: $0, handle: handle) }
    if let monitor {
      sqlite3_progress_handler(
        handle, 20_000,
        { context in
          guard let context else { return 0 }
          Unmanaged<ProgressMonitor>.fromOpaque(context).takeUnretainedValue().tick()
          return 0
        }, Unmanaged.passUnretained(monitor).toOpaque())
    }
    defer {
      if monitor != nil { sqlite3_progress_handler(handle, 0, nil, nil) }
      withExtendedLifetime(monitor) {}
    }
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
        monitor?.statementsDone += 1
        guard let tail, tail > cursor else { break }
        cursor = tail
      }
    }
  }
}

/// The state behind a heartbeat: when the script started, when the last beat was sent.
/// Used only on the thread running the script (SQLite calls the progress handler there).
private final class ProgressMonitor {
  let heartbeat: ScriptHeartbeat
  let handle: OpaquePointer
  let start = Date()
  var lastBeat = Date()
  var statementsDone = 0
  let changesAtStart: Int64

  init(heartbeat: ScriptHeartbeat, handle: OpaquePointer) {
    self.heartbeat = heartbeat
    self.handle = handle
    changesAtStart = sqlite3_total_changes64(handle)
  }

  func tick() {
    let now = Date()
    guard now.timeIntervalSince(lastBeat) >= heartbeat.interval else { return }
    lastBeat = now
    heartbeat.beat(
      ScriptHeartbeat.Beat(
        elapsedSeconds: now.timeIntervalSince(start), statementsDone: statementsDone,
        rowsChanged: sqlite3_total_changes64(handle) - changesAtStart))
  }
}
