extension Planner {
  /// The rollback plan for `target`, from the ledger's state alone: the applied migrations
  /// after the target, the most recently applied first (so whatever was applied on top of
  /// a migration is undone before it). Files are not consulted: each step uses the down
  /// SQL recorded with its `applied` event.
  ///
  /// Refuses before anything runs when a migration in the way has no recorded down SQL
  /// (`irreversible`, naming every one), when the target is not applied, or when a
  /// migration run outside a transaction may be partly applied.
  public static func rollbackPlan(state: LedgerState, target: RollbackTarget) throws
    -> RollbackPlan
  {
    if let stuck = partlyApplied(in: state) { throw stuck }
    let applied = state.migrations.values
      .filter { $0.status == .applied }
      .sorted { ($0.appliedSeq ?? 0) > ($1.appliedSeq ?? 0) }
    let chosen: [MigrationRecord]
    switch target {
    case .steps(let count):
      guard count > 0 else { throw PlanError.invalidRollbackTarget(target) }
      chosen = Array(applied.prefix(count))
    case .toVersion(let version):
      guard version == 0 || applied.contains(where: { $0.version == version }) else {
        throw PlanError.targetNotApplied(version: version)
      }
      chosen = applied.filter { $0.version > version }
    case .all:
      chosen = applied
    case .migrations(let ids):
      let wanted = Set(ids)
      chosen = applied.filter { wanted.contains($0.id) }
    }
    let irreversible = chosen.filter { $0.isReversible == false }.map(\.id)
    if !irreversible.isEmpty { throw PlanError.irreversible(irreversible) }
    let steps = chosen.map { record in
      RollbackPlan.Step(
        migration: record.id, version: record.version, checksum: record.checksum,
        appliedSeq: record.appliedSeq ?? 0, appliedAt: record.changedAt, downSQL: nil,
        outsideReason: record.transactional == false ? "its up SQL ran outside a transaction" : nil)
    }
    return RollbackPlan(steps: steps, target: target)
  }
}
