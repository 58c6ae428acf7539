/// What an event records. Spelled in the ledger exactly as the raw values.
/// See `ledger/EVENTS.md` for when each is written and which fields it carries.
public enum EventKind: String, Sendable, CaseIterable, Codable {
  /// A run intends to apply or roll back this migration (written at the start of the run).
  case planned
  /// The migration's SQL is about to run.
  case started
  /// The up SQL ran and committed.
  case applied
  /// The down SQL ran and committed.
  case rolledBack = "rolled_back"
  /// The attempt failed (or was interrupted); its transaction was rolled back.
  case failed
  /// A plan was rehearsed on a scratch copy of the database; `detail` holds the verdict.
  case rehearsed
  /// Recorded as applied without running (`baseline`): the database already had it.
  case baselined
  /// Recorded as applied from another tool's history table (`import`).
  case imported
  /// An operator settled a migration that may be partly done (`resolve`): `direction`
  /// `up` means "treat as applied", `down` "treat as rolled back".
  case resolved
  /// An operator accepted an edited applied migration (`accept`): new checksum, and new
  /// down SQL when given.
  case accepted
  /// From this event on, the ledger's hashes are keyed (HMAC-SHA-256 with the operator's
  /// key, `LedgerKey`); `detail` names the key's id. A run event: no migration.
  case keyed
  /// The ledger was upgraded in place to this build's format (`detail` says from which
  /// format and what changed). A run event: no migration.
  case upgraded

  /// `true` for the kinds that end an attempt.
  public var isOutcome: Bool {
    self == .applied || self == .rolledBack || self == .failed
  }

  /// `true` for the kinds that make a migration applied (`applied`, `baselined`,
  /// `imported`).
  public var marksApplied: Bool {
    self == .applied || self == .baselined || self == .imported
  }
}

/// Which way a migration event goes.
public enum Direction: String, Sendable, Codable {
  /// Running the up SQL (apply).
  case up
  /// Running the recorded down SQL (rollback).
  case down
}
