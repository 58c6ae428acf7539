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
  /// alone instead of refused. Pending migrations older than the newest applied one (a
  /// branch merged late) are refused unless `allowingOutOfOrder`.
  ///
  /// Order: pending migrations after their `-- depends:` dependencies, ties by version.
  /// With a `target`, the pending migrations up to it and whatever they depend on.
  public static func applyPlan(
    source: MigrationSource, state: LedgerState, target: MigrationVersion? = nil,
    allowingSuperseded: Bool = false, allowingOutOfOrder: Bool = false
  ) throws -> ApplyPlan {
    try checkApplied(source: source, state: state, allowingSuperseded: allowingSuperseded)
    if let stuck = partlyApplied(in: state) { throw stuck }

    if let target,
      !source.migrations.contains(where: { !$0.isRepeatable && $0.version == target })
    {
      throw PlanError.unknownTarget(version: target)
    }
    let applied = state.appliedMigrations
    let pending = source.migrations.filter { isPending($0, in: state) }
    let steps = DependencyGraph.order(target.map { upTo($0, of: pending) } ?? pending)
    let newest = applied.filter { !$0.version.isRepeatable }
      .max { ($0.version, $0.id) < ($1.version, $1.id) }
    let late = newest.map { newest in steps.filter { $0.version < newest.version } } ?? []
    if let newest, !late.isEmpty, !allowingOutOfOrder {
      throw PlanError.outOfOrder(migrations: late.map(\.id), newestApplied: newest.id)
    }
    return ApplyPlan(
      steps: steps, target: target, alreadyApplied: applied.count,
      outOfOrder: late.map(\.id), newestApplied: newest?.id, layout: source.layout)
  }

  /// Refuses when an applied migration's file changed (every one named), when an applied
  /// file was renamed, or (unless `allowingSuperseded`) when the ledger has applied
  /// migrations the source does not know.
  private static func checkApplied(
    source: MigrationSource, state: LedgerState, allowingSuperseded: Bool
  ) throws {
    let known = Set(source.migrations.map(\.id))
    let drifts = source.migrations.compactMap { migration -> PlanError.Drift? in
      // A repeatable migration whose file changed is not drift: it is applied again.
      guard !migration.isRepeatable,
        let record = state.migrations[migration.id], record.status == .applied,
        let recorded = record.checksum, recorded != migration.checksum
      else { return nil }
      return PlanError.Drift(
        migration: migration.id, file: migration.upLocation.file, recorded: recorded,
        current: migration.checksum)
    }
    if !drifts.isEmpty { throw PlanError.checksumMismatch(drifts) }

    let unknown = state.appliedMigrations.map(\.id).filter { !known.contains($0) }
      .sorted()
    let renames = unknown.compactMap { id -> PlanError.Rename? in
      guard let record = state.migrations[id], !record.version.isRepeatable,
        let file = source.migrations.first(where: {
          $0.version == record.version && $0.checksum == record.checksum
            && state.migrations[$0.id]?.status != .applied
        })
      else { return nil }
      return PlanError.Rename(applied: id, current: file.id, file: file.upLocation.file)
    }
    if !renames.isEmpty { throw PlanError.renamedApplied(renames) }
    if !unknown.isEmpty, !allowingSuperseded {
      throw PlanError.unknownAppliedMigrations(unknown)
    }
  }

  /// The `pending` migrations up to `target`, and whatever they depend on.
  private static func upTo(_ target: MigrationVersion, of pending: [Migration]) -> [Migration] {
    let byID = Dictionary(pending.map { ($0.id, $0) }) { first, _ in first }
    var wanted = Set(pending.filter { $0.version <= target }.map(\.id))
    var frontier = Array(wanted)
    while let id = frontier.popLast() {
      for dependency in byID[id]?.dependencies ?? [] where byID[dependency] != nil {
        if wanted.insert(dependency).inserted { frontier.append(dependency) }
      }
    }
    return pending.filter { wanted.contains($0.id) }
  }

  /// Whether `migration` is to be applied: not applied, or, for a repeatable migration,
  /// applied with another checksum than its file's now (Flyway's rule). Repeatable
  /// migrations run after every versioned one; with a version target they wait for a run
  /// without one (a repeatable view may read tables of later versions).
  static func isPending(_ migration: Migration, in state: LedgerState) -> Bool {
    guard let record = state.migrations[migration.id], record.status == .applied else {
      return true
    }
    return migration.isRepeatable && record.checksum != migration.checksum
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

  /// `true` when nothing is left to do under any policy: nothing pending, no unfinished
  /// attempt and no superseded migration (so a later call with a stricter policy still
  /// refuses those). The only state the fast startup check may remember as up to date.
  static func isUpToDate(source: MigrationSource, state: LedgerState, allowingOutOfOrder: Bool)
    -> Bool
  {
    let remaining = try? applyPlan(
      source: source, state: state, allowingSuperseded: true,
      allowingOutOfOrder: allowingOutOfOrder)
    return remaining?.isEmpty == true && state.unfinishedAttempts.isEmpty
      && supersededMigrations(source: source, state: state).isEmpty
  }

  /// An attempt outside a transaction that started and has no outcome: unless its run is
  /// still going, `migrate()` will record it as interrupted and partly applied, so a
  /// preview refuses already, naming it.
  static func interruptedPartly(in state: LedgerState) -> PlanError? {
    guard
      let stuck = state.unfinishedAttempts.first(where: { !$0.transactional && $0.wasStarted })
    else { return nil }
    return .partlyApplied(migration: stuck.migration, error: "interrupted in run \(stuck.runID)")
  }
}
