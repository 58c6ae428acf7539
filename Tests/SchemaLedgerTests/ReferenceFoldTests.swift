import Testing

@testable import SchemaLedger

/// A naive fold of the events, written from `ledger/EVENTS.md` alone (no arrays of
/// indices, no interning): the reference the optimised `LedgerProjection` must agree with.
private enum ReferenceFold {
  struct Record: Equatable {
    var status: MigrationStatus = .pending
    var checksum: String?
    var appliedSeq: Int64?
    var isReversible = false
    var mayBePartlyDone = false
  }

  struct State: Equatable {
    var records: [String: Record] = [:]
    /// Migrations planned or started by a run with no outcome and no failure after.
    var unfinished: Set<String> = []
  }

  static func fold(_ events: [LedgerEvent]) -> State {
    var state = State()
    // Per run: the migrations planned and not yet finished.
    var open: [String: [String]] = [:]
    for event in events {
      guard let id = event.migration else { continue }
      // A migration first seen takes that event's checksum (the planned or applied one).
      var record = state.records[id] ?? Record(checksum: event.checksum)
      switch event.kind {
      case .planned:
        open[event.runID, default: []].append(id)
        if record.status != .applied, event.direction != .down, record.appliedSeq == nil {
          record.checksum = event.checksum
        }
      case .started:
        break
      case .applied, .baselined, .imported:
        record.status = .applied
        record.checksum = event.checksum
        record.appliedSeq = event.seq
        record.isReversible = event.downSQL != nil
        record.mayBePartlyDone = false
        open[event.runID]?.removeAll { $0 == id }
      case .rolledBack:
        record.status = .rolledBack
        record.appliedSeq = nil
        record.isReversible = false
        record.mayBePartlyDone = false
        open[event.runID]?.removeAll { $0 == id }
      case .failed:
        if record.status != .applied { record.status = .failed }
        record.mayBePartlyDone = event.transactional == false
        open[event.runID] = []  // a failure ends its run
      case .resolved:
        if event.direction == .down {
          record.status = .rolledBack
          record.appliedSeq = nil
          record.isReversible = false
        } else {
          if record.appliedSeq == nil {
            record.appliedSeq = event.seq
            record.isReversible = event.downSQL != nil
            record.checksum = event.checksum
          }
          record.status = .applied
        }
        record.mayBePartlyDone = false
        open[event.runID] = []
      case .accepted:
        record.checksum = event.checksum
        if event.downSQL != nil { record.isReversible = true }
      case .rehearsed, .upgraded, .keyed:
        break
      }
      state.records[id] = record
    }
    state.unfinished = Set(open.values.flatMap { $0 })
    for id in state.unfinished where state.records[id]?.status != .applied {
      state.records[id]?.status = .interrupted
    }
    return state
  }

  /// The same facts read from the optimised projection's state.
  static func facts(of state: LedgerState) -> State {
    var result = State()
    for (id, record) in state.migrations {
      result.records[id] = Record(
        status: record.status, checksum: record.checksum, appliedSeq: record.appliedSeq,
        isReversible: record.isReversible, mayBePartlyDone: record.mayBePartlyDone)
    }
    result.unfinished = Set(state.unfinishedAttempts.map(\.migration))
    return result
  }
}

/// Random but well-formed ledgers: runs that apply, fail, roll back, die half-way, and
/// operators' records, as SchemaLedger writes them.
private struct HistoryGenerator {
  var generator: SeededGenerator
  var events: [LedgerEvent] = []
  var applied: [String] = []  // application order
  let ids = (1...6).map { "\($0)_m" }
  let actor = LedgerActor(user: "u", host: "h", pid: 1)

  mutating func append(
    _ kind: EventKind, _ id: String, run: String, direction: Direction = .up,
    transactional: Bool = true, down: Bool = false
  ) {
    events.append(
      LedgerEvent(
        kind: kind, migration: id, version: MigrationVersion(id.prefix { $0.isNumber }),
        direction: direction, checksum: "c-\(id)-\(Int.random(in: 0..<2, using: &generator))",
        runID: run, actor: actor, recordedAt: "2026-01-01T00:00:00.000Z",
        transactional: transactional, downSQL: down ? "DROP \(id)" : nil,
        seq: Int64(events.count + 1)))
  }

  mutating func run(_ number: Int) {
    let run = "r\(number)"
    switch Int.random(in: 0..<10, using: &generator) {
    case 0..<5:  // apply some pending migrations, perhaps failing or dying
      let pending = ids.filter { !applied.contains($0) }
      let steps = Array(pending.prefix(Int.random(in: 1...3, using: &generator)))
      guard !steps.isEmpty else { return }
      let transactional = Bool.random(using: &generator)
      for id in steps { append(.planned, id, run: run, transactional: transactional) }
      for id in steps {
        let outcome = Int.random(in: 0..<8, using: &generator)
        if outcome == 0 { return }  // the process died
        if !transactional { append(.started, id, run: run, transactional: false) }
        if outcome == 1 {
          if transactional { append(.started, id, run: run) }
          append(.failed, id, run: run, transactional: transactional)
          return
        }
        if transactional { append(.started, id, run: run) }
        append(
          .applied, id, run: run, transactional: transactional,
          down: Bool.random(using: &generator))
        applied.append(id)
      }
    case 5..<7:  // roll back the newest
      guard let id = applied.last else { return }
      append(.planned, id, run: run, direction: .down)
      append(.started, id, run: run, direction: .down)
      append(.rolledBack, id, run: run, direction: .down)
      applied.removeLast()
    case 7:  // an operator's record
      guard let id = ids.randomElement(using: &generator) else { return }
      if applied.contains(id) {
        append(.accepted, id, run: run, down: Bool.random(using: &generator))
      } else {
        let kind: EventKind = Bool.random(using: &generator) ? .baselined : .imported
        append(kind, id, run: run)
        applied.append(id)
      }
    default:  // resolve one in doubt, or nothing
      guard let id = ids.randomElement(using: &generator) else { return }
      let asApplied = Bool.random(using: &generator)
      append(.resolved, id, run: run, direction: asApplied ? .up : .down)
      if asApplied, !applied.contains(id) { applied.append(id) }
      if !asApplied { applied.removeAll { $0 == id } }
    }
  }
}

@Suite("The projection agrees with a naive reference fold")
struct ReferenceFoldTests {
  @Test("500 generated ledgers, at every prefix", arguments: 0..<5)
  func agree(batch: Int) {
    for seed in 0..<100 {
      var history = HistoryGenerator(generator: SeededGenerator(seed: UInt64(batch * 100 + seed)))
      for number in 0..<12 { history.run(number) }
      let events = history.events
      for end in stride(from: 0, through: events.count, by: max(1, events.count / 7)) {
        let prefix = Array(events.prefix(end))
        let expected = ReferenceFold.fold(prefix)
        let actual = ReferenceFold.facts(of: LedgerProjection.state(of: prefix))
        #expect(actual == expected, "seed \(batch * 100 + seed), first \(end) events")
        if actual != expected { return }
      }
    }
  }
}
