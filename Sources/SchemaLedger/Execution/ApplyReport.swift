/// What `apply` did.
public struct ApplyReport: Sendable, Equatable {
  /// One applied migration.
  public struct Step: Sendable, Equatable {
    /// The migration id.
    public var migration: String
    /// Its version.
    public var version: Int64
    /// How long its SQL (and its `applied` event) took.
    public var durationMs: Int64
    /// Whether it ran inside SchemaLedger's transaction.
    public var transactional: Bool
  }

  /// The run id that groups this run's events (`nil` when nothing was written).
  public var runID: String?
  /// Migrations applied, in order.
  public var applied: [Step]
  /// Interrupted attempts of earlier runs recorded by this run.
  public var recoveredInterruptions: [UnfinishedAttempt]
  /// The highest applied version after the run.
  public var currentVersion: Int64?
  /// Wall time of the whole run, in milliseconds.
  public var totalMs: Int64
}
