/// The pure fold from events to `LedgerState`. Feed events in `seq` order with `apply(_:)`;
/// read `state` at any point (that is how replay stops early).
///
/// A replay of a whole ledger goes through here once per event, so the fold keeps its
/// own compact form and builds the `LedgerState` only when asked: texts are numbered by a
/// `TextInterner` (one `String` per distinct text), migrations and runs live in arrays
/// indexed through those numbers, event times stay `InlineText`s, and the current run
/// (a run's events are consecutive) keeps its open attempts at hand.
public struct LedgerProjection: Sendable {
  /// The `seq` of the last event folded (0 before the first).
  public private(set) var lastSeq: Int64 = 0
  private var eventCount = 0
  private var texts = TextInterner()

  /// Per text number, the migration's index in `records` (-1: not a migration id).
  private var recordIndex: [Int32] = []
  private var records: [MigrationRecord] = []
  /// Per record, when it last changed (its `changedAt`, kept inline until read).
  private var changedAt: [InlineText?] = []

  /// Per text number, the run's index in `runs` (-1: not a run id).
  private var runIndex: [Int32] = []
  private var runs: [RunRecord] = []
  /// The current run's index in `runs` (-1 before the first event) and text number.
  private var currentRun = -1
  private var currentRunText: Int32 = -1
  /// The last event's time: the current run's `lastEventAt` once the run changes.
  private var lastEventTime = InlineText()

  /// The current run's open attempts.
  private var attempts = OpenAttempts()
  /// Open attempts of the other runs, by run index.
  private var stashedAttempts: [Int: [OpenAttempt]] = [:]
  /// Per repeatable migration's record, the applications its later applications
  /// replaced, oldest first: rolling back an application restores the one before it.
  private var replacedApplications: [Int: [(record: MigrationRecord, at: InlineText?)]] = [:]

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
    var state = LedgerState()
    state.lastSeq = lastSeq
    state.eventCount = eventCount
    state.runs = runs
    if currentRun >= 0 { state.runs[currentRun].lastEventAt = lastEventTime.string }
    state.migrations.reserveCapacity(records.count)
    for (index, var record) in records.enumerated() {
      record.changedAt = changedAt[index]?.string
      record.replacedChecksum = replacedApplications[index]?.last?.record.checksum
      state.migrations[record.id] = record
    }
    var open = stashedAttempts.values.flatMap { $0 }
    open += attempts.all
    state.unfinishedAttempts = open.sorted { $0.seq < $1.seq }.map {
      var attempt = $0.attempt
      attempt.plannedAt = $0.plannedAt.string
      return attempt
    }
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

  // MARK: - The fold

  private mutating func fold<Event: ProjectableEvent>(_ event: Event) {
    lastSeq = event.seq
    eventCount += 1
    trackRun(event)
    guard let text = event.migration(&texts) else { return }
    let index = record(for: text, event)
    fold(event, into: index)
  }

  /// The index in `records` of the migration numbered `text`, created from `event` when
  /// first seen.
  private mutating func record<Event: ProjectableEvent>(for text: Int32, _ event: Event) -> Int {
    if recordIndex.count <= Int(text) {
      recordIndex.append(contentsOf: repeatElement(-1, count: Int(text) + 1 - recordIndex.count))
    }
    let known = recordIndex[Int(text)]
    if known >= 0 { return Int(known) }
    let index = records.count
    recordIndex[Int(text)] = Int32(index)
    let checksum = event.checksum(&texts)
    records.append(
      MigrationRecord(
        id: texts[text], version: event.version ?? .repeatable, status: .pending,
        checksum: checksum,
        lastSeq: event.seq))
    changedAt.append(nil)
    attempts.addRecord()
    return index
  }

  /// Folds a migration event into the record at `index`: one method per kind.
  private mutating func fold<Event: ProjectableEvent>(_ event: Event, into index: Int) {
    records[index].lastSeq = event.seq
    if let version = event.version { records[index].version = version }
    switch event.kind {
    case let kind where kind.marksApplied: markApplied(index, by: event)
    case .planned: openAttempt(of: index, plannedBy: event)
    case .started: attempts.markStarted(record: index)
    case .resolved: resolve(index, by: event)
    case .accepted: accept(index, by: event)
    case .rolledBack: markRolledBack(index, by: event)
    case .failed: markFailed(index, by: event)
    default: break  // run events (`rehearsed`, `upgraded`, `keyed`) carry no migration
    }
  }

  /// `planned`: an attempt opens; a migration not applied takes the planned checksum.
  private mutating func openAttempt<Event: ProjectableEvent>(
    of index: Int, plannedBy event: Event
  ) {
    let checksum = event.checksum(&texts)
    let record = records[index]
    attempts.open(
      OpenAttempt(
        seq: event.seq, record: index,
        attempt: UnfinishedAttempt(
          runID: runs[currentRun].id, migration: record.id, version: record.version,
          direction: event.direction ?? .up, checksum: checksum,
          transactional: event.transactional ?? true, wasStarted: false,
          actor: event.actor(&texts), plannedAt: ""),
        plannedAt: event.recordedTime))
    if record.status != .applied, event.direction != .down, record.appliedSeq == nil {
      records[index].checksum = checksum
    }
  }

