/// The ledger's names and format, the same on every engine: its tables, the columns every
/// format has, the prefix of its objects. The DDL that creates them is the engine's
/// (`LedgerDDL`; SQLite's is `SQLiteLedgerDDL`, published as `ledger/schema.sql`).
enum LedgerSchema {
  /// The format version this build writes and reads (`schemaledger_meta.format_version`).
  static let formatVersion = 3

  /// Name of the events table.
  static let eventsTable = "schemaledger_events"

  /// Name of the table of the ledger's own settings (format version, head anchor).
  static let metaTable = "schemaledger_meta"

  /// The events table's columns in every format (format 2 adds `version_text`).
  static let format1Columns = [
    "seq", "kind", "migration", "version", "direction", "checksum", "run_id", "actor_user",
    "actor_host", "actor_pid", "recorded_at", "duration_ms", "transactional", "sql",
    "down_sql", "error", "error_code", "detail", "depends_on", "schema_fingerprint",
    "prev_hash", "hash",
  ]
  /// The prefix of every object the ledger consists of (tables, index, triggers, views).
  /// Migrations may read these objects but not change them (`MigrationRunner.runScript`).
  static let objectPrefix = "schemaledger_"

  /// Name of the table of SQL texts (format 3).
  static let sqlTable = "schemaledger_sql"

  /// What the upgrade to format 2 changed, for the `upgraded` event's `detail`.
  static let upgradeSummary =
    "added the column version_text (versions of several parts, such as Flyway's 1.10) "
    + "and recreated the views schemaledger_history and schemaledger_state"
}
