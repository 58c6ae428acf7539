/// An attempt planned and not yet finished, in the current run or stashed with its run.
struct OpenAttempt: Sendable {
  var seq: Int64
  /// The migration's index in the projection's records.
  var record: Int
  /// The attempt, its `plannedAt` filled in from `plannedAt` when the state is read.
  var attempt: UnfinishedAttempt
  var plannedAt: InlineText
}

/// The current run's open attempts, for `LedgerProjection`: at most one per migration,
/// found by the migration's record index without a search (a replay goes through here
/// once per event).
struct OpenAttempts: Sendable {
  /// The open attempts in plan order (`nil`: finished since).
  private var attempts: [OpenAttempt?] = []
  /// Per record, its open attempt's index in `attempts` (-1: none).
  private var index: [Int32] = []

  /// The open attempts, in plan order.
  var all: [OpenAttempt] { attempts.compactMap { $0 } }

  /// Makes room for the record numbered `index.count`, first seen.
  mutating func addRecord() {
    index.append(-1)
  }

  /// Opens `attempt`, replacing the record's open attempt if it has one.
  mutating func open(_ attempt: OpenAttempt) {
    let existing = Int(index[attempt.record])
    if existing >= 0 {
      attempts[existing] = attempt
    } else {
      index[attempt.record] = Int32(attempts.count)
      attempts.append(attempt)
    }
  }

  /// Marks the record's open attempt as started (its SQL began to run).
  mutating func markStarted(record: Int) {
    let open = Int(index[record])
    if open >= 0 { attempts[open]?.attempt.wasStarted = true }
  }

  /// Closes the record's open attempt, if any.
  mutating func close(record: Int) {
    let open = Int(index[record])
    guard open >= 0 else { return }
    attempts[open] = nil
    index[record] = -1
  }

  /// Closes every open attempt.
  mutating func closeAll() {
    for attempt in attempts {
      if let attempt { index[attempt.record] = -1 }
    }
    attempts.removeAll(keepingCapacity: true)
  }
}
