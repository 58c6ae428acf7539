import CSQLite
import FoundationEssentials

extension SQLiteConnection {
  /// Runs every statement of `sql` in order: prepares each with `sqlite3_prepare_v3`,
  /// walks the tail pointer, skips comment-only segments and steps each statement to the
  /// end. On failure the error's offset locates the failing statement (or token) in `sql`.
  /// A heartbeat is driven by `sqlite3_progress_handler`, which SQLite calls every few
  /// thousand virtual-machine instructions, even inside one long statement.
  ///
  /// With a `scriptGuard`, the connection's authorizer (`sqlite3_set_authorizer`, see
  /// `StatementAuthorizer`) judges every statement of the script, and only those: it
  /// allows everything again before this returns. A refused statement throws
  /// `SQLiteError.statementRefused` (SQLite's own `not authorized` says neither what nor
  /// why). A borrowed connection runs the script unguarded: it has no authorizer of ours.
  public func executeScript(
    _ sql: String, heartbeat: ScriptHeartbeat?, guardedBy scriptGuard: ScriptGuard?
  ) throws {
    let authorizer = scriptGuard == nil ? nil : self.authorizer
    if let authorizer {
      if !authorizerInstalled {
        installAuthorizer(authorizer)
        authorizerInstalled = true
      }
      authorizer.rules = scriptGuard
    }
    defer { authorizer?.rules = nil }
    let monitor = heartbeat.map { ProgressMonitor(heartbeat: $0, handle: handle) }
    if let monitor {
      sqlite3_progress_handler(
        handle, 20_000,
        { context in
          guard let context else { return 0 }
          return Unmanaged<ProgressMonitor>.fromOpaque(context).takeUnretainedValue().tick()
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
        authorizer?.startStatement()
        // The length counts the terminating NUL: SQLite then reads the script in place.
        // Without it, SQLite copies the rest of the script for every statement, which is
        // quadratic (a 50 MB migration of 50,000 statements copied 1.25 TB).
        let code = sqlite3_prepare_v3(
          handle, cursor, Int32(length - start + 1), 0, &statement, &tail)
        authorizer?.preparing = false
        guard code == SQLITE_OK else {
          sqlite3_finalize(statement)
          throw refusal(authorizer, sql: sql, statementStart: start)
            ?? error(code: code, sql: sql, statementStart: start)
        }
        guard let statement else { break }  // only whitespace and comments remain
        defer { sqlite3_finalize(statement) }
        if let authorizer, authorizer.alteredTable != nil, let text = sqlite3_sql(statement),
          let refused = authorizer.renameRefusal(statementSQL: String(cString: text))
        {
          throw SQLiteError.statementRefused(
            refused, sql: sql, offset: SQLScanner.firstTokenOffset(in: sql, from: start))
        }
        while true {
          let stepCode = sqlite3_step(statement)
          if stepCode == SQLITE_DONE { break }
          if stepCode != SQLITE_ROW {
            throw refusal(authorizer, sql: sql, statementStart: start)
              ?? error(code: stepCode, sql: sql, statementStart: start)
          }
        }
        monitor?.statementsDone += 1
        guard let tail, tail > cursor else { break }
        cursor = tail
      }
    }
  }
}

extension SQLiteConnection {
  /// The error for a statement the authorizer refused, located at the statement's first
  /// token; `nil` when it refused nothing (the failure is SQLite's own).
  fileprivate func refusal(
    _ authorizer: StatementAuthorizer?, sql: String, statementStart: Int
  ) -> SQLiteError? {
    guard let refused = authorizer?.refusal else { return nil }
    return .statementRefused(
      refused, sql: sql, offset: SQLScanner.firstTokenOffset(in: sql, from: statementStart))
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

  /// Called by SQLite's progress handler; a non-zero result interrupts the statement.
  func tick() -> Int32 {
    if heartbeat.shouldStop?() == true { return 1 }
    let now = Date()
    guard now.timeIntervalSince(lastBeat) >= heartbeat.interval else { return 0 }
    lastBeat = now
    heartbeat.beat(
      ScriptHeartbeat.Beat(
        elapsedSeconds: now.timeIntervalSince(start), statementsDone: statementsDone,
        rowsChanged: sqlite3_total_changes64(handle) - changesAtStart))
    return 0
  }
}
