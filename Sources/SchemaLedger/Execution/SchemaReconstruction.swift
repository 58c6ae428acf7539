/// Rebuilds the application schema from the ledger alone: runs, in ledger order, the SQL
/// that each `applied` event (up SQL) and `rolled_back` event (down SQL) recorded, into an
/// empty scratch database. Failed attempts were rolled back, so they are skipped.
///
/// The SQL runs confined to the scratch database (`ScriptGuard.confined`): a recorded
/// `ATTACH` of a file, or `VACUUM INTO` one, is refused, so that `verify` and `replay`,
/// which only read the database, never write another file.
struct SchemaReconstruction {
  private var scratch: any DatabaseConnection
  private let template: any DatabaseConnection
  private let cancellation: MigrationCancellation?
  /// What could not be reproduced.
  private(set) var notes: [String] = []

  /// A reconstruction in a scratch database like `connection`'s; a request to stop on
  /// `cancellation` interrupts the SQL replaying and throws `ExecutionError.replayStopped`
  /// (the scratch database is dropped with its connection).
  init(like connection: any DatabaseConnection, cancellation: MigrationCancellation? = nil) throws {
    template = connection
    self.cancellation = cancellation
    scratch = try connection.emptyScratchDatabase()
    try scratch.setForeignKeysEnabled(false)
  }

  /// Replays one event (read with its SQL).
  mutating func apply(_ event: LedgerEvent) throws {
    switch event.kind {
    case .resolved:
      // A resolution records the whole schema as the operator left it: start again from it.
      guard let schema = event.sql else { return }
      scratch = try template.emptyScratchDatabase()
      try scratch.setForeignKeysEnabled(false)
      try run(schema, of: event)
    case .applied, .rolledBack, .baselined, .imported:
      guard let sql = event.sql else { return }
      try run(sql, of: event)
    case .failed where event.transactional == false:
      notes.append(
        "event #\(event.seq): \(event.migration ?? "?") failed outside a transaction and may "
          + "have left part of its changes; the reconstruction cannot include them")
    default:
      break
    }
  }

  private func run(_ sql: String, of event: LedgerEvent) throws {
    let heartbeat = cancellation.map { cancellation in
      ScriptHeartbeat(interval: 3600, shouldStop: { cancellation.reason != nil }) { _ in }
    }
    do {
      try scratch.executeScript(
        sql, heartbeat: heartbeat, guardedBy: ScriptGuard(confined: true))
      if scratch.isInTransaction { try scratch.commit() }
    } catch let error as any DatabaseError {
      scratch.rollback()
      if let reason = cancellation?.reason {
        throw ExecutionError.replayStopped(reason: reason, seq: event.seq)
      }
      throw ExecutionError.reconstructionFailed(
        seq: event.seq, migration: event.migration ?? "?", underlying: error)
    }
  }

  /// The reconstructed schema.
  func snapshot() throws -> SchemaSnapshot {
    try SchemaSnapshot.read(from: scratch)
  }
}
