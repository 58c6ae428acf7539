/// The shape of S6's ledger, derived from the requested event count alone, so the parent
/// (which reports) and the child (which generates) agree without talking.
///
/// - A real `migrate()` of W(`realMigrations`) writes the first events (one `planned` per
///   migration, then `started` + `applied` per migration).
/// - Then `runs` synthetic runs over `syntheticMigrations` further migrations of the same
///   workload, in batches of `batchSize`: even runs apply a batch (`planned` ×B, then
///   `started` + `applied` ×B), odd runs roll the same batch back (`planned` ×B, then
///   `started` + `rolled_back` ×B, newest first), cycling through the batches. The count
///   of runs is even, so the ledger ends with every synthetic migration rolled back,
///   which agrees with the schema (their tables were never created).
struct LedgerShape: Sendable {
  /// Migrations applied by the real `migrate()`.
  let realMigrations = 10
  /// Migrations per synthetic run.
  let batchSize = 100
  /// Distinct synthetic migrations (the runs cycle over them).
  let syntheticMigrations = 1000
  /// Synthetic runs.
  let runs: Int

  /// A shape with at least `events` events.
  init(events: Int) {
    let needed = Swift.max(0, events - 3 * realMigrations)
    let perRun = 3 * batchSize
    var runs = (needed + perRun - 1) / perRun
    if runs % 2 == 1 { runs += 1 }
    self.runs = Swift.max(2, runs)
  }

  /// Events in the finished ledger.
  var totalEvents: Int { 3 * realMigrations + runs * 3 * batchSize }

  /// How many batches there are.
  var batches: Int { syntheticMigrations / batchSize }

  /// The batch run `run` works on (a run and its rollback share one).
  func batch(ofRun run: Int) -> Int { (run / 2) % batches }

  /// The synthetic migrations of `batch`, in version order.
  func migrations(inBatch batch: Int) -> [WorkloadMigration] {
    Workload.smallMigrations(count: batchSize, from: realMigrations + 1 + batch * batchSize)
  }

  /// The migration S6.history asks for: the middle of the first batch, which every
  /// ledger size touches.
  var historyMigration: WorkloadMigration {
    migrations(inBatch: 0)[batchSize / 2]
  }

  /// How many events the ledger holds for `historyMigration` (3 per run over batch 0).
  var historyEvents: Int {
    (0..<runs).filter { batch(ofRun: $0) == 0 }.count * 3
  }
}
