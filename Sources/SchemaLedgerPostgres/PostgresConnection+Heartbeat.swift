import CPostgreSQL
import Glibc
import SchemaLedger

/// Running a script in one round trip, knowing which of its statements failed: the query
/// is sent without waiting and the server answers each statement with a result of its
/// own. With a heartbeat, while the server works, a beat goes out every
/// `heartbeat.interval` seconds, and a request to stop cancels the statement on the
/// server.
extension PostgresConnection {
  /// Runs `sql` (one or several statements), with `heartbeat` when there is one; throws
  /// the first failure, located in `sql`: where the server gave a position (a syntax
  /// error), there; else (a missing table, a constraint) at the start of the statement
  /// that failed, the first one that did not succeed.
  func execute(_ sql: String, heartbeat: ScriptHeartbeat?) throws {
    try sendDeferred()
    PostgresTraffic.countQuery()
    guard PQsendQuery(handle, sql) == 1 else {
      throw PostgresError.connectionLost(server: location, message: Self.lastMessage(handle))
    }
    let start = ContinuousClock.now
    var statementsDone = 0
    var rowsChanged: Int64 = 0
    var nextBeat = start + .milliseconds(Int64((heartbeat?.interval ?? 0) * 1000))
    var failure: PostgresError?
    var cancelled = false
    while true {
      while let heartbeat, PQisBusy(handle) == 1 {
        if !cancelled, heartbeat.shouldStop?() == true {
          interrupt()
          cancelled = true
        }
        let now = ContinuousClock.now
        if now >= nextBeat {
          let elapsed = now - start
          heartbeat.beat(
            ScriptHeartbeat.Beat(
              elapsedSeconds: Double(elapsed.components.seconds)
                + Double(elapsed.components.attoseconds) / 1e18,
              statementsDone: statementsDone, rowsChanged: rowsChanged))
          nextBeat = now + .milliseconds(Int64(heartbeat.interval * 1000))
        }
        var socket = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        _ = poll(&socket, 1, 50)  // wakes for the server's answer, a beat, or a stop
        guard PQconsumeInput(handle) == 1 else {
          throw PostgresError.connectionLost(server: location, message: Self.lastMessage(handle))
        }
      }
      guard let result = PQgetResult(handle) else { break }
      defer { PQclear(result) }
      if Self.succeeded(result) {
        statementsDone += 1
        rowsChanged += Int64(String(cString: PQcmdTuples(result))) ?? 0
      } else if failure == nil {
        failure = statementError(result, sql: sql)
        if failure?.offset == nil {
          let starts = SQLScanner.statements(in: sql)
          if statementsDone < starts.count {
            failure = failure?.shifted(by: starts[statementsDone].offset, in: sql)
          }
        }
      }
    }
    if let failure { throw failure }
  }
}