  /// `applied`, `baselined`, `imported` (`EventKind.marksApplied`): applied from now on,
  /// with this event's checksum, down SQL and dependencies. A repeatable migration
  /// applied again keeps the application it replaces, for a rollback to restore.
  private mutating func markApplied<Event: ProjectableEvent>(_ index: Int, by event: Event) {
    let checksum = event.checksum(&texts)
    let dependencies = event.dependsOn ?? []
    let actor = event.actor(&texts)
    let transactional = event.transactional
    let isReversible = event.hasDownSQL
    if records[index].version.isRepeatable, records[index].status == .applied {
      replacedApplications[index, default: []].append((records[index], changedAt[index]))
    }
    changedAt[index] = event.recordedTime
    update(&records[index]) { record in
      record.status = .applied
      record.checksum = checksum
      record.appliedSeq = event.seq
      record.downSQLSeq = event.seq
      record.dependencies = dependencies
      record.changedBy = actor
      record.transactional = transactional
      record.isReversible = isReversible
      record.lastError = nil
      record.lastFailureDetail = nil
      record.mayBePartlyDone = false
    }
    attempts.close(record: index)
  }

  /// `resolved`: an operator says how a failed or interrupted attempt ended (up: applied,
  /// down: rolled back). It ends every open attempt of the run.
  private mutating func resolve<Event: ProjectableEvent>(_ index: Int, by event: Event) {
    let isDown = event.direction == .down
    let actor = event.actor(&texts)
    if !isDown, records[index].appliedSeq == nil {
      let checksum = event.checksum(&texts)
      let isReversible = event.hasDownSQL
      update(&records[index]) { record in
        record.appliedSeq = event.seq
        record.downSQLSeq = event.seq
        record.isReversible = isReversible
        record.checksum = checksum
      }
    }
    changedAt[index] = event.recordedTime
    update(&records[index]) { record in
      record.status = isDown ? .rolledBack : .applied
      if isDown {
        record.appliedSeq = nil
        record.isReversible = false
      }
      record.changedBy = actor
      record.mayBePartlyDone = false
    }
    attempts.closeAll()
  }

  /// `accepted`: an edited applied migration's new checksum (and down SQL) are accepted.
  private mutating func accept<Event: ProjectableEvent>(_ index: Int, by event: Event) {
    records[index].checksum = event.checksum(&texts)
    if event.hasDownSQL {
      records[index].downSQLSeq = event.seq
      records[index].isReversible = true
    }
  }

  /// `rolled_back`: no longer applied; a repeatable migration's rollback puts the
  /// application it had replaced back in force instead.
  private mutating func markRolledBack<Event: ProjectableEvent>(_ index: Int, by event: Event) {
    if let replaced = replacedApplications[index]?.popLast() {
      let seq = records[index].lastSeq
      records[index] = replaced.record
      records[index].lastSeq = seq
      records[index].changedBy = event.actor(&texts)
      changedAt[index] = event.recordedTime
      attempts.close(record: index)
      return
    }
    let actor = event.actor(&texts)
    changedAt[index] = event.recordedTime
    update(&records[index]) { record in
      record.status = .rolledBack
      record.appliedSeq = nil
      record.changedBy = actor
      record.isReversible = false
      record.lastError = nil
      record.lastFailureDetail = nil
      record.mayBePartlyDone = false
    }
    attempts.close(record: index)
  }

  /// `failed`: the attempt failed (an applied migration stays applied: its rollback
  /// failed). A failure stops its run, so what it planned after this will not run.
  private mutating func markFailed<Event: ProjectableEvent>(_ index: Int, by event: Event) {
    let transactional = event.transactional
    let direction = event.direction
    let error = event.error
    let detail = event.detail
    update(&records[index]) { record in
      if record.status != .applied { record.status = .failed }
      if direction != .down { record.transactional = transactional }
      record.lastError = error
      record.lastFailureDetail = detail
      record.mayBePartlyDone = transactional == false
    }
    attempts.closeAll()
  }

  /// Changes a record in place (one access to the array).
  private func update(_ record: inout MigrationRecord, _ change: (inout MigrationRecord) -> Void) {
    change(&record)
  }

  // MARK: - Runs

  /// Makes `event`'s run the current one (usually the same as the last event's) and
  /// counts the event in it.
  private mutating func trackRun<Event: ProjectableEvent>(_ event: Event) {
    let text = event.runID(&texts)
    if text != currentRunText { switchRun(to: text, event) }
    lastEventTime = event.recordedTime
    if event.kind.marksApplied {
      runs[currentRun].applied += 1
    } else if event.kind == .rolledBack {
      runs[currentRun].rolledBack += 1
    } else if event.kind == .failed {
      runs[currentRun].failed += 1
    }
  }

  private mutating func switchRun<Event: ProjectableEvent>(to text: Int32, _ event: Event) {
    if currentRun >= 0 {
      runs[currentRun].lastEventAt = lastEventTime.string
      let open = attempts.all
      attempts.closeAll()
      if !open.isEmpty { stashedAttempts[currentRun] = open }
    }
    if runIndex.count <= Int(text) {
      runIndex.append(contentsOf: repeatElement(-1, count: Int(text) + 1 - runIndex.count))
    }
    if runIndex[Int(text)] < 0 {
      runIndex[Int(text)] = Int32(runs.count)
      let time = event.recordedTime.string
      let actor = event.actor(&texts)
      runs.append(
        RunRecord(
          id: texts[text], actor: actor, startedAt: time, lastEventAt: time, applied: 0,
          rolledBack: 0, failed: 0))
    }
    currentRun = Int(runIndex[Int(text)])
    currentRunText = text
    for attempt in stashedAttempts.removeValue(forKey: currentRun) ?? [] {
      attempts.open(attempt)
    }
  }
}
