import SchemaLedger

/// Prints a run's progress on stderr: one line per step with its duration, lock waits,
/// rehearsals and recorded interruptions.
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
      case .rehearsing(let steps):
        terminal.err("rehearsing \(steps) step\(steps == 1 ? "" : "s") on a scratch copy ... ")
      case .rehearsed(let failure):
        terminal.err(
          failure == nil
            ? terminal.errorStyled("passed", .green) + "\n"
            : terminal.errorStyled("FAILED", .red) + "\n")
      case .stepStarted(let step):
        terminal.err(
          "\(step.direction == .up ? "applying" : "rolling back") \(step.migration) ... ")
      case .stepSucceeded(_, let durationMs):
        terminal.err(terminal.errorStyled("ok", .green) + " (\(durationMs) ms)\n")
      case .stepFailed(_, let durationMs):
        terminal.err(terminal.errorStyled("FAILED", .red) + " (\(durationMs) ms)\n")
      case .eventAppended:
        break
      }
    }
  }
}
