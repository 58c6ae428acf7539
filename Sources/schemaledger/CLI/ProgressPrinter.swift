import FoundationEssentials
import SchemaLedger
import Synchronization

/// Prints a run's progress on stderr: one line per step with its duration, heartbeats of
/// long steps, lock waits, rehearsals and recorded interruptions.
enum ProgressPrinter {
  static func handler(_ terminal: Terminal) -> ProgressHandler {
    let line = OpenLine()
    if terminal.verbosity == .quiet {
      // Quiet: only what needs the operator's attention.
      return { progress in
        switch progress {
        case .skippedUnknownEntries(let paths): warn(paths, terminal)
        case .creatingDatabase(let path): terminal.err("creating new database \(path)\n")
        default: break
        }
      }
    }
    return { progress in
      switch progress {
      case .waitingForLock(let holder):
        terminal.err("waiting for the run lock held by \(holder)\n")
      case .waitingForDatabaseLock(let database, let waited, let timeout):
        // Break an open "applying ..." line first, as heartbeats do.
        let prefix = line.isOpen ? "\n" : ""
        line.isOpen = false
        terminal.err(
          prefix
            + (waited == 0
              ? "waiting for SQLite's write lock on '\(database)', held by another connection "
                + "(not a SchemaLedger run: the application, a sqlite3 shell); giving up after "
                + "\(seconds(timeout)) (--lock-timeout)\n"
              : "  still waiting for SQLite's write lock on '\(database)': "
                + "\(seconds(waited)) of \(seconds(timeout))\n"))
      case .stillWaitingForLock(let holder, let seconds):
        terminal.err("  still waiting (\(seconds) s) for the run lock held by \(holder)\n")
      case .recordedInterruption(let attempt):
        terminal.err(
          terminal.errorStyled("recorded interrupted attempt", .yellow)
            + " of \(attempt.migration) (run \(attempt.runID), \(attempt.actor))\n")
      case .rehearsing(let steps):
        terminal.err("rehearsing \(steps) step\(steps == 1 ? "" : "s") on a scratch copy ... ")
      case .rehearsed(let failure):
        terminal.err(
          (failure == nil
            ? terminal.errorStyled("passed", .green) : terminal.errorStyled("FAILED", .red))
            + "\n")
      case .stepStarted(let step):
        let verb = step.direction == .up ? "applying" : "rolling back"
        terminal.err("\(verb) \(step.migration) ... ")
        line.isOpen = true
      case .stepStillRunning(let step, let beat):
        // Break the open "applying ..." line once, then one line per beat.
        let prefix = line.isOpen ? "\n" : ""
        line.isOpen = false
        terminal.err(
          prefix + "  still running \(step.migration): \(Int(beat.elapsedSeconds)) s, "
            + "\(beat.statementsDone) statement\(beat.statementsDone == 1 ? "" : "s") done, "
            + "\(beat.rowsChanged) rows changed\n")
      case .stepSucceeded(let step, let durationMs):
        let head = line.isOpen ? "" : "  \(step.migration) "
        line.isOpen = false
        terminal.err(head + terminal.errorStyled("ok", .green) + " (\(durationMs) ms)\n")
      case .stepFailed(let step, let durationMs):
        let head = line.isOpen ? "" : "  \(step.migration) "
        line.isOpen = false
        terminal.err(head + terminal.errorStyled("FAILED", .red) + " (\(durationMs) ms)\n")
      case .eventAppended(let event):
        guard terminal.verbosity == .verbose else { break }
        let prefix = line.isOpen ? "\n" : ""
        line.isOpen = false
        terminal.err(
          prefix + "  event #\(event.seq) \(event.kind.rawValue)"
            + (event.migration.map { " \($0)" } ?? "") + "\n")
      case .skippedUnknownEntries(let paths):
        warn(paths, terminal)
      case .creatingDatabase(let path):
        terminal.err("creating new database \(path)\n")
      }
    }
  }

  /// `12 s`, `0.5 s`.
  private static func seconds(_ value: Double) -> String {
    guard value.isFinite, value < 1e15 else { return "\(value) s" }
    return value >= 10 || value == value.rounded()
      ? "\(Int(value.rounded())) s" : "\((value * 10).rounded() / 10) s"
  }

  /// Prints only what the operator must not miss when nothing else is printed: entries
  /// of the migrations folder that were skipped.
  static func warningsOnly(_ terminal: Terminal) -> ProgressHandler {
    return { progress in
      if case .skippedUnknownEntries(let paths) = progress { warn(paths, terminal) }
    }
  }

  private static func warn(_ paths: [String], _ terminal: Terminal) {
    for path in paths {
      terminal.err(
        terminal.errorStyled("warning:", .yellow)
          + " skipped \(path): not a migration of this folder's layout\n")
    }
  }
}

/// Whether the last thing printed was an unfinished "applying X ... " line. Progress is
/// reported on the one thread running the operation; the mutex makes each access atomic
/// even if it were reported from several.
private final class OpenLine: Sendable {
  private let open = Mutex(false)

  var isOpen: Bool {
    get { open.withLock { $0 } }
    set { open.withLock { $0 = newValue } }
  }
}
