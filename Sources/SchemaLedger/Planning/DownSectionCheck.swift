/// Whether a migration file's down section still says what a rollback would run: the
/// down SQL recorded when the migration was applied. `status` marks the migrations whose
/// file differs ("down edited"), because a rollback runs the recorded text, not the file.
/// Pure: the recorded texts come through `recordedDownSQL` (the ledger's `seq` of the
/// event that recorded it, to its text).
enum DownSectionCheck {
  /// The applied (or drifted) migrations, in folder order, whose file's down section
  /// differs from the down SQL a rollback would use. Repeatable migrations are left out:
  /// their recorded down SQL is their previous application's SQL, not a down section.
  static func edited(
    state: LedgerState, source: MigrationSource, recordedDownSQL: (Int64) throws -> String?
  ) rethrows -> [String] {
    try checked(state: state, source: source).filter { migration, record in
      try isEdited(record, migration, recordedDownSQL: recordedDownSQL)
    }.map(\.migration.id)
  }

  /// The events whose recorded down SQL `edited` reads: to read them all at once.
  static func recordedDownSQLSeqs(state: LedgerState, source: MigrationSource) -> [Int64] {
    checked(state: state, source: source).compactMap(\.record.downSQLSeq)
  }

  /// The migrations `edited` compares, in folder order, with their records: applied, and
  /// not repeatable.
  private static func checked(state: LedgerState, source: MigrationSource)
    -> [(migration: Migration, record: MigrationRecord)]
  {
    source.migrations.compactMap { migration in
      guard !migration.isRepeatable, let record = state.migrations[migration.id],
        record.status == .applied
      else { return nil }
      return (migration, record)
    }
  }

  /// `true` when `migration`'s down section differs from the down SQL `record` names
  /// (none recorded counts as an empty down section only when the file has none either).
  static func isEdited(
    _ record: MigrationRecord, _ migration: Migration,
    recordedDownSQL: (Int64) throws -> String?
  ) rethrows -> Bool {
    let recorded = try record.downSQLSeq.flatMap(recordedDownSQL)
    return recorded != migration.downSQL
  }
}
