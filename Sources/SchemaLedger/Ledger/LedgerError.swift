/// A problem with the ledger itself (not with a migration).
public enum LedgerError: Error, Sendable, Equatable {
  /// The ledger was written by a newer SchemaLedger whose format this build cannot read.
  case newerFormat(database: String, found: Int, supported: Int)
  /// An event row cannot be read (unknown kind or direction, missing field).
  case unreadableEvent(database: String, seq: Int64, reason: String)
  /// A write was refused because the ledger is append-only.
  case appendOnly(database: String, message: String)
}

extension LedgerError: CustomStringConvertible {
  /// What is wrong, where, what to do.
  public var description: String {
    switch self {
    case .newerFormat(let database, let found, let supported):
      return "The ledger in '\(database)' has format version \(found), but this SchemaLedger "
        + "reads up to version \(supported). Nothing was changed; upgrade SchemaLedger."
    case .unreadableEvent(let database, let seq, let reason):
      return "Ledger event #\(seq) in '\(database)' cannot be read: \(reason). Nothing was "
        + "changed. It was written by a newer SchemaLedger or edited by hand: inspect it "
        + "(SELECT * FROM schemaledger_events WHERE seq = \(seq)) and see "
        + "docs/troubleshooting.md."
    case .appendOnly(let database, let message):
      return "The ledger in '\(database)' refused a change: \(message)"
    }
  }
}
