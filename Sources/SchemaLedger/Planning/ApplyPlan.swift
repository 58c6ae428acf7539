/// What `apply` will do: the pending migrations to run, in order.
public struct ApplyPlan: Sendable, Equatable {
  /// Migrations to apply, in the order they will run.
  public var steps: [Migration]
  /// The version to stop at, if one was given.
  public var target: MigrationVersion?
  /// Number of migrations already applied.
  public var alreadyApplied: Int
  /// Steps older than the newest applied migration (allowed out of order).
  public var outOfOrder: [String] = []
  /// The newest applied migration when the plan was made.
  public var newestApplied: String?
  /// The layout the migrations folder was read as.
  public var layout: MigrationLayout = .sqlFiles

  /// `true` when there is nothing to do.
  public var isEmpty: Bool { steps.isEmpty }
}
