import SchemaLedger

/// Prints a run's progress on stderr: one line per migration with its duration, lock
/// waits and recorded interruptions.
enum ProgressPrinter {
  static func handler(_ terminal: Terminal) -> ProgressHandler {
    { progress in
      switch progress {
      case .waitingForLock(let holder):
        terminal.err("waiting for the run lock held by \(holder)\n")
      case .recordedInterruption(let attempt):
        terminal.err(
          terminal.errorStyled("recorded interrupted attempt", .yellow)
            + " of \(attempt.migration) (run \(attempt.runID), \(attempt.actor))\n")
      case .migrationStarted(let migration):
        terminal.err("applying \(migration.id) ... ")
      case .migrationApplied(_, let durationMs):
        terminal.err(terminal.errorStyled("ok", .green) + " (\(durationMs) ms)\n")
      case .migrationFailed(_, let durationMs):
        terminal.err(terminal.errorStyled("FAILED", .red) + " (\(durationMs) ms)\n")
      case .eventAppended:
        break
      }
    }
  }
}
