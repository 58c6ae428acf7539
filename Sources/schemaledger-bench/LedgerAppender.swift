import CSQLite
import SchemaLedger

/// S6's documented equivalent of SchemaLedger's append path, for building a long ledger
/// quickly: one prepared `INSERT` into `schemaledger_events` over the C API, many events
/// per transaction, each event's `seq`, `prevHash` and `hash` filled in exactly as
/// `LedgerStore.append` does (seq + 1, the previous hash, `computedHash` over the public
/// `canonicalEncoding`), so the chain stays valid.
///
/// The column list is read from the table itself (`PRAGMA table_info`); a column this file
/// does not know is bound as NULL, which matches a `nil` field in the event's encoding.
final class LedgerAppender {
  private let database: FloorDatabase
  private var statement: OpaquePointer?
  private let columns: [String]
  private(set) var lastSeq: Int64
  private(set) var lastHash: String
  private var pendingInTransaction = 0
  /// Events per transaction.
  private let transactionSize = 50_000

  /// Columns left NULL because this appender has no field for them.
  private(set) var unknownColumns: [String] = []

  /// Prepares the `INSERT` on `database` and reads the ledger's tail (last seq and hash).
  init(database: FloorDatabase) throws {
    self.database = database
    columns = try database.columns(of: "schemaledger_events")
    guard !columns.isEmpty else { throw BenchError.unexpected("no schemaledger_events table") }
    lastSeq = Int64(try database.text("SELECT max(seq) FROM schemaledger_events") ?? "0") ?? 0
    lastHash =
      try database.text("SELECT hash FROM schemaledger_events ORDER BY seq DESC LIMIT 1")
      ?? LedgerEvent.genesisHash
    let placeholders = columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
    let sql =
      "INSERT INTO schemaledger_events (\(columns.joined(separator: ", "))) "
      + "VALUES (\(placeholders))"
    guard
      sqlite3_prepare_v3(
        database.rawHandle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT),
        &statement, nil) == SQLITE_OK
    else {
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(database.rawHandle)))
    }
    unknownColumns = columns.filter { Self.value(of: $0, in: Self.probe) == nil }
  }

  deinit {
    sqlite3_finalize(statement)
  }

  /// Appends `event` with the next seq and the chained hash.
  func append(_ event: LedgerEvent) throws {
    if pendingInTransaction == 0 { try database.execute("BEGIN IMMEDIATE") }
    var event = event
    event.seq = lastSeq + 1
    event.prevHash = lastHash
    event.hash = event.computedHash
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
    for (index, column) in columns.enumerated() {
      let position = Int32(index + 1)
      switch Self.value(of: column, in: event) {
      case .integer(let value)?:
        if let value { sqlite3_bind_int64(statement, position, value) }
      case .text(let value)?:
        if let value {
          sqlite3_bind_text(statement, position, value, -1, schemaledger_sqlite_transient)
        }
      case nil:
        break
      }
    }
    guard sqlite3_step(statement) == SQLITE_DONE else {
      throw BenchError.sqlite(String(cString: sqlite3_errmsg(database.rawHandle)))
    }
    lastSeq = event.seq
    lastHash = event.hash
    pendingInTransaction += 1
    if pendingInTransaction == transactionSize { try finish() }
  }

  /// Commits the events appended since the last commit.
  func finish() throws {
    guard pendingInTransaction > 0 else { return }
    try database.execute("COMMIT")
    pendingInTransaction = 0
  }

  private enum Value {
    case integer(Int64?)
    case text(String?)
  }

  /// The value of `column` in `event`, or `nil` for a column with no field here.
  private static func value(of column: String, in event: LedgerEvent) -> Value? {
    switch column {
    case "seq": return .integer(event.seq)
    case "kind": return .text(event.kind.rawValue)
    case "migration": return .text(event.migration)
    case "version": return .integer(event.version?.singleNumber)
    case "version_text":
      return .text(event.version.flatMap { $0.parts.count > 1 ? $0.description : nil })
    case "direction": return .text(event.direction?.rawValue)
    case "checksum": return .text(event.checksum)
    case "run_id": return .text(event.runID)
    case "actor_user": return .text(event.actor.user)
    case "actor_host": return .text(event.actor.host)
    case "actor_pid": return .integer(event.actor.pid)
    case "recorded_at": return .text(event.recordedAt)
    case "duration_ms": return .integer(event.durationMs)
    case "transactional": return .integer(event.transactional.map { $0 ? 1 : 0 })
    case "sql": return .text(event.sql)
    case "down_sql": return .text(event.downSQL)
    case "error": return .text(event.error)
    case "error_code": return .integer(event.errorCode)
    case "detail": return .text(event.detail)
    case "prev_hash": return .text(event.prevHash)
    case "hash": return .text(event.hash)
    default: return nil
    }
  }

  private static let probe = LedgerEvent(
    kind: .planned, runID: "", actor: LedgerActor(user: "", host: "", pid: 0), recordedAt: "")
}
