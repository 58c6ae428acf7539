import Testing

@testable import SchemaLedgerPostgres

/// Which migration statements would change the ledger on PostgreSQL (no server needed):
/// reading it is allowed, writing it or changing its objects is not.
@Suite("PostgreSQL: statements that would change the ledger")
struct LedgerWriteCheckTests {
  private func written(_ statement: String) -> String? {
    PostgresStatement.protectedName(
      in: statement, schema: "schemaledger", prefix: "schemaledger_")
  }

  @Test(
    "writes, DDL and bodies naming the ledger are refused",
    arguments: [
      "DROP SCHEMA schemaledger CASCADE",
      "DELETE FROM schemaledger.schemaledger_events",
      "delete from only \"schemaledger\".schemaledger_events where seq > 3",
      "UPDATE schemaledger.schemaledger_meta SET value = 'x'",
      "INSERT INTO schemaledger.schemaledger_events SELECT * FROM old_events",
      "WITH gone AS (DELETE FROM schemaledger.schemaledger_sql RETURNING hash) SELECT 1",
      "MERGE INTO schemaledger.schemaledger_meta m USING src s ON m.key = s.key "
        + "WHEN MATCHED THEN DELETE",
      "SELECT * INTO schemaledger.copy FROM users",
      "EXPLAIN ANALYZE INSERT INTO schemaledger.schemaledger_meta VALUES ('k', 'v')",
      "TRUNCATE schemaledger.schemaledger_events",
      "ALTER TABLE schemaledger.schemaledger_events DISABLE TRIGGER ALL",
      "CREATE TABLE schemaledger.extra AS SELECT 1",
      "CREATE VIEW schemaledger_history AS SELECT 1",
      "COPY schemaledger.schemaledger_events FROM '/tmp/forged.csv'",
      "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM "
        + "schemaledger.schemaledger_events $$",
      "DO $$ BEGIN DELETE FROM schemaledger.schemaledger_events; END $$",
      // A foreign key adds the server's own triggers to the ledger's table.
      "CREATE TABLE app (y int GENERATED ALWAYS AS (1) STORED, "
        + "x bigint REFERENCES schemaledger.schemaledger_events (seq))",
    ])
  func refused(statement: String) {
    #expect(written(statement) != nil)
  }

  @Test(
    "reading the ledger is allowed, also into the application's tables",
    arguments: [
      "SELECT count(*) FROM schemaledger.schemaledger_events",
      "EXPLAIN SELECT * FROM schemaledger.schemaledger_events",
      "EXPLAIN ANALYZE SELECT * FROM schemaledger.schemaledger_state",
      "CREATE TABLE deploys AS SELECT run_id, min(recorded_at) AS at "
        + "FROM schemaledger.schemaledger_events GROUP BY run_id",
      "CREATE MATERIALIZED VIEW app_versions AS SELECT * FROM schemaledger.schemaledger_state",
      "INSERT INTO audit_copy SELECT seq, kind FROM schemaledger.schemaledger_events",
      "UPDATE app SET version = s.version FROM schemaledger.schemaledger_state s "
        + "WHERE s.migration = app.name",
      "DELETE FROM app USING schemaledger.schemaledger_events e WHERE e.run_id = app.run",
      "WITH h AS (SELECT * FROM schemaledger.schemaledger_history) INSERT INTO copy SELECT * FROM h",
      "CREATE TABLE users (id bigint PRIMARY KEY, note text DEFAULT 'schemaledger_events')",
    ])
  func allowed(statement: String) {
    #expect(written(statement) == nil)
  }
}
