/// Pure planning: from the migration source, the ledger's state and a target, what to
/// do. Deterministic: the same inputs always give the same plan.
public enum Planner {
  /// The plan to bring the database up to `target` (or to the newest version).
  ///
  /// Refuses, before anything runs, when an applied migration's file changed
  /// (`checksumMismatch`, naming every one), when the ledger has applied migrations the
  /// source does not know, when a migration run outside a transaction may be partly
  /// applied, or when `target` is not a known version.
  ///
  /// With `allowingSuperseded`, applied migrations the source does not know are left
  /// alone instead of refused.
  public static func applyPlan(
    source: MigrationSource, state: LedgerState, target: Int64? = nil,
    allowingSuperseded: Bool = false
  ) throws -> ApplyPlan {
    let known = Set(source.migrations.map(\.id))
    let drifts = source.migrations.compactMap { migration -> PlanError.Drift? in
      guard let record = state.migrations[migration.id], record.status == .applied,
        let recorded = record.checksum, recorded != migration.checksum
      else { return nil }
      return PlanError.Drift(
        migration: migration.id, file: migration.upLocation.file, recorded: recorded,
        current: migration.checksum)
    }
    if !drifts.isEmpty { throw PlanError.checksumMismatch(drifts) }

    let unknown = state.appliedMigrations.map(\.id).filter { !known.contains($0) }
      .sorted()
    if !unknown.isEmpty, !allowingSuperseded {
      throw PlanError.unknownAppliedMigrations(unknown)
    }

    if let stuck = partlyApplied(in: state) { throw stuck }

    if let target, !source.migrations.contains(where: { $0.version == target }) {
      throw PlanError.unknownTarget(version: target)
    }
    let pending = source.migrations.filter { migration in
      state.migrations[migration.id]?.status != .applied
        && (target.map { migration.version <= $0 } ?? true)
    }
    return ApplyPlan(
      steps: pending, target: target, alreadyApplied: state.appliedMigrations.count)
  }

  /// Applied migrations that `source` does not contain, newest application first.
  public static func supersededMigrations(source: MigrationSource, state: LedgerState)
    -> [String]
  {
    let known = Set(source.migrations.map(\.id))
    return state.appliedMigrations.filter { !known.contains($0.id) }
      .sorted { ($0.appliedSeq ?? 0) > ($1.appliedSeq ?? 0) }.map(\.id)
  }

  /// A migration that ran outside a transaction and has a failed last attempt, or an
  /// unfinished one, blocks further applies: the database may hold half of it.
  static func partlyApplied(in state: LedgerState) -> PlanError? {
    let failed = state.migrations.values
      .filter(\.mayBePartlyDone)
      .sorted { $0.lastSeq < $1.lastSeq }
    if let record = failed.first {
      return .partlyApplied(migration: record.id, error: record.lastError ?? "failed")
    }
    return nil
  }
}
