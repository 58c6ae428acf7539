/// Migration tools whose history table `schemaledger import --from TOOL` can read.
public enum ImportedTool: String, CaseIterable, Sendable {
  /// golang-migrate: `schema_migrations (version, dirty)`, one row: the current version.
  case golangMigrate = "golang-migrate"
  /// dbmate: `schema_migrations (version)`, one row per applied version.
  case dbmate
  /// goose: `goose_db_version (id, version_id, is_applied, tstamp)`.
  case goose
  /// sqlx: `_sqlx_migrations (version, description, installed_on, success, ...)`.
  case sqlx
  /// diesel: `__diesel_schema_migrations (version, run_on)`.
  case diesel
  /// Flyway: `flyway_schema_history (installed_rank, version, ..., installed_on, success)`.
  case flyway
  /// GRDB's `DatabaseMigrator`: `grdb_migrations (identifier)`.
  case grdb
}

/// One applied migration as another tool recorded it.
public struct ImportedEntry: Sendable, Equatable {
  /// The version, for tools that number migrations.
  public var version: MigrationVersion?
  /// The identifier, for tools that name them (GRDB).
  public var identifier: String?
  /// When the tool says it was applied, in the ledger's form, when it recorded that.
  public var appliedAt: String?
  /// The tool counts every earlier version as applied too (golang-migrate's current
  /// version, a Flyway baseline).
  public var includesEarlierVersions = false

  /// An entry.
  public init(version: MigrationVersion?, identifier: String?, appliedAt: String?) {
    self.version = version
    self.identifier = identifier
    self.appliedAt = appliedAt
  }
}
