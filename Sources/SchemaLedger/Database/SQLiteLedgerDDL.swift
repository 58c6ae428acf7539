/// The ledger's DDL in SQLite's dialect, exactly as published in `ledger/schema.sql` (a
/// test keeps the two identical), and the steps that upgrade an older ledger in place.
/// Idempotent: every statement of `sql` is `IF NOT EXISTS` or `OR IGNORE`.
enum SQLiteLedgerDDL {
  /// What `SQLiteConnection.ledgerDDL` gives the ledger store.
  static let ddl = LedgerDDL(
    create: sql,
    upgrades: [2: upgradeFromFormat1, 3: upgradeFromFormat2],
    eventsNoUpdateTrigger: eventsNoUpdateTrigger,
    dropEventsNoUpdateTrigger: "DROP TRIGGER IF EXISTS schemaledger_events_no_update",
    guardTriggers: LedgerStore.triggerNames(format: LedgerSchema.formatVersion))

  /// The text of `ledger/schema.sql`.
  static let sql = #"""
    -- SchemaLedger ledger, format version 3.
    -- This is the exact DDL SchemaLedger runs (a test keeps it identical to the code).
    -- Every statement is idempotent; SchemaLedger runs them all before its first write.
    -- Field meanings and event kinds: ledger/EVENTS.md.

    -- The append-only event log. One row per event, never updated, never deleted.
    -- The SQL texts are in schemaledger_sql, named by sql_hash and down_sql_hash (format 3);
    -- sql and down_sql hold them only in events written before format 3 and not moved.
    CREATE TABLE IF NOT EXISTS schemaledger_events (
      seq           INTEGER PRIMARY KEY CHECK (seq > 0),
      kind          TEXT    NOT NULL,
      migration     TEXT,
      version       INTEGER,
      direction     TEXT    CHECK (direction IN ('up', 'down')),
      checksum      TEXT,
      run_id        TEXT    NOT NULL,
      actor_user    TEXT    NOT NULL,
      actor_host    TEXT    NOT NULL,
      actor_pid     INTEGER NOT NULL,
      recorded_at   TEXT    NOT NULL,
      duration_ms   INTEGER,
      transactional INTEGER CHECK (transactional IN (0, 1)),
      sql           TEXT,
      down_sql      TEXT,
      error         TEXT,
      error_code    INTEGER,
      detail        TEXT,
      depends_on    TEXT,
      schema_fingerprint TEXT,
      prev_hash     TEXT    NOT NULL,
      hash          TEXT    NOT NULL,
      version_text  TEXT,
      sql_hash      TEXT,
      down_sql_hash TEXT
    );

    -- History of one migration stays fast with millions of events.
    CREATE INDEX IF NOT EXISTS schemaledger_events_by_migration
      ON schemaledger_events (migration, seq);

    -- Append-only, enforced by the database itself.
    \#(eventsNoUpdateTrigger)

    CREATE TRIGGER IF NOT EXISTS schemaledger_events_no_delete
    BEFORE DELETE ON schemaledger_events
    BEGIN
      SELECT RAISE(ABORT, 'schemaledger_events is append-only: events cannot be deleted. Record a new event instead (see ledger/EVENTS.md).');
    END;

    \#(sqlTexts)

    -- The ledger's own format version, so later versions of SchemaLedger can upgrade it.
    CREATE TABLE IF NOT EXISTS schemaledger_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;

    INSERT OR IGNORE INTO schemaledger_meta (key, value) VALUES ('format_version', '3');

    \#(historyView)

    \#(stateView)

