/// What the ledger says is true, computed by `LedgerProjection` from the events alone.
public struct LedgerState: Sendable, Equatable {
  /// Per migration id, its state. Only migrations the ledger has seen.
  public var migrations: [String: MigrationRecord] = [:]
  /// Every run, in the order of its first event.
  public var runs: [RunRecord] = []
  /// Attempts whose run planned or started a migration and never recorded an outcome:
  /// the run is still going, or its process died. Oldest first.
  public var unfinishedAttempts: [UnfinishedAttempt] = []
  /// `seq` of the last event folded (0 for an empty ledger).
  public var lastSeq: Int64 = 0
  /// Number of events folded.
  public var eventCount = 0

  /// The applied migrations, in version order.
  public var appliedMigrations: [MigrationRecord] {
    // Sorted by position: moving whole records while sorting costs more than comparing.
    let applied = migrations.values.filter { $0.status == .applied }
    return applied.indices.sorted {
      (applied[$0].version, applied[$0].id) < (applied[$1].version, applied[$1].id)
    }.map { applied[$0] }
  }

  /// The highest applied version, or `nil` when nothing versioned is applied
  /// (repeatable migrations have no version).
  public var currentVersion: MigrationVersion? {
    migrations.values.filter { $0.status == .applied && !$0.version.isRepeatable }
      .map(\.version).max()
  }
}

/// Where a migration stands in the ledger.
public enum MigrationStatus: String, Sendable, Codable {
  /// Known to the ledger but not applied, with no attempt outstanding (a run planned it
  /// and stopped at an earlier failure).
  case pending
  /// Planned or started by a run that recorded no outcome yet: the run is still going,
  /// or its process died (the next `apply` records which).
  case interrupted
  /// Applied and not rolled back since.
  case applied
  /// Rolled back; pending again.
  case rolledBack = "rolled_back"
  /// The last attempt failed and the migration is not applied.
  case failed
}

/// One migration as the ledger knows it.
public struct MigrationRecord: Sendable, Equatable {
  /// The migration id.
  public var id: String
  /// Its version.
  public var version: MigrationVersion
  /// Where it stands.
  public var status: MigrationStatus
  /// The up SQL's checksum recorded when it was last applied (or planned, if never).
  public var checksum: String?
  /// `seq` of the `applied` (or `baselined`, `imported`) event in force.
  public var appliedSeq: Int64?
  /// `seq` of the event whose down SQL a rollback uses: the applied event, or a later
  /// `accepted` event that recorded a new down section.
  public var downSQLSeq: Int64?
  /// Ids this migration depended on when it was applied.
  public var dependencies: [String] = []
  /// When it was last applied or rolled back.
  public var changedAt: String?
  /// Who last applied or rolled it back.
  public var changedBy: LedgerActor?
  /// Whether the up SQL ran inside SchemaLedger's transaction, last time it ran.
  public var transactional: Bool?
  /// Whether a down SQL was recorded with the `applied` event in force.
  public var isReversible = false
  /// The error of the last failed attempt, if the last outcome was a failure.
  public var lastError: String?
  /// `detail` of the last failure (for example `interrupted`).
  public var lastFailureDetail: String?
  /// `true` when the last attempt, up or down, failed outside a transaction after it had
  /// started: the database may hold part of it, until a later step succeeds.
  public var mayBePartlyDone = false
  /// `seq` of the last event about this migration.
  public var lastSeq: Int64
  /// For a repeatable migration applied again: the checksum of the application it
  /// replaced, which a rollback puts back in force. `nil` when a rollback un-applies it.
  public var replacedChecksum: String? = nil
}

/// One invocation of SchemaLedger that wrote events.
public struct RunRecord: Sendable, Equatable {
  /// The run id.
  public var id: String
  /// Who ran it.
  public var actor: LedgerActor
  /// Time of its first event.
  public var startedAt: String
  /// Time of its last event.
  public var lastEventAt: String
  /// Migrations it applied.
  public var applied: Int
  /// Migrations it rolled back.
  public var rolledBack: Int
  /// Failures recorded in it.
  public var failed: Int
}

/// A migration a run planned (or started) without recording an outcome.
public struct UnfinishedAttempt: Sendable, Equatable {
  /// The run that planned it.
  public var runID: String
  /// The migration id.
  public var migration: String
  /// Its version.
  public var version: MigrationVersion
  /// Up or down.
  public var direction: Direction
  /// Its checksum at planning time.
  public var checksum: String?
  /// Whether it would run inside SchemaLedger's transaction.
  public var transactional: Bool
  /// Whether a `started` event was committed for it (only outside a transaction).
  public var wasStarted: Bool
  /// Who planned it.
  public var actor: LedgerActor
  /// When it was planned.
  public var plannedAt: String
}
