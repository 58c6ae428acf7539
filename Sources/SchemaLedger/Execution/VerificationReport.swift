/// What `verify` found. Empty `problems` means every check held.
public struct VerificationReport: Sendable, Equatable {
  /// One finding, with what to do about it.
  public enum Problem: Sendable, Equatable, CustomStringConvertible {
    /// The hash chain does not hold from this event on.
    case brokenChain(ChainVerifier.Break)
    /// An append-only trigger is gone; `restore` is the engine's statement that recreates
    /// it.
    case missingTrigger(String, restore: String?)
    /// The migrations folder could not be read.
    case unreadableSource(String)
    /// An applied migration's file changed since it was applied.
    case editedFile(PlanError.Drift)
    /// An applied migration's down section changed since its down SQL was recorded.
    case editedDownSection(migration: String, file: String)
    /// An applied migration's file is gone (its version is within the folder's range).
    case missingFile(migration: String)
    /// Applied migrations newer than every file: the database is ahead of this code.
    case superseded(migration: String)
    /// The live schema differs from the one the ledger's SQL produces. `lastMatching*`:
    /// the last event whose recorded fingerprint equals the live schema's;
    /// `lastRecorded*`: the last event with a fingerprint at all (drift began after it
    /// when nothing matches).
    case schemaDrift(
      differences: [SchemaSnapshot.Difference], lastMatchingSeq: Int64?,
      lastMatchingAt: String?, lastRecordedSeq: Int64?, lastRecordedAt: String?)
    /// The ledger's SQL could not be replayed.
    case unreconstructable(String)
    /// The events disagree with the head anchor SchemaLedger keeps beside them (newest
    /// events deleted, rows inserted by hand, events missing in the middle).
    case headMismatch(seq: Int64, finding: String)
    /// A key was given, but the ledger's hashes are not keyed: anyone with write access
    /// could have rewritten it and recomputed every hash.
    case notKeyed
    /// An anchor the operator kept (`verify --anchor SEQ:HASH`) does not match: `found` is
    /// the hash the ledger has at `seq` now (`nil`: no such event).
    case anchorMismatch(seq: Int64, expected: String, found: String?)
    /// A text in `schemaledger_sql` no longer hashes to its address: it was edited after
    /// it was written. `events` are the events that name it.
    case editedSQLText(address: String, events: [Int64])
    /// Events name a text (`sql_hash` or `down_sql_hash`) that `schemaledger_sql` does not
    /// hold: it was deleted.
    case missingSQLText(address: String, events: [Int64])

