/// Errors made more useful with what only the ledger knows: what an edited migration's
/// file changed since it ran, which of two files with one version was applied. Used on
/// the error path only.
extension SchemaMigrator {
  /// Runs `body`; a drift refusal gets the diff of each edited file against the SQL the
  /// ledger recorded, and a duplicate version names the file the ledger applied.
  func explainingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch PlanError.checksumMismatch(let drifts) {
      throw PlanError.checksumMismatch(drifts.map(withDiff))
    } catch let error as MigrationSourceError {
      throw explained(error)
    }
  }

  /// `drift` with the diff from the SQL recorded with the checksum in force to the file's.
  private func withDiff(_ drift: PlanError.Drift) -> PlanError.Drift {
    var drift = drift
    guard case .directory = migrations, let source = try? source(),
      let migration = source.migration(drift.migration),
      let recorded = try? history(HistoryFilter(migration: drift.migration))
        .last(where: { $0.checksum == drift.recorded && $0.sql != nil && $0.direction == .up })?
        .sql
    else { return drift }
    drift.diff = LineDiff.unified(old: recorded, new: migration.upSQL)
    return drift
  }

  /// A duplicate version names the file the ledger applied, when it applied one.
  private func explained(_ error: MigrationSourceError) -> MigrationSourceError {
    switch error {
    case .duplicateVersion(let version, let files):
      guard let state = try? ledgerState(),
        let applied = state.appliedMigrations.first(where: { record in
          files.contains { PathName.lastComponent(of: $0).hasPrefix(record.id) }
            && record.version == version
        })
      else { return error }
      return .duplicateVersionApplied(version: version, files: files, applied: applied.id)
    case .several(let errors):
      return .several(errors.map(explained))
    default:
      return error
    }
  }
}
