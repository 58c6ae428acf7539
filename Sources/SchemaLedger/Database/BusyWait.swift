import CSQLite
import Glibc

/// SQLite's busy handler for the connections SchemaLedger opens: how it waits for a lock
/// another connection holds (SQLite's write lock, or, in rollback-journal mode, a writer
/// that is committing).
///
/// It replaces `sqlite3_busy_timeout`, whose handler sleeps up to 100 ms between tries
/// and counts its own sleeps rather than the clock: a writer that releases the lock
/// between short transactions is rarely caught, and time SQLite spends retrying inside
/// one try (WAL) is not counted, so a wait could last many times the timeout. Here each
/// wait tries again after 1, 2, 4, 8, then every 10 ms, and ends at `timeout` seconds by
/// the clock. `report`, when set, is called once when the connection first waits (with
/// 0 seconds waited), then every `heartbeatInterval` seconds of one wait.
final class BusyWait {
  let timeout: Double
  var heartbeatInterval: Double = 10
  var report: ((_ waitedSeconds: Double) -> Void)?

  private var started: UInt64 = 0
  private var nextBeat: Double = 0
  private var announced = false

  init(timeout: Double) {
    self.timeout = timeout
  }

  /// Installs the handler on `handle`; `self` must outlive the handle (or `uninstall`).
  func install(on handle: OpaquePointer) {
    sqlite3_busy_handler(
      handle,
      { context, count in
        guard let context else { return 0 }
        return Unmanaged<BusyWait>.fromOpaque(context).takeUnretainedValue()
          .shouldRetry(count: Int(count)) ? 1 : 0
      }, Unmanaged.passUnretained(self).toOpaque())
  }

  static func uninstall(from handle: OpaquePointer) {
    sqlite3_busy_handler(handle, nil, nil)
  }

  /// Called by SQLite with the number of times it was already called for this lock;
  /// sleeps and returns `true` to try again, `false` to give up (`SQLITE_BUSY`).
  func shouldRetry(count: Int) -> Bool {
    let now = Timestamp.monotonicNanoseconds()
    if count == 0 {
      started = now
      nextBeat = heartbeatInterval
    }
    let waited = Double(now &- started) / 1e9
    guard waited < timeout else { return false }
    if !announced {
      announced = true
      report?(0)
    } else if waited >= nextBeat {
      nextBeat += heartbeatInterval
      report?(waited)
    }
    let delay = Double(min(1_000 << min(count, 3), 10_000))  // microseconds
    // In Double until clamped: no timeout, however large, traps.
    let remaining = ((timeout - waited) * 1e6).rounded(.up)
    usleep(UInt32(max(1, min(delay, remaining))))
    return true
  }
}
