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
      // Repeatable migrations have no version: a version target leaves them alone.
      chosen = applied.filter { !$0.version.isRepeatable && $0.version > version }
    case .all:
      chosen = applied
    case .migrations(let ids):
      let wanted = Set(ids)
      chosen = applied.filter { wanted.contains($0.id) }
    }
    let ordered = withDependents(chosen, applied: applied)
    let irreversible = ordered.filter { $0.isReversible == false }.map(\.id)
    if !irreversible.isEmpty { throw PlanError.irreversible(irreversible) }
    let steps = ordered.map { record in
      RollbackPlan.Step(
        migration: record.id, version: record.version, checksum: record.checksum,
        appliedSeq: record.downSQLSeq ?? record.appliedSeq ?? 0, appliedAt: record.changedAt,
        downSQL: nil,
        outsideReason: record.transactional == false ? "its up SQL ran outside a transaction" : nil,
        restoredChecksum: record.replacedChecksum)
    }
    return RollbackPlan(steps: steps, target: target)
  }

  /// `chosen` plus every applied migration that depends on one of them (transitively,
  /// from the dependencies recorded when they were applied), ordered so that dependents
  /// are rolled back before what they depend on; otherwise the most recently applied
  /// first. `applied` is sorted most recent first.
  static func withDependents(_ chosen: [MigrationRecord], applied: [MigrationRecord])
    -> [MigrationRecord]
  {
    var selected = Set(chosen.map(\.id))
    var grew = true
    while grew {
      grew = false
      for record in applied where !selected.contains(record.id) {
        if record.dependencies.contains(where: selected.contains) {
          selected.insert(record.id)
          grew = true
        }
      }
    }
    let plan = applied.filter { selected.contains($0.id) }  // most recent first
    guard plan.contains(where: { !$0.dependencies.isEmpty }) else { return plan }
    // Dependents first: take, among those no remaining dependent waits on, the most recent.
    var remaining = plan
    var result: [MigrationRecord] = []
    while !remaining.isEmpty {
      let index =
        remaining.firstIndex { candidate in
          !remaining.contains { $0.id != candidate.id && $0.dependencies.contains(candidate.id) }
        } ?? 0
      result.append(remaining.remove(at: index))
    }
    return result
  }
}
