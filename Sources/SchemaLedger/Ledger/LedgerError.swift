/// A problem with the ledger itself (not with a migration).
public enum LedgerError: Error, Sendable, Equatable {
  /// The ledger was written by a newer SchemaLedger whose format this build cannot read.
  case newerFormat(database: String, found: Int, supported: Int)
  /// The ledger's format version is missing or not a version number (`value`, `nil` when
  /// there is no row).
  case malformedFormat(database: String, value: String?)
  /// Objects named like the ledger's that SchemaLedger did not make: `found` says what
  /// was found ("a table schemaledger_meta, but no table schemaledger_events").
  case notALedger(database: String, found: String)
  /// An event row cannot be read (unknown kind or direction, missing field).
  case unreadableEvent(database: String, seq: Int64, reason: String)
  /// A write was refused because the ledger is append-only.
  case appendOnly(database: String, message: String)
  /// The ledger is not as SchemaLedger left it (events deleted, inserted or edited); a
  /// writer refuses to act on it. `seq` is the first event concerned.
  case tampered(database: String, seq: Int64, finding: String)
  /// Another connection appended event `seq` while this one was appending: another runner
  /// wrote without holding the run lock (or through a path the lock could not see).
  case concurrentAppend(database: String, seq: Int64)
  /// The ledger's hashes are keyed and no key was given to write it.
  case keyRequired(database: String, keyID: String)
  /// The ledger's hashes are keyed with another key than the one given.
  case wrongKey(database: String, keyID: String, givenID: String)
  /// A replay was asked for the state after event `seq`, but the ledger ends at
  /// `lastSeq` (0: it has no events).
  case pastEnd(database: String, seq: Int64, lastSeq: Int64)
}

extension LedgerError: MessageBacked {
  /// The message, with its advice worded for each reader (`MessageBacked`).
  package var message: ErrorMessage {
    switch self {
    case .newerFormat(let database, let found, let supported):
      return ErrorMessage(
        "The ledger in '\(database)' has format version \(found), but this SchemaLedger "
          + "reads up to version \(supported). Nothing was changed; ",
        action: "upgrade SchemaLedger.")
    case .malformedFormat(let database, let value):
      let found =
        value.map { "has the format version '\($0)', which is not a version number" }
        ?? "has no format version"
      return ErrorMessage(
        "The ledger in '\(database)' \(found) (table schemaledger_meta, key "
          + "format_version). SchemaLedger cannot tell how to read it, so it read nothing and "
          + "changed nothing. The row was edited by hand or by another program: ",
        action: "restore the database from a backup, or set the value back to the format the "
          + "ledger was written in (see docs/troubleshooting.md, 'Malformed format version'), "
          + "and find out who changed it.")
    case .notALedger(let database, let found):
      return ErrorMessage(
        "'\(database)' has \(found). SchemaLedger did not make these: it keeps its ledger "
          + "in the tables schemaledger_events and schemaledger_meta (names starting with "
          + "schemaledger_ are its own), and does not read, change or add to objects it did "
          + "not create. Nothing was changed. ",
        action: "If they belong to the application, rename them (for example ALTER TABLE "
          + "schemaledger_meta RENAME TO app_meta) and update the application, then run the "
          + "command again; see docs/troubleshooting.md.")
    case .unreadableEvent(let database, let seq, let reason):
      return ErrorMessage(
        "Ledger event #\(seq) in '\(database)' cannot be read: \(reason). Nothing was "
          + "changed. It was written by a newer SchemaLedger or edited by hand: ",
        action: "inspect it (SELECT * FROM schemaledger_events WHERE seq = \(seq)) and see "
          + "docs/troubleshooting.md.")
    case .appendOnly(let database, let message):
      return ErrorMessage("The ledger in '\(database)' refused a change: \(message)")
    case .tampered(let database, let seq, let finding):
      return ErrorMessage(
        "The ledger in '\(database)' is not as SchemaLedger left it, from event #\(seq): "
          + "\(finding). Nothing was changed: SchemaLedger will not decide what to run from a "
          + "ledger it cannot trust. ",
        action: "Run 'schemaledger verify' to see the whole chain, then restore the database "
          + "from a backup (or compare with an export) and find out who changed it; see "
          + "docs/auditing.md.")
    case .concurrentAppend(let database, let seq):
      return ErrorMessage(
        "Another runner got there first: event #\(seq) was appended to the ledger in "
          + "'\(database)' by another connection while this run was writing. This run's step "
          + "was rolled back and not recorded. ",
        action: "Run the command again: it will see what the other runner did.",
        after: " (Two runners should never write at once; if this repeats, check that "
          + "every writer is SchemaLedger holding the run lock.)")
    case .keyRequired(let database, let keyID):
      return ErrorMessage(
        "The ledger in '\(database)' has a keyed hash chain (key id \(keyID)), and no key "
          + "was given. Nothing was changed. ",
        action: "Give the key with \(Remedy.ledgerKey); a keyed ledger never goes back to "
          + "plain hashes.")
    case .wrongKey(let database, let keyID, let givenID):
      return ErrorMessage(
        "The ledger in '\(database)' is keyed with key id \(keyID), but the key given "
          + "has id \(givenID). Nothing was changed. ",
        action: "Give the ledger's key (check which key file this environment uses).")
    case .pastEnd(let database, let seq, let lastSeq) where lastSeq == 0:
      return ErrorMessage(
        "The ledger in '\(database)' has no events yet; event #\(seq) is past its end. "
          + "Nothing to show: ",
        action: "check the database path, or replay without a point (or at event #0) for "
          + "the empty state.")
    case .pastEnd(let database, let seq, let lastSeq):
      return ErrorMessage(
        "The ledger in '\(database)' ends at event #\(lastSeq); event #\(seq) is past "
          + "its end. ",
        action: "Give an event number from 0 to \(lastSeq) ('schemaledger history' lists "
          + "them), or no point for the current state.")
    }
  }
}
