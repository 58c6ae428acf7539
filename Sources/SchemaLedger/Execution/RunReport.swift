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
}
