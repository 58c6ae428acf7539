import Foundation
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// Adopting a PostgreSQL database another tool migrated: each tool's history table is
/// created and filled here exactly as that tool does on PostgreSQL (its DDL, its types,
/// its rows), then `import --from TOOL` records what it says ran, and `apply` runs only
/// the rest. The other tool's table is left as it was.
@Suite(
  "Importing other tools' history on PostgreSQL",
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"))
struct PostgresImportTests {
  /// One tool: the files of its folder (the first two applied by the tool, the third
  /// not), and what the tool wrote after applying the first two.
  struct Case: Sendable, CustomTestStringConvertible {
    var tool: ImportedTool
    var files: [String: String]
    /// The tool's history table as it creates it, with its rows.
    var history: String
    /// The migrations the import records, and the one `apply` runs after it.
    var imported: [String]
    var next: String
    /// Part of the `imported` event's detail (the tool's time, when it keeps one).
    var appliedAt: String?

    var testDescription: String { tool.rawValue }
  }

  static let users = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);"
  static let orders = "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);"
  static let later = "CREATE TABLE later (id bigint PRIMARY KEY);"

  /// Drizzle's files, as drizzle-kit writes them for PostgreSQL, and their SHA-256.
  static let drizzleUsers = "CREATE TABLE \"users\" (\n\t\"id\" bigint PRIMARY KEY NOT NULL\n);\n"
  static let drizzleOrders = "CREATE TABLE \"orders\" (\n\t\"id\" bigint PRIMARY KEY NOT NULL\n);\n"

  static let cases: [Case] = [
    Case(
      tool: .flyway,
      files: [
        "V1__users.sql": users, "V2__orders.sql": orders, "V3__later.sql": later,
      ],
      // Flyway's PostgreSQL DDL (flyway-database-postgresql createMetaDataTable.sql).
      history: """
        CREATE TABLE "public"."flyway_schema_history" (
            "installed_rank" INT NOT NULL,
            "version" VARCHAR(50),
            "description" VARCHAR(200) NOT NULL,
            "type" VARCHAR(20) NOT NULL,
            "script" VARCHAR(1000) NOT NULL,
            "checksum" INTEGER,
            "installed_by" VARCHAR(100) NOT NULL,
            "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
            "execution_time" INTEGER NOT NULL,
            "success" BOOLEAN NOT NULL
        );
        ALTER TABLE "public"."flyway_schema_history"
          ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
        CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
        INSERT INTO "public"."flyway_schema_history" VALUES
          (1, '1', 'users', 'SQL', 'V1__users.sql', -1528218290, 'app', '2026-01-05 10:00:00.123', 12, true),
          (2, '2', 'orders', 'SQL', 'V2__orders.sql', 1830218290, 'app', '2026-01-06 11:30:00', 9, true);
        """,
      imported: ["V1__users", "V2__orders"], next: "V3__later",
      appliedAt: "applied by flyway at 2026-01-06T11:30:00.000Z"),
    Case(
      tool: .golangMigrate,
      files: [
        "000001_users.up.sql": users, "000001_users.down.sql": "DROP TABLE users;",
        "000002_orders.up.sql": orders, "000002_orders.down.sql": "DROP TABLE orders;",
        "000003_later.up.sql": later, "000003_later.down.sql": "DROP TABLE later;",
      ],
      // golang-migrate's database/postgres driver.
      history: """
        CREATE TABLE IF NOT EXISTS "public"."schema_migrations"
          (version bigint not null primary key, dirty boolean not null);
        INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (2, false);
        """,
      imported: ["000001_users", "000002_orders"], next: "000003_later"),
    Case(
      tool: .dbmate,
      files: [
        "20260101000000_users.sql": "-- migrate:up\n\(users)\n-- migrate:down\nDROP TABLE users;\n",
        "20260102000000_orders.sql":
          "-- migrate:up\n\(orders)\n-- migrate:down\nDROP TABLE orders;\n",
        "20260103000000_later.sql": "-- migrate:up\n\(later)\n-- migrate:down\nDROP TABLE later;\n",
      ],
      // dbmate's PostgreSQL driver.
      history: """
        create table if not exists public.schema_migrations (version varchar(128) primary key);
        insert into public.schema_migrations (version) values ('20260101000000'), ('20260102000000');
        """,
      imported: ["20260101000000_users", "20260102000000_orders"], next: "20260103000000_later"),
    Case(
      tool: .goose,
      files: [
        "00001_users.sql": "-- +goose Up\n\(users)\n-- +goose Down\nDROP TABLE users;\n",
        "00002_orders.sql": "-- +goose Up\n\(orders)\n-- +goose Down\nDROP TABLE orders;\n",
        "00003_later.sql": "-- +goose Up\n\(later)\n-- +goose Down\nDROP TABLE later;\n",
      ],
      // goose's Postgres dialect: its table, its initial version 0, then one row per apply.
      history: """
        CREATE TABLE goose_db_version (
          id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY,
          version_id bigint NOT NULL,
          is_applied boolean NOT NULL,
          tstamp timestamp NOT NULL DEFAULT now()
        );
        INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES
          (0, true, '2026-01-01 09:00:00'), (1, true, '2026-01-05 10:00:00'),
          (2, true, '2026-01-06 11:30:00');
        """,
      imported: ["00001_users", "00002_orders"], next: "00003_later",
      appliedAt: "applied by goose at 2026-01-06T11:30:00.000Z"),
    Case(
      tool: .drizzle,
      files: [
        "0000_users.sql": drizzleUsers, "0001_orders.sql": drizzleOrders,
        "0002_later.sql": later,
        "meta/_journal.json": """
        {"version":"7","dialect":"postgresql","entries":[\
        {"idx":0,"version":"7","when":1767607200000,"tag":"0000_users","breakpoints":true},\
        {"idx":1,"version":"7","when":1767699000000,"tag":"0001_orders","breakpoints":true},\
        {"idx":2,"version":"7","when":1767785400000,"tag":"0002_later","breakpoints":true}]}
        """,
      ],
      // drizzle-orm's PostgreSQL migrator: a schema of its own, a serial id, the file's
      // SHA-256 and the journal's `when` in milliseconds.
      history: """
        CREATE SCHEMA IF NOT EXISTS "drizzle";
        CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (
          id SERIAL PRIMARY KEY,
          hash text NOT NULL,
          created_at bigint
        );
        INSERT INTO "drizzle"."__drizzle_migrations" ("hash", "created_at") VALUES
          ('\(SHA256.hexDigest(drizzleUsers))', 1767607200000),
          ('\(SHA256.hexDigest(drizzleOrders))', 1767699000000);
        """,
      imported: ["0000_users", "0001_orders"], next: "0002_later",
      appliedAt: "applied by drizzle at 2026-01-06T11:30:00.000Z"),
    Case(
      tool: .prisma,
      files: [
        "migration_lock.toml":
          "# Please do not edit this file manually\n"
          + "# It should be added in your version-control system (e.g., Git)\n"
          + "provider = \"postgresql\"\n",
        "20260105100000_users/migration.sql": users,
        "20260106113000_orders/migration.sql": orders,
        "20260107100000_later/migration.sql": later,
      ],
      // Prisma's migration table on PostgreSQL (schema-engine's postgres flavour).
      history: """
        CREATE TABLE "_prisma_migrations" (
            "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
            "checksum"              VARCHAR(64) NOT NULL,
            "finished_at"           TIMESTAMPTZ,
            "migration_name"        VARCHAR(255) NOT NULL,
            "logs"                  TEXT,
            "rolled_back_at"        TIMESTAMPTZ,
            "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
            "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name",
          "started_at", "applied_steps_count") VALUES
          ('6f1c0d6e-5b7a-4f3e-9a7e-2f4f1a9b8c01', '\(SHA256.hexDigest(users))',
           '2026-01-05 10:00:00.250+00', '20260105100000_users', '2026-01-05 10:00:00+00', 1),
          ('6f1c0d6e-5b7a-4f3e-9a7e-2f4f1a9b8c02', '\(SHA256.hexDigest(orders))',
           '2026-01-06 11:30:00+00', '20260106113000_orders', '2026-01-06 11:29:59+00', 1);
        """,
      imported: ["20260105100000_users", "20260106113000_orders"],
      next: "20260107100000_later",
      appliedAt: "applied by prisma at 2026-01-06T11:30:00.000Z"),
    Case(
      tool: .liquibase,
      files: ["001_users.sql": users, "002_orders.sql": orders, "003_later.sql": later],
      // Liquibase's changelog table on PostgreSQL (lower-case names), two changesets of
      // the first file, one of the second.
      history: """
        CREATE TABLE public.databasechangelog (
          id VARCHAR(255) NOT NULL, author VARCHAR(255) NOT NULL,
          filename VARCHAR(255) NOT NULL, dateexecuted TIMESTAMP WITHOUT TIME ZONE NOT NULL,
          orderexecuted INTEGER NOT NULL, exectype VARCHAR(10) NOT NULL, md5sum VARCHAR(35),
          description VARCHAR(255), comments VARCHAR(255), tag VARCHAR(255),
          liquibase VARCHAR(20), contexts VARCHAR(255), labels VARCHAR(255),
          deployment_id VARCHAR(10));
        INSERT INTO public.databasechangelog
          (id, author, filename, dateexecuted, orderexecuted, exectype, md5sum, description,
           liquibase, deployment_id) VALUES
          ('1', 'alice', 'db/changelog/001_users.sql', '2026-01-05 10:00:00', 1, 'EXECUTED',
           '9:0a1b', 'sql', '4.29.2', '7600000001'),
          ('2', 'alice', 'db/changelog/001_users.sql', '2026-01-05 10:00:01', 2, 'MARK_RAN',
           '9:0a1c', 'sql', '4.29.2', '7600000001'),
          ('1', 'bob', 'db/changelog/002_orders.sql', '2026-01-06 11:30:00', 3, 'EXECUTED',
           '9:0a1d', 'sql', '4.29.2', '7600000002');
        """,
      imported: ["001_users", "002_orders"], next: "003_later",
      appliedAt: "applied by liquibase at 2026-01-06T11:30:00.000Z"),
    Case(
      tool: .alembic,
      files: [
        "001_1975ea83b712_users.sql": users, "002_ae1027a6acf_orders.sql": orders,
        "003_27c6a30d7c24_later.sql": later,
      ],
      // Alembic's version table: the current revision only.
      history: """
        CREATE TABLE alembic_version (
          version_num VARCHAR(32) NOT NULL,
          CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
        INSERT INTO alembic_version (version_num) VALUES ('ae1027a6acf');
        """,
      imported: ["001_1975ea83b712_users", "002_ae1027a6acf_orders"],
      next: "003_27c6a30d7c24_later"),
    Case(
      tool: .sqitch,
      files: ["001_users.sql": users, "002_orders.sql": orders, "003_later.sql": later],
      // Sqitch's registry on PostgreSQL (sqitch/Engine/pg.sql), its projects and changes.
      history: """
        CREATE SCHEMA sqitch;
        CREATE TABLE sqitch.projects (
          project TEXT PRIMARY KEY, uri TEXT NULL UNIQUE,
          created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
          creator_name TEXT NOT NULL, creator_email TEXT NOT NULL);
        CREATE TABLE sqitch.changes (
          change_id TEXT PRIMARY KEY, script_hash TEXT NULL, change TEXT NOT NULL,
          project TEXT NOT NULL REFERENCES sqitch.projects(project) ON UPDATE CASCADE,
          note TEXT NOT NULL DEFAULT '',
          committed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
          committer_name TEXT NOT NULL, committer_email TEXT NOT NULL,
          planned_at TIMESTAMPTZ NOT NULL, planner_name TEXT NOT NULL,
          planner_email TEXT NOT NULL, UNIQUE(project, script_hash));
        INSERT INTO sqitch.projects (project, creator_name, creator_email)
          VALUES ('app', 'Alice', 'alice@example.com');
        INSERT INTO sqitch.changes (change_id, script_hash, change, project, committed_at,
          committer_name, committer_email, planned_at, planner_name, planner_email) VALUES
          ('c1', 'h1', 'users', 'app', '2026-01-05 10:00:00+00', 'Alice', 'alice@example.com',
           '2026-01-04 10:00:00+00', 'Alice', 'alice@example.com'),
          ('c2', 'h2', 'orders', 'app', '2026-01-06 12:30:00+01', 'Alice', 'alice@example.com',
           '2026-01-04 11:00:00+00', 'Alice', 'alice@example.com');
        """,
      imported: ["001_users", "002_orders"], next: "003_later",
      appliedAt: "applied by sqitch at 2026-01-06T11:30:00.000Z"),
  ]

  @Test("import --from TOOL adopts its table; apply runs only the rest", arguments: cases)
  func adopts(_ example: Case) throws {
    try withFixture(on: .postgres) { fixture in
      for (name, text) in example.files { try fixture.migration(name, text) }
      // What the tool did: its first two migrations' SQL, then its history.
      let admin = try fixture.postgresConnection()
      try admin.executeScript(Self.users + "\n" + Self.orders)
      try admin.executeScript(example.history)
      let before = try historyRows(admin, example.tool)

      let imported = try fixture.cli(
        ["import", "--from", example.tool.rawValue, "--reason", "off \(example.tool.rawValue)"])
      #expect(imported.status == 0, "\(imported.stderr)")
      let events = try fixture.events().filter { $0.kind == .imported }
      #expect(events.map { $0.migration ?? "" } == example.imported)
      if let appliedAt = example.appliedAt {
        #expect(events.last?.detail?.contains(appliedAt) == true, "\(events.last?.detail ?? "")")
      }
      let applied = try fixture.cli(["apply"])
      #expect(applied.status == 0, "\(applied.stderr)")
      #expect(
        try fixture.events().filter { $0.kind == .applied }.map { $0.migration ?? "" }
          == [example.next])
      #expect(try fixture.schemaObjects().contains("table later"))
      #expect(try historyRows(admin, example.tool) == before)
    }
  }

  @Test("a Prisma folder made for SQLite is refused on PostgreSQL, naming the provider")
  func prismaProvider() throws {
    try withFixture(on: .postgres) { fixture in
      try fixture.migration("migration_lock.toml", "provider = \"sqlite\"\n")
      try fixture.migration("20260105100000_users/migration.sql", Self.users)
      let result = try fixture.cli(["apply"])
      #expect(result.status != 0)
      #expect(
        result.stderr.contains("generated for provider \"sqlite\", not \"postgresql\""),
        "\(result.stderr)")
      #expect(try fixture.schemaObjects().isEmpty)
    }
  }

  /// The tool's table as text, to show that the import left it as it was.
  private func historyRows(_ connection: PostgresConnection, _ tool: ImportedTool) throws
    -> [String]
  {
    var rows: [String] = []
    try connection.query(
      "SELECT t::text FROM \(HistoryImporter.table(of: tool, on: .postgres)) AS t", []
    ) { rows.append($0.text(0) ?? "") }
    return rows.sorted()
  }
}
