/// What to do with applied migrations that the migrations given do not contain: the
/// database was migrated by a newer build of the application.
public enum SupersededPolicy: Sendable, Equatable {
  /// Refuse to migrate, naming them (`PlanError.unknownAppliedMigrations`).
  case refuse
  /// Roll them back first, newest first, with the down SQL recorded when they were
  /// applied (their files are not needed), then apply what is pending.
  case rollBack
  /// Leave them applied and carry on, knowingly.
  case ignore
}
