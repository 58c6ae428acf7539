/// The pure fold from events to `LedgerState`. Feed events in `seq` order with `apply(_:)`;
/// read `state` at any point (that is how replay stops early).
public struct LedgerProjection: Sendable {
  private var current = LedgerState()
  /// Per run id, index in `current.runs`.
  private var runIndex: [String: Int] = [:]
  /// The last run seen and its index: a run's events are consecutive, so most events
  /// find their run here without hashing its id.
  private var lastRun: (id: String, index: Int)?
  /// Per run id, the attempts planned in it still without an outcome, by migration id,
  /// with the `seq` of their `planned` event (their order in the plan).
  private var openAttempts: [String: [String: (seq: Int64, attempt: UnfinishedAttempt)]] = [:]

  /// An empty projection.
  public init() {}

  /// Folds `events` (in order) into a state.
  public static func state<S: Sequence>(of events: S) -> LedgerState
  where S.Element == LedgerEvent {
    var projection = LedgerProjection()
    for event in events { projection.apply(event) }
    return projection.state
  }

  /// The state after the events applied so far.
  public var state: LedgerState {
    var state = current
    state.unfinishedAttempts = openAttempts.values.flatMap(\.values).sorted { $0.seq < $1.seq }
      .map(\.attempt)
    for attempt in state.unfinishedAttempts where attempt.direction == .up {
      if state.migrations[attempt.migration]?.status != .applied {
        state.migrations[attempt.migration]?.status = .interrupted
      }
    }
    return state
  }

  /// Folds one event.
  public mutating func apply(_ event: LedgerEvent) {
    current.lastSeq = event.seq
    current.eventCount += 1
    trackRun(event)
    guard let id = event.migration else { return }
    // One hash lookup, and the record is changed in place.
    Self.fold(
      event,
      into: &current.migrations[
        id,
        default: MigrationRecord(
          id: id, version: event.version ?? 0, status: .pending, checksum: event.checksum,
          lastSeq: event.seq)],
      openAttempts: &openAttempts)
  }

  private static func fold(
    _ event: LedgerEvent, into record: inout MigrationRecord,
    openAttempts: inout [String: [String: (seq: Int64, attempt: UnfinishedAttempt)]]
  ) {
    let id = record.id
    func closeAttempt(run: String, migration: String) {
      openAttempts[run]?[migration] = nil
      if openAttempts[run]?.isEmpty == true { openAttempts[run] = nil }
    }
    record.lastSeq = event.seq
    if let version = event.version { record.version = version }
    switch event.kind {
    case .planned:
      openAttempts[event.runID, default: [:]][id] = (
        event.seq,
        UnfinishedAttempt(
          runID: event.runID, migration: id, version: record.version,
          direction: event.direction ?? .up, checksum: event.checksum,
          transactional: event.transactional ?? true, wasStarted: false,
          actor: event.actor, plannedAt: event.recordedAt)
      )
      if record.status != .applied, event.direction != .down, record.appliedSeq == nil {
        record.checksum = event.checksum
      }
    case .started:
      openAttempts[event.runID]?[id]?.attempt.wasStarted = true
    case .applied, .baselined, .imported:
      record.status = .applied
      record.checksum = event.checksum
      record.appliedSeq = event.seq
      record.downSQLSeq = event.seq
      record.dependencies = event.dependsOn ?? []
      record.changedAt = event.recordedAt
      record.changedBy = event.actor
      record.transactional = event.transactional
      record.isReversible = event.downSQL != nil
      record.lastError = nil
      record.lastFailureDetail = nil
      record.mayBePartlyDone = false
      closeAttempt(run: event.runID, migration: id)
    case .resolved:
      record.status = event.direction == .down ? .rolledBack : .applied
      if event.direction == .down {
        record.appliedSeq = nil
        record.isReversible = false
      } else if record.appliedSeq == nil {
        record.appliedSeq = event.seq
        record.downSQLSeq = event.seq
        record.isReversible = event.downSQL != nil
        record.checksum = event.checksum
      }
      record.changedAt = event.recordedAt
      record.changedBy = event.actor
      record.mayBePartlyDone = false
      openAttempts[event.runID] = nil
    case .accepted:
      record.checksum = event.checksum
      if event.downSQL != nil {
        record.downSQLSeq = event.seq
        record.isReversible = true
      }
    case .rolledBack:
      record.status = .rolledBack
      record.appliedSeq = nil
      record.changedAt = event.recordedAt
      record.changedBy = event.actor
      record.isReversible = false
      record.lastError = nil
      record.lastFailureDetail = nil
      record.mayBePartlyDone = false
      closeAttempt(run: event.runID, migration: id)
    case .failed:
      if record.status != .applied { record.status = .failed }
      if event.direction != .down { record.transactional = event.transactional }
      record.lastError = event.error
      record.lastFailureDetail = event.detail
      record.mayBePartlyDone = event.transactional == false
      // A failure stops its run: what it planned after this will not run.
      openAttempts[event.runID] = nil
    case .rehearsed:
      break
    }
  }

  private mutating func trackRun(_ event: LedgerEvent) {
    let index: Int
    if let lastRun, lastRun.id == event.runID {
      index = lastRun.index
    } else if let known = runIndex[event.runID] {
      index = known
    } else {
      index = current.runs.count
      runIndex[event.runID] = index
      current.runs.append(
        RunRecord(
          id: event.runID, actor: event.actor, startedAt: event.recordedAt,
          lastEventAt: event.recordedAt, applied: 0, rolledBack: 0, failed: 0))
    }
    lastRun = (event.runID, index)
    current.runs[index].lastEventAt = event.recordedAt
    switch event.kind {
    case .applied, .baselined, .imported: current.runs[index].applied += 1
    case .rolledBack: current.runs[index].rolledBack += 1
    case .failed: current.runs[index].failed += 1
    default: break
    }
  }
}
