import FoundationEssentials

extension MigrationRunner {
  // MARK: - Interrupted runs

  /// Records, for each earlier run that planned steps and never recorded an outcome (its
  /// process died: we hold the lock, so it is gone), a `failed` event for the step that
  /// was in flight, in that run's name.
  func recordInterruptedAttempts(runID: String) throws -> [UnfinishedAttempt] {
    var seen = Set<String>()
    var recorded: [UnfinishedAttempt] = []
    var events: [LedgerEvent] = []
    for attempt in projection.state.unfinishedAttempts
    where seen.insert(attempt.runID).inserted {
      let partly = !attempt.transactional && attempt.wasStarted
      let consequence =
        attempt.transactional
        ? (attempt.direction == .up
          ? "SQLite rolled its transaction back, so it is pending again"
          : "SQLite rolled its transaction back, so it is still applied")
        : attempt.wasStarted
          ? "it ran outside a transaction and may be partly done"
          : "it had not started, so nothing of it ran"
      events.append(
        LedgerEvent(
          kind: .failed, migration: attempt.migration, version: attempt.version.recorded,
          direction: attempt.direction, checksum: attempt.checksum, runID: attempt.runID,
          actor: settings.actor,
          transactional: partly ? false : (attempt.transactional ? true : nil),
          error: "interrupted: run \(attempt.runID) by \(attempt.actor) stopped before "
            + "recording an outcome; \(consequence). Recorded by run \(runID).",
          detail: "interrupted", schemaFingerprint: try? schemaFingerprint()))
      recorded.append(attempt)
    }
    if !events.isEmpty {
      try commit(events)
      for attempt in recorded { settings.progress?(.recordedInterruption(attempt)) }
    }
    return recorded
  }
}
