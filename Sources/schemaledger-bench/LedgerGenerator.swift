import FoundationEssentials
import Glibc
@_spi(Benchmark) import SchemaLedger

/// Builds S6's ledger (see `LedgerShape`): a real `migrate()` first, then the synthetic
/// runs through the library's `LedgerBulkAppender` (its own append path), then a full check of the hash chain through the public
/// `forEachEvent`, so the ledger measured is one SchemaLedger itself accepts.
///
/// Synthetic events carry what the runner writes: the migration's id, version, checksum
/// and SQL on `planned`, nothing more on `started`, the SQL (and the recorded down SQL on
/// `applied`) with a duration on the outcome; one run id and actor per run; timestamps
/// 1 ms apart after the real events. `schema_fingerprint` (the runner writes it on a run's
/// last outcome) is left NULL.
struct LedgerGenerator {
  let shape: LedgerShape
  let databasePath: String
  let migrationsDirectory: String

  /// Generates the ledger and checks its chain; returns the number of events.
  func generate() throws -> Int {
    let real = Workload.smallMigrations(count: shape.realMigrations)
    try Workload.write(real, to: migrationsDirectory)
    let ledger = SchemaMigrator(
      databasePath: databasePath, migrationsDirectory: migrationsDirectory)
    let report = try ledger.migrate()
    guard report.steps.count == real.count else {
      throw BenchError.unexpected("S6 setup applied \(report.steps.count) of \(real.count)")
    }

    // The library's own append path (hash chain, texts stored once, head anchor), many
    // events per transaction: the benchmark keeps no second implementation of the format.
    let appender = try LedgerBulkAppender(databasePath: databasePath)
    var clock = SyntheticClock(startingAfterNow: ())
    let host = LedgerActor.current().host
    var checksums: [Int64: String] = [:]
    for batch in 0..<shape.batches {
      for migration in shape.migrations(inBatch: batch) {
        checksums[migration.version] = SHA256.hexDigest(migration.up)
      }
    }
    for run in 0..<shape.runs {
      let batch = shape.migrations(inBatch: shape.batch(ofRun: run))
      let applying = run % 2 == 0
      let steps = applying ? batch : batch.reversed()
      let runID = UUID().uuidString.lowercased()
      let actor = LedgerActor(user: "bench", host: host, pid: Int64(100_000 + run))
      let direction: Direction = applying ? .up : .down
      func event(_ kind: EventKind, _ migration: WorkloadMigration) -> LedgerEvent {
        LedgerEvent(
          kind: kind, migration: migration.id, version: MigrationVersion(migration.version),
          direction: direction, checksum: checksums[migration.version], runID: runID, actor: actor,
          recordedAt: clock.tick(), transactional: true)
      }
      for migration in steps {
        var planned = event(.planned, migration)
        planned.sql = applying ? migration.up : migration.down
        try appender.append(planned)
      }
      for migration in steps {
        try appender.append(event(.started, migration))
        var outcome = event(applying ? .applied : .rolledBack, migration)
        outcome.durationMs = 1
        outcome.sql = applying ? migration.up : migration.down
        outcome.downSQL = applying ? migration.down : nil
        try appender.append(outcome)
      }
    }
    try appender.finish()
    return try verifyChain(ledger)
  }

  /// Walks every event (public `forEachEvent`) and checks each hash and link.
  private func verifyChain(_ ledger: SchemaMigrator) throws -> Int {
    var previous = LedgerEvent.genesisHash
    var count = 0
    try ledger.forEachEvent { event in
      guard event.prevHash == previous, event.computedHash == event.hash else {
        throw BenchError.unexpected("S6 ledger: the hash chain breaks at event #\(event.seq)")
      }
      previous = event.hash
      count += 1
    }
    guard count == shape.totalEvents else {
      throw BenchError.unexpected("S6 ledger has \(count) events, expected \(shape.totalEvents)")
    }
    return count
  }
}

/// Timestamps for synthetic events, ISO-8601 UTC with milliseconds like SchemaLedger's,
/// 1 ms apart, starting just after now.
struct SyntheticClock {
  private var milliseconds: Int

  init(startingAfterNow: Void) {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    milliseconds = Int(spec.tv_sec) * 1000 + Int(spec.tv_nsec / 1_000_000) + 1
  }

  /// The next timestamp.
  mutating func tick() -> String {
    defer { milliseconds += 1 }
    var time = time_t(milliseconds / 1000)
    var parts = tm()
    gmtime_r(&time, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      Workload.zeroPadded(Int(value), width: width)
    }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
      + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
      + ".\(pad(Int32(milliseconds % 1000), 3))Z"
  }
}
