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
  /// Prisma Migrate: `_prisma_migrations (id, checksum, finished_at, migration_name,
  /// rolled_back_at, started_at, ...)`, rows by migration folder name; the latest row of a
  /// name decides.
  case prisma
  /// Drizzle: `__drizzle_migrations (id, hash, created_at)` (on PostgreSQL in the schema
  /// `drizzle`), rows by the SHA-256 of the migration file's text.
  case drizzle
  /// Liquibase: `databasechangelog (id, author, filename, dateexecuted, orderexecuted,
  /// exectype, ...)`, one row per changeset; a changelog file is matched to the migration
  /// named like it.
  case liquibase
  /// Alembic: `alembic_version (version_num)`, the current revision (one row per head);
  /// matched to the migration whose name holds that revision id, and every migration up
  /// to it counts as applied.
  case alembic
  /// Sqitch: `sqitch.changes (change_id, change, project, committed_at, ...)`, one row per
  /// deployed change, matched to the migration named like the change.
  case sqitch
}

/// One applied migration as another tool recorded it.
public struct ImportedEntry: Sendable, Equatable {
  /// The version, for tools that number migrations.
  public var version: MigrationVersion?
  /// The identifier, for tools that name them (GRDB, Prisma).
  public var identifier: String?
  /// Lowercase hex SHA-256 of the migration's text, for tools that know a migration only
  /// by its content (Drizzle): matched to the file whose `Migration.checksum` it is.
  public var checksum: String?
  /// When the tool says it was applied, in the ledger's form, when it recorded that.
  public var appliedAt: String?
  /// The tool counts every earlier version as applied too (golang-migrate's current
  /// version, a Flyway baseline).
  public var includesEarlierVersions = false

  /// An entry.
  public init(
    version: MigrationVersion?, identifier: String?, appliedAt: String?,
    checksum: String? = nil
  ) {
    self.version = version
    self.identifier = identifier
    self.checksum = checksum
    self.appliedAt = appliedAt
  }
}
