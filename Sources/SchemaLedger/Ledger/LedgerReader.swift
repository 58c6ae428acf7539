/// Reads one ledger: its store, and the projection caught up with what was appended
/// since the last read. Every read path of the façade goes through one, and a
/// `MigrationRunner` owns one and folds into it what it appends. Takes no lock.
final class LedgerReader {
  let store: LedgerStore
  private(set) var projection = LedgerProjection()

  init(store: LedgerStore) {
    self.store = store
  }

  /// The ledger's state now (an empty state when there is no ledger yet). Events are
  /// read without their SQL texts.
  func currentState() throws -> LedgerState {
    try catchUp()
    return projection.state
  }

  /// Folds the events appended since the last read.
  func catchUp() throws {
    guard try store.exists() else { return }
    try store.checkFormat()
    try store.forEachProjectionRow(after: projection.lastSeq) { projection.apply($0) }
  }

  /// Folds an event this process has just appended and committed.
  func fold(_ event: LedgerEvent) {
    projection.apply(event)
  }

  /// `plan` with each step's recorded down SQL read from the ledger.
  func loadingDownSQL(_ plan: RollbackPlan) throws -> RollbackPlan {
    var plan = plan
    let texts = try store.recordedDownSQL(seqs: plan.steps.map(\.appliedSeq))
    for index in plan.steps.indices {
      plan.steps[index].downSQL = texts[plan.steps[index].appliedSeq]
    }
    return plan
  }

  /// What the last up-to-date run recorded, when the ledger still ends where that run
  /// left it and the migrations folder has the same `signature`: then nothing can be
  /// pending. Reads two values; `nil` without a ledger (the full check decides). A format
  /// this build refuses throws.
  func isKnownUpToDate(signature: String) throws -> StartupCheckRecord? {
    guard let check = try store.startupCheck(), let record = check.record,
      record.signature == signature, check.lastSeq == record.seq
    else { return nil }
    return record
  }
}
