/// Appends ready-made events to an existing ledger through the store's own append path
/// (`LedgerStore.append`: the hash chain, the texts stored once, the head anchor), many
/// events per transaction.
///
/// For the benchmark only (`@_spi(Benchmark) import SchemaLedger`): it builds S6's long
/// ledger with it, so that the benchmark has no second implementation of the chain or the
/// format. Events appended this way record nothing that happened; applications never need
/// it. It takes no run lock and refuses a ledger of another format or a keyed one.
@_spi(Benchmark)
public final class LedgerBulkAppender {
  private let connection: SQLiteConnection
  private let store: LedgerStore
  private var pending: [LedgerEvent] = []
  private let eventsPerTransaction: Int

  /// Opens the ledger of the existing database at `path` (created by a real run, in this
  /// build's format) and reads its tail.
  public init(databasePath path: String, eventsPerTransaction: Int = 50_000) throws {
    connection = try SQLiteConnection(path: path, mode: .existing)
    store = LedgerStore(connection: connection)
    self.eventsPerTransaction = eventsPerTransaction
    guard try store.exists() else {
      throw LedgerError.unreadableEvent(database: path, seq: 0, reason: "no ledger yet")
    }
    try store.checkFormat()
    guard store.format == LedgerSchema.formatVersion else {
      throw LedgerError.unreadableEvent(
        database: path, seq: 0,
        reason: "the ledger is in format \(store.format): a run that writes upgrades it first")
    }
    try store.requireKey()
    try store.reloadTail()
  }

  /// The last event's `seq` and hash so far (appended or pending).
  public var head: (seq: Int64, hash: String) { (store.lastSeq, store.lastHash) }

  /// Queues `event`; `seq`, `prevHash` and `hash` are filled in when its transaction is
  /// written (every `eventsPerTransaction` events, and by `finish()`).
  public func append(_ event: LedgerEvent) throws {
    pending.append(event)
    if pending.count == eventsPerTransaction { try finish() }
  }

  /// Writes the queued events in one transaction.
  public func finish() throws {
    guard !pending.isEmpty else { return }
    do {
      try connection.inTransaction { _ = try store.append(pending) }
    } catch {
      try? store.reloadTail()
      throw error
    }
    pending.removeAll(keepingCapacity: true)
  }
}
