/// The pure fold from events to `LedgerState`. Feed events in `seq` order with `apply(_:)`;
/// read `state` at any point (that is how replay stops early).
/// The pure fold from events to `LedgerState`. Feed events in `seq` order with `apply(_:)`;
/// read `state` at any point (that is how replay stops early).
///
/// Replaying a whole ledger goes through here once per event, so the fold touches only
/// what each kind changes: the current run is kept aside (a run's events are
/// consecutive) with its open attempts, and reads from a `ProjectionRow` decode only the
/// columns used.
public struct LedgerProjection: Sendable {
  /// Per migration id, the attempts planned in one run still without an outcome, with the
  /// `seq` of their `planned` event (their order in the plan).
  private typealias OpenAttempts = [String: (seq: Int64, attempt: UnfinishedAttempt)]

  private var current = LedgerState()
  /// Per run id, index in `current.runs`.
  private var runIndex: [String: Int] = [:]
  /// Open attempts of the runs other than `currentRun`.
  private var openAttempts: [String: OpenAttempts] = [:]
  /// The run of the last event, its index in `current.runs` and its open attempts.
  private var currentRun: (id: String, index: Int, attempts: OpenAttempts)?
  /// The last event's `recorded_at`, kept as bytes: it becomes the current run's
  /// `lastEventAt` when the run changes or the state is read.
  private var lastEventTime: [UInt8] = []

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
    var open = Array(openAttempts.values)
    if let currentRun {
      state.runs[currentRun.index].lastEventAt = String(decoding: lastEventTime, as: UTF8.self)
      open.append(currentRun.attempts)
    }
    state.unfinishedAttempts = open.flatMap(\.values).sorted { $0.seq < $1.seq }.map(\.attempt)
    for attempt in state.unfinishedAttempts where attempt.direction == .up {
      if state.migrations[attempt.migration]?.status != .applied {
        state.migrations[attempt.migration]?.status = .interrupted
      }
    }
    return state
  }

  /// Folds one event.
  public mutating func apply(_ event: LedgerEvent) {
    fold(event)
  }

  /// Folds one ledger row, reading only the columns its kind uses.
  mutating func apply(_ row: ProjectionRow) {
    fold(row)
  }

  private mutating func fold<Event: ProjectableEvent>(_ event: Event) {
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
      openAttempts: &currentRun!.attempts)
  }

  /// Folds `event` into its migration's record; `openAttempts` are its run's.
  private static func fold<Event: ProjectableEvent>(
    _ event: Event, into record: inout MigrationRecord, openAttempts: inout OpenAttempts
  ) {
    let id = record.id
    record.lastSeq = event.seq
    if let version = event.version { record.version = version }
    switch event.kind {
    case .planned:
      let checksum = event.checksum
      openAttempts[id] = (
        event.seq,
        UnfinishedAttempt(
          runID: event.runID, migration: id, version: record.version,
          direction: event.direction ?? .up, checksum: checksum,
          transactional: event.transactional ?? true, wasStarted: false,
          actor: event.actor, plannedAt: event.recordedAt)
      )
      if record.status != .applied, event.direction != .down, record.appliedSeq == nil {
        record.checksum = checksum
      }
    case .started:
      openAttempts[id]?.attempt.wasStarted = true
    case .applied, .baselined, .imported:
      record.status = .applied
      record.checksum = event.checksum
      record.appliedSeq = event.seq
      record.downSQLSeq = event.seq
      record.dependencies = event.dependsOn ?? []
      record.changedAt = event.recordedAt
      record.changedBy = event.actor
      record.transactional = event.transactional
      record.isReversible = event.hasDownSQL
      record.lastError = nil
      record.lastFailureDetail = nil
      record.mayBePartlyDone = false
      openAttempts[id] = nil
    case .resolved:
      let isDown = event.direction == .down
      record.status = isDown ? .rolledBack : .applied
      if isDown {
        record.appliedSeq = nil
        record.isReversible = false
      } else if record.appliedSeq == nil {
        record.appliedSeq = event.seq
        record.downSQLSeq = event.seq
        record.isReversible = event.hasDownSQL
        record.checksum = event.checksum
      }
      record.changedAt = event.recordedAt
      record.changedBy = event.actor
      record.mayBePartlyDone = false
      openAttempts.removeAll()
    case .accepted:
      record.checksum = event.checksum
      if event.hasDownSQL {
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
      openAttempts[id] = nil
    case .failed:
      let transactional = event.transactional
      if record.status != .applied { record.status = .failed }
      if event.direction != .down { record.transactional = transactional }
      record.lastError = event.error
      record.lastFailureDetail = event.detail
      record.mayBePartlyDone = transactional == false
      // A failure stops its run: what it planned after this will not run.
      openAttempts.removeAll()
    case .rehearsed:
      break
    }
  }

  /// Makes `event`'s run the current one (runs' events are consecutive, so this is
  /// usually one string comparison) and counts the event in it.
  private mutating func trackRun<Event: ProjectableEvent>(_ event: Event) {
    let runID = event.runID
    if currentRun?.id != runID {
      if let previous = currentRun {
        current.runs[previous.index].lastEventAt = String(decoding: lastEventTime, as: UTF8.self)
        if !previous.attempts.isEmpty { openAttempts[previous.id] = previous.attempts }
      }
      let index: Int
      if let known = runIndex[runID] {
        index = known
      } else {
        index = current.runs.count
        runIndex[runID] = index
        let time = event.recordedAt
        current.runs.append(
          RunRecord(
            id: runID, actor: event.actor, startedAt: time, lastEventAt: time, applied: 0,
            rolledBack: 0, failed: 0))
      }
      currentRun = (runID, index, openAttempts.removeValue(forKey: runID) ?? [:])
    }
    lastEventTime.removeAll(keepingCapacity: true)
    event.appendRecordedAt(to: &lastEventTime)
    let index = currentRun!.index
    switch event.kind {
    case .applied, .baselined, .imported: current.runs[index].applied += 1
    case .rolledBack: current.runs[index].rolledBack += 1
    case .failed: current.runs[index].failed += 1
    default: break
    }
  }
}
