/// The state of every migration, source and ledger side by side, for `status`.
public struct MigrationStatusReport: Sendable, Equatable {
  /// One line of the report.
  public struct Entry: Sendable, Equatable {
    /// What `status` shows for one migration.
    public enum State: String, Sendable, Codable {
      /// Not applied yet (never run, rolled back, or its last attempt failed).
      case pending
      /// Applied, and the file still matches.
      case applied
      /// Applied, but the file's checksum changed since.
      case drifted
      /// Applied, but its file is gone from the migrations folder.
      case missingFile = "missing_file"
      /// Planned or started by a run that is still running (it holds the run lock).
      case running
      /// Planned or started by a run that died without an outcome; the next `apply`
      /// records it as failed (interrupted) and runs it again.
      case interrupted
      /// Its last attempt failed (it is pending again, or partly applied).
      case failed
      /// Not known now: a run holds the database and the ledger cannot be read.
      case unknown
    }

    /// The migration id.
    public var id: String
    /// Its version.
    public var version: MigrationVersion
    /// Its state.
    public var state: State
    /// When it was applied, for applied ones.
    public var appliedAt: String?
    /// Who applied it.
    public var appliedBy: LedgerActor?
    /// The last error, when the last attempt failed.
    public var lastError: String?
    /// Whether it runs (or ran) outside SchemaLedger's transaction.
    public var runsOutsideTransaction: Bool
    /// Applied, but the file's down section differs from the recorded down SQL.
    public var downSectionEdited = false
    /// Pending, but older than the newest applied migration (needs
    /// `--allow-out-of-order`); for applied ones, applied out of order.
    public var isOutOfOrder = false
  }

  /// Every migration: the source's in version order, then any the ledger alone knows.
  public var entries: [Entry]
  /// The highest applied version.
  public var currentVersion: MigrationVersion?
  /// The layout the migrations folder was read as; `nil` when the files were not read.
  public var layout: MigrationLayout?
  /// Who holds the run lock now and what they are doing, when a run is in progress.
  public var activeRun: String?
  /// `false` when a run's step held the database, so the ledger could not be read without
  /// waiting: `entries` then lists the files only, each `unknown`.
  public var isLedgerReadable = true

  /// The report of a database whose ledger cannot be read now because `activeRun`'s step
  /// holds it: the files, without their state.
  init(activeRun: String, source: MigrationSource) {
    entries = source.migrations.map { migration in
      Entry(
        id: migration.id, version: migration.version, state: .unknown, appliedAt: nil,
        appliedBy: nil, lastError: nil, runsOutsideTransaction: !migration.transactionMode.isWrapped
      )
    }
    currentVersion = nil
    layout = source.layout
    self.activeRun = activeRun
    isLedgerReadable = false
  }

  /// Entries that `apply` would run or that need attention.
  public var pending: [Entry] { entries.filter { $0.state == .pending || $0.state == .failed } }

  /// The report of a database known to be up to date with unchanged files (see
  /// `SchemaMigrator.Configuration.fastStartupCheck`): every migration the ledger has
  /// applied, as the ledger records it. Pure.
  init(upToDate state: LedgerState, check: StartupCheckRecord) {
    self.layout = check.layout
    let edited = Set(check.downSectionEdited)
    entries = state.appliedMigrations.map { record in
      Entry(
        id: record.id, version: record.version, state: .applied, appliedAt: record.changedAt,
        appliedBy: record.changedBy, lastError: nil,
        runsOutsideTransaction: record.transactional == false,
        downSectionEdited: edited.contains(record.id))
    }
    currentVersion = state.currentVersion
  }

  /// Builds the report from the source and the ledger's state. `runInProgress` says
  /// whether another run holds the lock now (unfinished attempts are then `running`,
  /// else `interrupted`). Pure.
  public init(source: MigrationSource, state: LedgerState, runInProgress: Bool = false) {
    var entries: [Entry] = []
    let inFlight = Set(state.unfinishedAttempts.map(\.migration))
    for migration in source.migrations {
      let record = state.migrations[migration.id]
      var entry = Entry(
        id: migration.id, version: migration.version, state: .pending, appliedAt: nil,
        appliedBy: nil, lastError: nil,
        runsOutsideTransaction: !migration.transactionMode.isWrapped)
      switch record?.status {
      case .applied? where migration.isRepeatable:
        // A repeatable migration whose file changed is applied again, not drifted.
        entry.state = record?.checksum == migration.checksum ? .applied : .pending
        entry.appliedAt = record?.changedAt
        entry.appliedBy = record?.changedBy
      case .applied?:
        entry.state = record?.checksum == migration.checksum ? .applied : .drifted
        entry.appliedAt = record?.changedAt
        entry.appliedBy = record?.changedBy
      case .failed?:
        entry.state = .failed
        entry.lastError = record?.lastError
      default:
        entry.state =
          inFlight.contains(migration.id) ? (runInProgress ? .running : .interrupted) : .pending
      }
      entries.append(entry)
    }
    let known = Set(source.migrations.map(\.id))
    for record in state.appliedMigrations where !known.contains(record.id) {
      entries.append(
        Entry(
          id: record.id, version: record.version, state: .missingFile,
          appliedAt: record.changedAt, appliedBy: record.changedBy, lastError: nil,
          runsOutsideTransaction: record.transactional == false))
    }
    if let newest = state.currentVersion {
      for index in entries.indices
      where (entries[index].state == .pending || entries[index].state == .failed)
        && entries[index].version < newest
      {
        entries[index].isOutOfOrder = true
      }
    }
    self.entries = entries
    self.currentVersion = state.currentVersion
    self.layout = source.layout
  }
}
