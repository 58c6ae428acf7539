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

    \(views(s))

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

  /// The auditors' views, as on SQLite (`ledger/schema.sql`): `schemaledger_history`
  /// (every event, readable), `schemaledger_state` (one row per migration, as the
  /// projection computes it) and `schemaledger_events_with_sql` (every event with its
  /// SQL texts resolved). The same columns and rows; versions are text (`version_text`,
  /// else `version`) since PostgreSQL's `coalesce` keeps one type.
  private static func views(_ s: String) -> String {
    """
    CREATE OR REPLACE VIEW \(s).schemaledger_history AS
    SELECT
      seq,
      recorded_at,
      kind,
      migration,
      coalesce(version_text, version::text) AS version,
      direction,
      run_id,
      actor_user || '@' || actor_host || ' (pid ' || actor_pid || ')' AS actor,
      duration_ms,
      CASE transactional WHEN 1 THEN 'in transaction' WHEN 0 THEN 'outside transaction' END
        AS transaction_mode,
      error,
      detail
    FROM \(s).schemaledger_events
    ORDER BY seq;

    CREATE OR REPLACE VIEW \(s).schemaledger_state AS
    WITH last AS (
      SELECT
        migration,
        max(CASE WHEN kind IN ('applied', 'rolled_back', 'baselined', 'imported', 'resolved')
          THEN seq END) AS effective_seq,
        max(CASE WHEN kind = 'accepted' THEN seq END) AS accepted_seq,
        max(CASE WHEN kind = 'failed' THEN seq END) AS failed_seq,
        max(seq) AS last_seq
      FROM \(s).schemaledger_events
      WHERE migration IS NOT NULL
      GROUP BY migration
    )
    SELECT
      last.migration,
      coalesce(latest.version_text, latest.version::text) AS version,
      CASE
        WHEN effective.kind IN ('applied', 'baselined', 'imported')
          OR (effective.kind = 'resolved' AND effective.direction = 'up')
          OR (effective.kind = 'rolled_back'
            AND effective.detail LIKE 'repeatable: restores the previous application%')
          THEN 'applied'
        WHEN latest.kind IN ('planned', 'started') AND NOT EXISTS (
          SELECT 1 FROM \(s).schemaledger_events AS stop
          WHERE stop.run_id = latest.run_id AND stop.kind = 'failed' AND stop.seq > latest.seq
        ) THEN 'interrupted'
        WHEN last.failed_seq > coalesce(last.effective_seq, 0) THEN 'failed'
        WHEN effective.kind IN ('rolled_back', 'resolved') THEN 'rolled_back'
        ELSE 'pending'
      END AS status,
      CASE WHEN last.accepted_seq > last.effective_seq THEN accepted.checksum
        ELSE effective.checksum END AS applied_checksum,
      effective.recorded_at AS since,
      effective.actor_user || '@' || effective.actor_host AS by_actor,
      effective.run_id,
      CASE WHEN last.failed_seq > coalesce(last.effective_seq, 0) THEN failure.error END
        AS last_error,
      last.last_seq
    FROM last
    JOIN \(s).schemaledger_events AS latest ON latest.seq = last.last_seq
    LEFT JOIN \(s).schemaledger_events AS effective ON effective.seq = last.effective_seq
    LEFT JOIN \(s).schemaledger_events AS failure ON failure.seq = last.failed_seq
    LEFT JOIN \(s).schemaledger_events AS accepted ON accepted.seq = last.accepted_seq
    ORDER BY
      latest.version IS NULL AND latest.version_text IS NULL,
      coalesce(latest.version, nullif(split_part(latest.version_text, '.', 1), '')::bigint),
      coalesce(nullif(split_part(latest.version_text, '.', 2), '')::bigint, 0),
      coalesce(nullif(split_part(latest.version_text, '.', 3), '')::bigint, 0),
      latest.version_text,
      last.migration;

    CREATE OR REPLACE VIEW \(s).schemaledger_events_with_sql AS
    SELECT
      e.seq, e.kind, e.migration, e.version, e.direction, e.checksum, e.run_id, e.actor_user,
      e.actor_host, e.actor_pid, e.recorded_at, e.duration_ms, e.transactional,
      coalesce(e.sql, t.text) AS sql,
      coalesce(e.down_sql, d.text) AS down_sql,
      e.error, e.error_code, e.detail, e.depends_on, e.schema_fingerprint, e.prev_hash, e.hash,
      e.version_text, e.sql_hash, e.down_sql_hash
    FROM \(s).schemaledger_events AS e
    LEFT JOIN \(s).schemaledger_sql AS t ON t.hash = e.sql_hash
    LEFT JOIN \(s).schemaledger_sql AS d ON d.hash = e.down_sql_hash;
    """
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