    \#(eventsWithSQLView)
    """#

  /// The trigger that refuses every `UPDATE` of an event (dropped and recreated by the upgrade to format 3, in its transaction).
  static let eventsNoUpdateTrigger = #"""
    CREATE TRIGGER IF NOT EXISTS schemaledger_events_no_update
    BEFORE UPDATE ON schemaledger_events
    BEGIN
      SELECT RAISE(ABORT, 'schemaledger_events is append-only: events cannot be changed. Record a new event instead (see ledger/EVENTS.md).');
    END;
    """#

  /// The table of SQL texts and its append-only triggers (format 3).
  static let sqlTexts = #"""
    -- The SQL texts of the events (format 3): each distinct text once, named by the
    -- lowercase hex SHA-256 of its UTF-8 bytes. Append-only like the events.
    CREATE TABLE IF NOT EXISTS schemaledger_sql (
      hash TEXT PRIMARY KEY,
      text TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TRIGGER IF NOT EXISTS schemaledger_sql_no_update
    BEFORE UPDATE ON schemaledger_sql
    BEGIN
      SELECT RAISE(ABORT, 'schemaledger_sql is append-only: SQL texts cannot be changed. Record a new event instead (see ledger/EVENTS.md).');
    END;

    CREATE TRIGGER IF NOT EXISTS schemaledger_sql_no_delete
    BEFORE DELETE ON schemaledger_sql
    BEGIN
      SELECT RAISE(ABORT, 'schemaledger_sql is append-only: SQL texts cannot be deleted. Record a new event instead (see ledger/EVENTS.md).');
    END;
    """#

  /// The view `schemaledger_history` (format 2 on).
  static let historyView = #"""
    -- Readable history: one row per event, oldest first.
    CREATE VIEW IF NOT EXISTS schemaledger_history AS
    SELECT
      seq,
      recorded_at,
      kind,
      migration,
      coalesce(version_text, version) AS version,
      direction,
      run_id,
      actor_user || '@' || actor_host || ' (pid ' || actor_pid || ')' AS actor,
      duration_ms,
      CASE transactional WHEN 1 THEN 'in transaction' WHEN 0 THEN 'outside transaction' END
        AS transaction_mode,
      error,
      detail
    FROM schemaledger_events
    ORDER BY seq;
    """#

  /// The view `schemaledger_state` (format 2 on).
  static let stateView = #"""
    -- Current state: one row per migration the ledger knows, as the projection computes it.
    -- status: 'applied' (also baselined, imported, resolved as applied, and a repeatable
    -- migration rolled back to its previous application); 'interrupted'
    -- (planned or started by a run that recorded no
    -- outcome and no failure yet: running now, or its process died); 'failed' (last
    -- attempt failed, not applied); 'rolled_back'; 'pending' (planned by a run that
    -- stopped at an earlier failure). Ordered by version, part by part (the first three
    -- parts of a version such as Flyway's 1.10), repeatable migrations last.
    CREATE VIEW IF NOT EXISTS schemaledger_state AS
    WITH last AS (
      SELECT
        migration,
        max(CASE WHEN kind IN ('applied', 'rolled_back', 'baselined', 'imported', 'resolved')
          THEN seq END) AS effective_seq,
        max(CASE WHEN kind = 'accepted' THEN seq END) AS accepted_seq,
        max(CASE WHEN kind = 'failed' THEN seq END) AS failed_seq,
        max(seq) AS last_seq
      FROM schemaledger_events
      WHERE migration IS NOT NULL
      GROUP BY migration
    )
    SELECT
      last.migration,
      coalesce(latest.version_text, latest.version) AS version,
      CASE
        WHEN effective.kind IN ('applied', 'baselined', 'imported')
          OR (effective.kind = 'resolved' AND effective.direction = 'up')
          OR (effective.kind = 'rolled_back'
            AND effective.detail LIKE 'repeatable: restores the previous application%')
          THEN 'applied'
        WHEN latest.kind IN ('planned', 'started') AND NOT EXISTS (
          SELECT 1 FROM schemaledger_events AS stop
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
    JOIN schemaledger_events AS latest ON latest.seq = last.last_seq
    LEFT JOIN schemaledger_events AS effective ON effective.seq = last.effective_seq
    LEFT JOIN schemaledger_events AS failure ON failure.seq = last.failed_seq
    LEFT JOIN schemaledger_events AS accepted ON accepted.seq = last.accepted_seq
    ORDER BY
      latest.version IS NULL AND latest.version_text IS NULL,
      coalesce(latest.version, CAST(latest.version_text AS INTEGER)),
      CAST(substr(latest.version_text, instr(latest.version_text, '.') + 1) AS INTEGER),
      CASE WHEN instr(substr(latest.version_text, instr(latest.version_text, '.') + 1), '.') > 0
        THEN CAST(substr(substr(latest.version_text, instr(latest.version_text, '.') + 1),
          instr(substr(latest.version_text, instr(latest.version_text, '.') + 1), '.') + 1)
          AS INTEGER)
        ELSE 0 END,
      latest.version_text,
      last.migration;
    """#

  /// The view `schemaledger_events_with_sql` (format 3).
  static let eventsWithSQLView = #"""
    -- Every event with its SQL: every column of schemaledger_events, with sql and down_sql
    -- read from schemaledger_sql when the event names them by hash. For auditors.
    CREATE VIEW IF NOT EXISTS schemaledger_events_with_sql AS
    SELECT
      e.seq, e.kind, e.migration, e.version, e.direction, e.checksum, e.run_id, e.actor_user,
      e.actor_host, e.actor_pid, e.recorded_at, e.duration_ms, e.transactional,
      coalesce(e.sql, s.text) AS sql,
      coalesce(e.down_sql, d.text) AS down_sql,
      e.error, e.error_code, e.detail, e.depends_on, e.schema_fingerprint, e.prev_hash, e.hash,
      e.version_text, e.sql_hash, e.down_sql_hash
    FROM schemaledger_events AS e
    LEFT JOIN schemaledger_sql AS s ON s.hash = e.sql_hash
    LEFT JOIN schemaledger_sql AS d ON d.hash = e.down_sql_hash;
    """#

  /// Brings a format-1 ledger to format 2 (the first step of an upgrade, run in its
  /// transaction): the `version_text` column, the views that read it, the format version.
  /// Also published in `ledger/EVENTS.md` (Format version).
  static let upgradeFromFormat1 = #"""
    ALTER TABLE schemaledger_events ADD COLUMN version_text TEXT;
    DROP VIEW IF EXISTS schemaledger_history;
    DROP VIEW IF EXISTS schemaledger_state;
    \#(historyView)

    \#(stateView)

    UPDATE schemaledger_meta SET value = '2' WHERE key = 'format_version';
    """#

  /// The DDL of the upgrade from format 2 to format 3, run before the texts are moved
  /// (`LedgerStore.moveSQLTexts`): the columns `sql_hash` and `down_sql_hash` (appended at
  /// the end, so an upgraded table has the layout of a new one), the table of texts with
  /// its triggers, and the view that resolves them. Also published in `ledger/EVENTS.md`.
  static let upgradeFromFormat2 = #"""
    ALTER TABLE schemaledger_events ADD COLUMN sql_hash TEXT;
    ALTER TABLE schemaledger_events ADD COLUMN down_sql_hash TEXT;
    \#(sqlTexts)

    \#(eventsWithSQLView)
    """#
}

extension SQLiteConnection {
  /// The ledger's DDL in SQLite's dialect.
  public var ledgerDDL: LedgerDDL { SQLiteLedgerDDL.ddl }

  public var engine: DatabaseEngine { .sqlite }
}
