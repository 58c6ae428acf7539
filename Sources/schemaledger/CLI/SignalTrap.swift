import Dispatch
import Glibc
import SchemaLedger

/// Turns SIGINT (Ctrl-C) and SIGTERM into a clean stop of the run: the library interrupts
/// the step, records its outcome and stops (`MigrationCancellation`); the tool then exits
/// with 130 or 143. A second signal ends the process at once, as the signal would have
/// (the next run records that attempt as interrupted).
enum SignalTrap {
  /// The dispatch sources, kept alive for the process's life.
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

  /// Routes SIGINT and SIGTERM to `cancellation` from now on.
  ///
  /// `nonisolated(unsafe)` on `sources`: it is written once here, on the main thread,
  /// before any signal can be delivered to a handler, and never read.
  static func install(_ cancellation: MigrationCancellation) {
    for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if cancellation.reason != nil {
          signal(number, SIG_DFL)
          raise(number)
        }
        cancellation.cancel(reason: name)
      }
      source.resume()
      sources.append(source)
    }
  }

  /// The exit code for a run stopped by `reason`: 128 + the signal's number.
  static func exitCode(for reason: String) -> ExitCode {
    reason == "SIGTERM" ? .terminated : .interrupted
  }
}
