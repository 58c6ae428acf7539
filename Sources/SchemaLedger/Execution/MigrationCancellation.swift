import Synchronization

/// Stops a run cleanly on request (an operator's Ctrl-C, a service manager's SIGTERM): the
/// step running is interrupted (`sqlite3_interrupt`), its transaction rolled back and its
/// outcome recorded, and no further step starts. Hand one to
/// `SchemaMigrator.Configuration.cancellation` and call `cancel(reason:)` from any thread.
public final class MigrationCancellation: Sendable {
  private struct State {
    var reason: String?
    /// Interrupts the step's SQL; set only while a step's SQL runs.
    var interrupt: (@Sendable () -> Void)?
  }

  private let state = Mutex(State())

  /// A cancellation not requested yet.
  public init() {}

  /// Asks the run to stop; `reason` is recorded (for example `SIGINT`). Later calls keep
  /// the first reason.
  public func cancel(reason: String) {
    let interrupt = state.withLock { state -> (@Sendable () -> Void)? in
      if state.reason == nil { state.reason = reason }
      return state.interrupt
    }
    interrupt?()
  }

  /// Why the run was asked to stop, or `nil`.
  public var reason: String? { state.withLock { $0.reason } }

  /// Runs `body` (a step's SQL) so that `cancel` interrupts it; outside such a call a
  /// cancellation only stops the run before the next step, so that SchemaLedger's own
  /// writes (events, commits) are never interrupted.
  func interruptible<T>(_ connection: any DatabaseConnection, _ body: () throws -> T) rethrows
    -> T
  {
    let target = UncheckedConnection(connection)
    let cancelled = state.withLock { state -> Bool in
      state.interrupt = { target.connection.interrupt() }
      return state.reason != nil
    }
    if cancelled { connection.interrupt() }
    defer { state.withLock { $0.interrupt = nil } }
    return try body()
  }
}

/// A connection handed to the cancellation's interrupt.
///
/// `@unchecked Sendable`: the only call made through it from another thread is
/// `interrupt()`, which `sqlite3_interrupt` documents as safe while the connection is open;
/// the interrupt is cleared (under the cancellation's mutex) before the step returns, so
/// it is never called after the connection may have closed.
private struct UncheckedConnection: @unchecked Sendable {
  let connection: any DatabaseConnection
  init(_ connection: any DatabaseConnection) { self.connection = connection }
}
