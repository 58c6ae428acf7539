/// Read-only questions about the past, answered from the ledger: replay to a point, and
/// verification of the chain, the triggers, the files and the live schema. Takes no lock
/// and writes nothing.
struct LedgerAuditor {
  let connection: any DatabaseConnection
  let store: LedgerStore
  /// The database as messages name it (the connection's location stands in for a
  /// database file that does not exist yet).
  let database: String
  /// Stops a replay of the recorded SQL (SIGINT, SIGTERM), when set.
  let cancellation: MigrationCancellation?

  init(
    connection: any DatabaseConnection, key: LedgerKey? = nil, database: String? = nil,
    cancellation: MigrationCancellation? = nil
  ) {
    self.connection = connection
    self.store = LedgerStore(connection: connection, key: key)
    self.database = database ?? connection.location
    self.cancellation = cancellation
  }

  /// The last `seq` at `point` (every event when `point` is `nil`).
  private func lastSeq(at point: ReplayPoint?) throws -> Int64 {
    switch point {
    case .seq(let seq)?: return seq
    case .time(let time)?: return try store.lastSeq(atOrBefore: time)
    case nil: return .max
    }
  }

  // MARK: - Replay

  /// The state after the events up to `point`, by the same projection stopped early, and
  /// the schema reconstructed from their recorded SQL when `schema` is set.
  /// An event number past the ledger's last event is refused rather than shown as the
  /// end state (`LedgerError.pastEnd`).
  func replay(at point: ReplayPoint?, schema: Bool) throws -> Replay {
    let exists = try store.exists()
    if exists {
      try store.checkFormat()
      try store.reloadTail()
    }
    let end = exists ? store.lastSeq : 0
    if case .seq(let seq)? = point, seq > end {
      throw LedgerError.pastEnd(database: database, seq: seq, lastSeq: end)
    }
    guard exists else {
      let empty =
        try schema
        ? SchemaReconstruction(like: connection, cancellation: cancellation).snapshot() : nil
      return Replay(state: LedgerState(), schema: empty, notes: [])
    }
    let through = try lastSeq(at: point)
    var projection = LedgerProjection()
    try store.forEachProjectionRow(through: through) { projection.apply($0) }
    let isAtEnd = projection.state.lastSeq == end
    guard schema else {
      return Replay(state: projection.state, schema: nil, notes: [], isAtEnd: isAtEnd)
    }
    var reconstruction = try SchemaReconstruction(like: connection, cancellation: cancellation)
    try store.forEachEvent(
      matching: HistoryFilter(
        kinds: [.applied, .rolledBack, .failed, .baselined, .imported, .resolved],
        throughSeq: through)
    ) { try reconstruction.apply($0) }
    return Replay(
      state: projection.state, schema: try reconstruction.snapshot(),
      notes: reconstruction.notes, isAtEnd: isAtEnd)
  }

  // MARK: - Verify

  /// Runs every check. `source` is the migrations folder as read (or why it could not be);
  /// `anchors` are `seq` and hash pairs the operator kept from earlier runs.
  func verify(
    source: Result<MigrationSource, any Error>, anchors: [LedgerHead] = []
  ) throws -> VerificationReport {
    var report = VerificationReport(problems: [], eventsChecked: 0, notes: [])
    let live = try SchemaSnapshot.read(from: connection)
    guard try store.exists() else {
      // No ledger: everything in the database was made outside SchemaLedger.
      report.problems += drift(expected: SchemaSnapshot(objects: []), live: live)
      return report
    }
    try store.checkFormat()

    // 1. The hash chain, the anchors, and the fingerprints recorded along it.
    let walk = try walkLedger(live: live, anchors: anchors, report: &report)

    // 2. The append-only triggers and the stored SQL texts.
    report.problems += try storageProblems()

    // 3. The files against the applied migrations.
    let state = walk.projection.state
    switch source {
    case .success(let source):
      report.problems += try fileProblems(source: source, state: state)
    case .failure(let error):
      report.problems.append(.unreadableSource(String(describing: error)))
    }

    // 4. The live schema against the schema the ledger's SQL produces.
    if let reconstruction = walk.reconstruction {
      report.notes += reconstruction.notes
      report.problems += drift(
        expected: try reconstruction.snapshot(), live: live, lastMatch: walk.lastMatch,
        lastRecorded: walk.lastRecorded)
    }
    return report
  }

  /// What one pass over the events gathered for the checks after it.
  private struct LedgerWalk {
    var projection = LedgerProjection()
    /// The last event whose recorded fingerprint is the live schema's, and the last that
    /// recorded one: they date a drift.
    var lastMatch: (seq: Int64, at: String)?
    var lastRecorded: (seq: Int64, at: String)?
    /// The schema the recorded SQL builds; `nil` when some of it could not be replayed.
    var reconstruction: SchemaReconstruction?
  }

