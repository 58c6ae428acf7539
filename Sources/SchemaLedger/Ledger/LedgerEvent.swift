/// One immutable row of the ledger (`schemaledger_events`). Field by field documented in
/// `ledger/EVENTS.md`. Its fields are read-only outside this package (`package(set)`): an
/// app reads events, it cannot alter one it was given; the store fills `seq`, `prevHash`
/// and `hash` when it appends.
public struct LedgerEvent: Sendable, Equatable {
  /// Strictly increasing position in the ledger, from 1.
  public package(set) var seq: Int64
  /// What happened.
  public package(set) var kind: EventKind
  /// The migration id, for migration events.
  public package(set) var migration: String?
  /// The migration's version.
  public package(set) var version: MigrationVersion?
  /// Up or down, for migration events.
  public package(set) var direction: Direction?
  /// SHA-256 of the migration's up SQL when the event was written.
  public package(set) var checksum: String?
  /// Groups the events of one invocation.
  public package(set) var runID: String
  /// Who wrote the event.
  public package(set) var actor: LedgerActor
  /// UTC, ISO-8601 with milliseconds.
  public package(set) var recordedAt: String
  /// How long the SQL ran, on outcomes.
  public package(set) var durationMs: Int64?
  /// Whether the SQL ran inside SchemaLedger's transaction.
  public package(set) var transactional: Bool?
  /// The SQL that ran (or was to run). `nil` when not loaded (see `LedgerStore`).
  public package(set) var sql: String?
  /// On `applied`: the down SQL recorded for a later rollback (`nil`: irreversible).
  public package(set) var downSQL: String?
  /// On `failed`: what went wrong, with file and line.
  public package(set) var error: String?
  /// On `failed`: SQLite's extended result code, when SQLite reported the error.
  public package(set) var errorCode: Int64?
  /// Free-form detail: why (interrupted, reason given by an operator).
  public package(set) var detail: String?
  /// On `planned` / `applied` / `baselined` / `imported`: the ids of the migrations this
  /// one depends on (`-- depends:`), so rollback can order dependents first.
  public package(set) var dependsOn: [String]?
  /// SHA-256 of the application's normalised schema (`SchemaSnapshot.fingerprint`) as a
  /// run leaves it: on the last event of each run, on `failed` events and on operator
  /// records; `verify` uses it to tell when drift began.
  public package(set) var schemaFingerprint: String?
  /// `hash` of the previous event (64 zeros for the first).
  public package(set) var prevHash: String
  /// SHA-256 over this event's canonical encoding (see `LedgerEvent+Hash.swift`).
  public package(set) var hash: String

  /// An event to append: `seq`, `prevHash` and `hash` are filled in by the store.
  public init(
    kind: EventKind, migration: String? = nil, version: MigrationVersion? = nil,
    direction: Direction? = nil, checksum: String? = nil, runID: String,
    actor: LedgerActor, recordedAt: String? = nil, durationMs: Int64? = nil,
    transactional: Bool? = nil, sql: String? = nil, downSQL: String? = nil,
    error: String? = nil, errorCode: Int64? = nil, detail: String? = nil,
    dependsOn: [String]? = nil, schemaFingerprint: String? = nil, seq: Int64 = 0,
    prevHash: String = "", hash: String = ""
  ) {
    self.seq = seq
    self.kind = kind
    self.migration = migration
    self.version = version
    self.direction = direction
    self.checksum = checksum
    self.runID = runID
    self.actor = actor
    self.recordedAt = recordedAt ?? Timestamp.now()
    self.durationMs = durationMs
    self.transactional = transactional
    self.sql = sql
    self.downSQL = downSQL
    self.error = error
    self.errorCode = errorCode
    self.detail = detail
    self.dependsOn = dependsOn
    self.schemaFingerprint = schemaFingerprint
    self.prevHash = prevHash
    self.hash = hash
  }
}
