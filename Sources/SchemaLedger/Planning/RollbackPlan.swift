/// Which applied migrations a rollback undoes.
public enum RollbackTarget: Sendable, Equatable, CustomStringConvertible {
  /// The `count` most recently applied migrations.
  case steps(Int)
  /// Every migration applied with a version above this one (which stays applied).
  case toVersion(MigrationVersion)
  /// Every applied migration.
  case all
  /// These applied migrations (ids), whatever their position.
  case migrations([String])

  /// `--steps 2`, `--to 3`, `--all`.
  public var description: String {
    switch self {
    case .steps(let count): return "--steps \(count)"
    case .toVersion(let version): return "--to \(version)"
    case .all: return "--all"
    case .migrations(let ids): return ids.joined(separator: ", ")
    }
  }
}

/// What `rollback` will do: applied migrations to undo, newest application first, each
/// with the down SQL recorded in the ledger when it was applied.
public struct RollbackPlan: Sendable, Equatable {
  /// One migration to roll back.
  public struct Step: Sendable, Equatable {
    /// The migration id.
    public var migration: String
    /// Its version.
    public var version: MigrationVersion
    /// Checksum recorded when it was applied.
    public var checksum: String?
    /// `seq` of the `applied` event whose down SQL is used.
    public var appliedSeq: Int64
    /// When it was applied.
    public var appliedAt: String?
    /// The recorded down SQL (filled in from the ledger before running or printing).
    public var downSQL: String?
    /// Why the down SQL must run outside a transaction, if it must.
    public var outsideReason: String?
    /// For a repeatable migration applied again: the checksum of the application the
    /// rollback puts back in force (the migration stays applied). `nil` otherwise.
    public var restoredChecksum: String? = nil
  }

  /// Steps in the order they run.
  public var steps: [Step]
  /// The target the plan was made for.
  public var target: RollbackTarget

  /// `true` when there is nothing to roll back.
  public var isEmpty: Bool { steps.isEmpty }
}