  /// Reads every event once: checks the hash chain and the operator's `anchors`, folds the
  /// projection, dates the `live` schema by the recorded fingerprints and replays the SQL
  /// into a scratch database; then checks the head anchor. Adds what it finds to `report`.
  private func walkLedger(
    live: SchemaSnapshot, anchors: [LedgerHead], report: inout VerificationReport
  ) throws -> LedgerWalk {
    var walk = LedgerWalk(
      reconstruction: try SchemaReconstruction(like: connection, cancellation: cancellation))
    var chain = ChainVerifier(key: store.key)
    var tail: (seq: Int64, hash: String, computed: String)?
    var wanted = Dictionary(anchors.map { ($0.seq, $0.hash) }) { first, _ in first }
    var problems: [VerificationReport.Problem] = []
    try store.forEachEvent { event in
      chain.check(event)
      tail = (event.seq, event.hash, store.hash(of: event))
      if let expected = wanted.removeValue(forKey: event.seq), expected != event.hash {
        problems.append(.anchorMismatch(seq: event.seq, expected: expected, found: event.hash))
      }
      walk.projection.apply(event)
      if let fingerprint = event.schemaFingerprint {
        walk.lastRecorded = (event.seq, event.recordedAt)
        if fingerprint == live.fingerprint { walk.lastMatch = (event.seq, event.recordedAt) }
      }
      do {
        try walk.reconstruction?.apply(event)
      } catch let stop as ExecutionError where stop.isReplayStopped {
        throw stop
      } catch {
        problems.append(.unreconstructable(String(describing: error)))
        walk.reconstruction = nil
      }
    }
    report.eventsChecked = chain.count
    if let broken = chain.firstBreak { problems.insert(.brokenChain(broken), at: 0) }
    report.noteKeying(of: chain, keyGiven: store.key != nil)
    for (seq, expected) in wanted.sorted(by: { $0.key < $1.key }) {
      problems.append(.anchorMismatch(seq: seq, expected: expected, found: nil))
    }
    if let anchor = try store.headAnchor(),
      let (seq, finding) = LedgerStore.headFinding(
        anchor: anchor, tail: tail, count: Int64(chain.count),
        firstGap: chain.firstBreak?.seq)
    {
      problems.append(.headMismatch(seq: seq, finding: finding))
    }
    report.problems += problems
    return walk
  }

  /// The append-only triggers, and (format 3) the stored SQL texts: each distinct text
  /// hashes to its address, and every address an event names is stored. The chain check
  /// already recomputed every event's hash from its resolved texts; this names every event
  /// that refers to an altered or missing text.
  private func storageProblems() throws -> [VerificationReport.Problem] {
    let triggers = try store.presentTriggers()
    let missing = store.expectedTriggers().sorted()
      .filter { !triggers.contains($0) }
      .map { name in
        VerificationReport.Problem.missingTrigger(
          name, restore: connection.ledgerDDL.triggerDefinition(named: name))
      }
    return try missing
      + store.sqlTextFindings().map { finding in
        finding.isMissing
          ? .missingSQLText(address: finding.address, events: finding.events)
          : .editedSQLText(address: finding.address, events: finding.events)
      }
  }

  /// Schema drift, when the `live` schema differs from the `expected` one, dated by the
  /// last event whose recorded fingerprint matched it and the last that recorded one.
  private func drift(
    expected: SchemaSnapshot, live: SchemaSnapshot, lastMatch: (seq: Int64, at: String)? = nil,
    lastRecorded: (seq: Int64, at: String)? = nil
  ) -> [VerificationReport.Problem] {
    let differences = expected.differences(from: live)
    guard !differences.isEmpty else { return [] }
    return [
      .schemaDrift(
        differences: differences, lastMatchingSeq: lastMatch?.seq,
        lastMatchingAt: lastMatch?.at, lastRecordedSeq: lastRecorded?.seq,
        lastRecordedAt: lastRecorded?.at)
    ]
  }

  private func fileProblems(source: MigrationSource, state: LedgerState) throws
    -> [VerificationReport.Problem]
  {
    var problems: [VerificationReport.Problem] = []
    let byID = Dictionary(source.migrations.map { ($0.id, $0) }) { first, _ in first }
    let newestFile = source.migrations.last { !$0.isRepeatable }?.version
    for record in state.appliedMigrations {
      guard let migration = byID[record.id] else {
        problems.append(
          !record.version.isRepeatable && newestFile.map { record.version > $0 } ?? true
            ? .superseded(migration: record.id) : .missingFile(migration: record.id))
        continue
      }
      // A repeatable migration's new text is applied again by the next run: not an edit.
      if migration.isRepeatable { continue }
      if let recorded = record.checksum, recorded != migration.checksum {
        problems.append(
          .editedFile(
            PlanError.Drift(
              migration: migration.id, file: migration.upLocation.file, recorded: recorded,
              current: migration.checksum)))
      }
      // A recorded text that no longer hashes to its address is reported by the texts'
      // check (with every event that names it); it cannot be compared with the file.
      let edited: Bool
      do {
        edited = try DownSectionCheck.isEdited(record, migration) {
          try store.recordedDownSQL(seq: $0)
        }
      } catch LedgerError.tampered {
        edited = false
      }
      if edited {
        problems.append(
          .editedDownSection(migration: migration.id, file: migration.upLocation.file))
      }
    }
    return problems
  }

  /// The applied (or drifted) migrations whose file's down section differs from the down
  /// SQL a rollback would use (`DownSectionCheck`, with the texts this ledger recorded).
  func downSectionEdited(state: LedgerState, source: MigrationSource) throws -> [String] {
    try store.downSectionEdited(state: state, source: source)
  }

  // MARK: - Export

  /// Calls `body` with every event as one JSON line, in order.
  func export(_ body: (String) throws -> Void) throws {
    guard try store.exists() else { return }
    try store.checkFormat()
    try store.forEachEvent { try body($0.jsonLine) }
  }
}