    /// What, where, and what to do.
    public var description: String {
      switch self {
      case .brokenChain(let found):
        return "Hash chain broken at \(found). The ledger was altered outside SchemaLedger; "
          + "compare with a backup or an export ('schemaledger export') to see what changed."
      case .missingTrigger(let name, let restore):
        return "Append-only trigger \(name) is missing: the ledger can be edited. The next "
          + "'schemaledger apply' or 'rollback' that writes recreates it; to recreate it now, "
          + "run this statement against the database (with the sqlite3 shell, or psql):\n"
          + (restore ?? "(see ledger/EVENTS.md)")
          + "\nThen find out who dropped it, and run 'schemaledger verify' again."
      case .unreadableSource(let message):
        return "The migrations folder could not be read: \(message)"
      case .editedFile(let drift):
        return "\(drift.file): migration \(drift.migration) was edited after it was applied "
          + "(recorded \(drift.recorded), file now \(drift.current)). Restore the file; put "
          + "changes in a new migration."
      case .editedDownSection(let migration, let file):
        return "\(file): the down section of \(migration) differs from the down SQL recorded "
          + "in the ledger. A rollback runs the recorded one. If the new down section is the "
          + "right one, record it: 'schemaledger accept \(migration) --with-down --reason TEXT'."
      case .missingFile(let migration):
        return "Applied migration \(migration) has no file in the migrations folder. Restore "
          + "it from version control."
      case .superseded(let migration):
        return "Applied migration \(migration) is newer than every file: the database was "
          + "migrated by a newer version of the application. Deploy that version, or roll "
          + "back with 'schemaledger rollback' (it uses the recorded down SQL)."
      case .schemaDrift(let differences, let seq, let time, let recordedSeq, let recordedAt):
        let since: String
        if let seq, seq == recordedSeq {
          since =
            "The live schema is the one SchemaLedger recorded at event #\(seq) "
            + "(\(time ?? "?")), the last it recorded: the difference was already there "
            + "when that run ended (made by hand before it, or not reproducible from the "
            + "recorded SQL)."
        } else if let seq {
          since =
            "The live schema is the one recorded at event #\(seq) (\(time ?? "?")): "
            + "the changes after it were undone outside SchemaLedger."
        } else if let recordedSeq {
          since =
            "SchemaLedger last recorded the schema at event #\(recordedSeq) "
            + "(\(recordedAt ?? "?")); the change was made after that."
        } else {
          since = "The ledger has no recorded schema to date the change."
        }
        return "The live schema differs from the ledger's (changed outside SchemaLedger):\n"
          + differences.map { "  - \($0)" }.joined(separator: "\n") + "\n" + since
          + " Put the change in a migration, or undo it by hand."
      case .unreconstructable(let message):
        return "The schema could not be reconstructed from the ledger: \(message)"
      case .headMismatch(let seq, let finding):
        return "The ledger disagrees with its head anchor from event #\(seq): \(finding). "
          + "Compare with a backup or an export; writers refuse this ledger until it is "
          + "restored."
      case .notKeyed:
        return "A ledger key was given, but the ledger's hashes are not keyed (it has no "
          + "'keyed' event): anyone with write access could have rewritten it and recomputed "
          + "every hash. If it should be keyed, its keyed events were removed: restore it from "
          + "a backup. Otherwise the next run with the key makes it keyed from then on."
      case .editedSQLText(let address, let events):
        return "The SQL text stored under \(address) in schemaledger_sql was edited after it "
          + "was written (it no longer hashes to its address), so the SQL of "
          + VerificationReport.eventList(events)
          + " is not what ran. The ledger was altered outside "
          + "SchemaLedger; compare with a backup or an export ('schemaledger export') to see "
          + "what changed."
      case .missingSQLText(let address, let events):
        return "The SQL text \(address) named by " + VerificationReport.eventList(events)
          + " is missing from schemaledger_sql (deleted outside SchemaLedger). Restore the "
          + "database from a backup; an export ('schemaledger export') holds every event's SQL."
      case .anchorMismatch(let seq, let expected, let found):
        let now = found.map { "has hash \($0)" } ?? "does not exist"
        return "Your anchor says event #\(seq) has hash \(expected), but the ledger's event "
          + "#\(seq) \(now): the ledger was rewritten (or truncated) after you kept the anchor. "
          + "Restore it from a backup taken before the change."
      }
    }
  }

  /// `event #4` or `events #4, #7`.
  static func eventList(_ events: [Int64]) -> String {
    (events.count == 1 ? "event " : "events ")
      + events.map { "#\($0)" }.joined(separator: ", ")
  }

  /// The findings, in check order (chain, triggers, texts, files, schema).
  public var problems: [Problem]
  /// Events whose hash was checked.
  public var eventsChecked: Int
  /// Notes that are not problems (what reconstruction could not include).
  public var notes: [String]

  /// `true` when nothing was found.
  public var isClean: Bool { problems.isEmpty }

  /// Adds what `chain` says about keying: a key given to an unkeyed chain is a problem;
  /// keyed hashes that could not be checked without the key are a note.
  mutating func noteKeying(of chain: ChainVerifier, keyGiven: Bool) {
    if keyGiven, chain.keyedFrom == nil, chain.count > 0 { problems.append(.notKeyed) }
    if let from = chain.keyedFrom, chain.uncheckedKeyedEvents > 0 {
      notes.append(
        "the hashes of events from #\(from) are keyed: \(chain.uncheckedKeyedEvents) were not "
          + "checked (no key given; their links were). Give the key (--ledger-key-file) to "
          + "check them.")
    }
  }
}
