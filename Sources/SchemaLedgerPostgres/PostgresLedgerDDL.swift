import SchemaLedger

/// The ledger's DDL on PostgreSQL: the same tables, columns and format as on SQLite
/// (`ledger/schema.sql`), in a schema of their own, with append-only guards the server
/// enforces (triggers refusing `UPDATE`, `DELETE` and `TRUNCATE` of events and texts).
/// Idempotent, like SQLite's. Needs PostgreSQL 14 or later (`CREATE OR REPLACE TRIGGER`).
enum PostgresLedgerDDL {
  /// The guards' names: SQLite's four, and the two that refuse `TRUNCATE`.
  static let guardTriggers: Set<String> = [
    "schemaledger_events_no_update", "schemaledger_events_no_delete",
    "schemaledger_events_no_truncate", "schemaledger_sql_no_update",
    "schemaledger_sql_no_delete", "schemaledger_sql_no_truncate",
  ]

  /// The DDL for a ledger in `schema`.
  static func ddl(schema: String) -> LedgerDDL {
    let s = PostgresStatement.quoted(schema)
    return LedgerDDL(
      create: create(s), upgrades: [:],
      eventsNoUpdateTrigger: guardTrigger("schemaledger_events", "update", s),
      dropEventsNoUpdateTrigger:
        "DROP TRIGGER IF EXISTS schemaledger_events_no_update ON \(s).schemaledger_events",
      guardTriggers: guardTriggers)
  }

  /// The statements that create the ledger in schema `s` (quoted), separated by blank
  /// lines.
  private static func create(_ s: String) -> String {
    """
    CREATE SCHEMA IF NOT EXISTS \(s);

    CREATE TABLE IF NOT EXISTS \(s).schemaledger_events (
      seq           BIGINT  PRIMARY KEY CHECK (seq > 0),
      kind          TEXT    NOT NULL,
      migration     TEXT,
      version       BIGINT,
      direction     TEXT    CHECK (direction IN ('up', 'down')),
      checksum      TEXT,
      run_id        TEXT    NOT NULL,
      actor_user    TEXT    NOT NULL,
      actor_host    TEXT    NOT NULL,
      actor_pid     BIGINT  NOT NULL,
      recorded_at   TEXT    NOT NULL,
      duration_ms   BIGINT,
      transactional INTEGER CHECK (transactional IN (0, 1)),
      sql           TEXT,
      down_sql      TEXT,
      error         TEXT,
      error_code    BIGINT,
      detail        TEXT,
      depends_on    TEXT,
      schema_fingerprint TEXT,
      prev_hash     TEXT    NOT NULL,
      hash          TEXT    NOT NULL,
      version_text  TEXT,
      sql_hash      TEXT,
      down_sql_hash TEXT
    );

    CREATE INDEX IF NOT EXISTS schemaledger_events_by_migration
      ON \(s).schemaledger_events (migration, seq);

    CREATE TABLE IF NOT EXISTS \(s).schemaledger_sql (
      hash TEXT PRIMARY KEY,
      text TEXT NOT NULL
    );

    CREATE TABLE IF NOT EXISTS \(s).schemaledger_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    INSERT INTO \(s).schemaledger_meta (key, value) VALUES ('format_version', '3')
      ON CONFLICT (key) DO NOTHING;

    CREATE OR REPLACE FUNCTION \(s).schemaledger_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: its rows cannot be changed, deleted or truncated. Record a new event instead (see ledger/EVENTS.md).', TG_TABLE_NAME;
    END
    $$;


    """
      + ["schemaledger_events", "schemaledger_sql"].flatMap { table in
        ["update", "delete", "truncate"].map { guardTrigger(table, $0, s) }
      }.joined(separator: "\n\n") + "\n"
  }

  /// The trigger `<table>_no_<operation>` on `table` in schema `s`.
  private static func guardTrigger(_ table: String, _ operation: String, _ s: String) -> String {
    """
    CREATE OR REPLACE TRIGGER \(table)_no_\(operation)
    BEFORE \(operation.uppercased()) ON \(s).\(table)
    FOR EACH \(operation == "truncate" ? "STATEMENT" : "ROW")
    EXECUTE FUNCTION \(s).schemaledger_refuse_change();
    """
  }
}
