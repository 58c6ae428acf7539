/// What a run (apply or rollback) did.
public struct RunReport: Sendable, Equatable {
  /// One migration applied or rolled back.
  public struct Step: Sendable, Equatable {
    /// The migration id.
    public var migration: String
    /// Its version.
    public var version: MigrationVersion
    /// Up (applied) or down (rolled back).
    public var direction: Direction
    /// How long its SQL ran, in milliseconds.
    public var durationMs: Int64
    /// Whether it ran inside SchemaLedger's transaction.
    public var transactional: Bool
  }

  /// The run id that groups this run's events (`nil` when nothing was written).
  public var runID: String?
  /// Steps done, in order.
  public var steps: [Step]
  /// Interrupted attempts of earlier runs recorded by this run.
  public var recoveredInterruptions: [UnfinishedAttempt]
  /// `true` when the plan was rehearsed on a scratch copy first (and passed).
  public var rehearsed: Bool
  /// The highest applied version after the run.
  public var currentVersion: MigrationVersion?
  /// Wall time of the whole run, in milliseconds.
  public var totalMs: Int64
  /// The ledger's last event after the run (`seq` and hash), when the run wrote: keep it
  /// somewhere the database's writers cannot reach, and check it later with
  /// `verify(anchors:)` (`schemaledger verify --anchor SEQ:HASH`).
  public var head: LedgerHead? = nil
}

/// The last event of a ledger: its `seq` and hash. Kept outside the database, it lets a
/// later `verify` prove that nothing up to it was rewritten (`schemaledger verify
/// --anchor SEQ:HASH`).
public struct LedgerHead: Sendable, Equatable, CustomStringConvertible {
  /// The event's `seq`.
  public var seq: Int64
  /// The event's hash.
  public var hash: String

  /// A head.
  public init(seq: Int64, hash: String) {
    self.seq = seq
    self.hash = hash
  }

  /// `SEQ:HASH`, the form `verify --anchor` reads.
  public var description: String { "\(seq):\(hash)" }
}
