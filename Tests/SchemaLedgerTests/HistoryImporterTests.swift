import Foundation
import Testing

@testable import SchemaLedger

/// `HistoryImporter` against each tool's history table as the tool itself creates and fills
/// it on SQLite. The DDL below is the tool's own (from its SQLite driver or dialect); the
/// rows are the ones its apply, roll-back and baseline paths write.
@Suite("Reading another tool's history table")
struct HistoryImporterTests {
  // MARK: - Applied migrations, tool by tool

  @Test("golang-migrate: its one row is the current version, without a time")
  func golangMigrate() throws {
    // database/sqlite3/sqlite3.go, ensureVersionTable and SetVersion (DELETE, then INSERT).
    let connection = try database(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);
        CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);
      INSERT INTO schema_migrations (version, dirty) VALUES (20240101120000, 1);
      DELETE FROM schema_migrations;
      INSERT INTO schema_migrations (version, dirty) VALUES (20240101120000, 0);
      DELETE FROM schema_migrations;
      INSERT INTO schema_migrations (version, dirty) VALUES (20240313170000, 0);
      """)
    #expect(
      try HistoryImporter.read(.golangMigrate, from: connection) == [
        ImportedEntry(version: 20_240_313_170_000, identifier: nil, appliedAt: nil)
      ])
  }

  @Test("golang-migrate: an empty table (everything migrated down) is no history")
  func golangMigrateMigratedDown() throws {
    let connection = try database(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);
        CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);
      """)
    #expect(try HistoryImporter.read(.golangMigrate, from: connection) == [])
  }

  @Test("dbmate: one row per applied version, read in version order")
  func dbmate() throws {
    // pkg/driver/sqlite/sqlite.go, CreateMigrationsTable and InsertMigration. The last
    // row is a migration merged late from a branch: dbmate applied it after a newer one.
    let connection = try database(
      """
      create table if not exists "schema_migrations" (version varchar(128) primary key);
      insert into "schema_migrations" (version) values ('20240101120000');
      insert into "schema_migrations" (version) values ('20240301120000');
      insert into "schema_migrations" (version) values ('20240201120000');
      """)
    #expect(
      try HistoryImporter.read(.dbmate, from: connection) == [
        ImportedEntry(version: 20_240_101_120_000, identifier: nil, appliedAt: nil),
        ImportedEntry(version: 20_240_201_120_000, identifier: nil, appliedAt: nil),
        ImportedEntry(version: 20_240_301_120_000, identifier: nil, appliedAt: nil),
      ])
  }

  @Test("goose: the latest row per version decides; its own version 0 row is skipped")
  func goose() throws {
    // database/dialect/sqlite3.go, CreateTable and InsertVersion; goose writes the
    // (0, 1) row when it creates the table. Goose before v3 recorded a roll-back as an
    // is_applied = 0 row (v3 deletes the version's rows instead).
    let connection = try database(
      """
      CREATE TABLE goose_db_version (
      		id INTEGER PRIMARY KEY AUTOINCREMENT,
      		version_id INTEGER NOT NULL,
      		is_applied INTEGER NOT NULL,
      		tstamp TIMESTAMP DEFAULT (datetime('now'))
      	);
      INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES
        (0, 1, '2024-01-01 09:00:00'),
        (20240101120000, 1, '2024-01-01 09:00:01'),
        (20240102120000, 1, '2024-01-02 09:00:00'),
        (20240103120000, 1, '2024-01-03 09:00:00'),
        (20240103120000, 0, '2024-01-04 09:00:00'),
        (20240102120000, 0, '2024-01-05 09:00:00'),
        (20240102120000, 1, '2024-01-06 09:00:00');
      """)
    #expect(
      try HistoryImporter.read(.goose, from: connection) == [
        ImportedEntry(
          version: 20_240_101_120_000, identifier: nil, appliedAt: "2024-01-01T09:00:01.000Z"),
        ImportedEntry(
          version: 20_240_102_120_000, identifier: nil, appliedAt: "2024-01-06T09:00:00.000Z"),
      ])
  }

  @Test("goose: the time its column default writes reads as a ledger time")
  func gooseDefaultTime() throws {
    let connection = try database(
      """
      CREATE TABLE goose_db_version (
      		id INTEGER PRIMARY KEY AUTOINCREMENT,
      		version_id INTEGER NOT NULL,
      		is_applied INTEGER NOT NULL,
      		tstamp TIMESTAMP DEFAULT (datetime('now'))
      	);
      INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1);
      INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, 1);
      """)
    let entry = try #require(try HistoryImporter.read(.goose, from: connection).first)
    let time = try #require(entry.appliedAt)
    #expect(time.count == 24 && time.hasSuffix(".000Z"))
    #expect(Timestamp.parse(time) == time)
  }

  @Test("sqlx: every successful row, by version, with installed_on")
  func sqlx() throws {
    // sqlx-sqlite/src/migrate.rs, ensure_migrations_table and apply (INSERT with
    // execution_time -1, then UPDATE once committed).
    let connection = try database(
      """
      CREATE TABLE IF NOT EXISTS _sqlx_migrations (
          version BIGINT PRIMARY KEY,
          description TEXT NOT NULL,
          installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
          success BOOLEAN NOT NULL,
          checksum BLOB NOT NULL,
          execution_time BIGINT NOT NULL
      );
      INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum,
        execution_time) VALUES
        (20240101120000, 'create users', '2024-02-01 08:00:00', TRUE, randomblob(48), 1843000),
        (20240102120000, 'add email', '2024-02-01 08:00:01', TRUE, randomblob(48), -1);
      UPDATE _sqlx_migrations SET execution_time = 912000 WHERE version = 20240102120000;
      """)
    #expect(
      try HistoryImporter.read(.sqlx, from: connection) == [
        ImportedEntry(
          version: 20_240_101_120_000, identifier: nil, appliedAt: "2024-02-01T08:00:00.000Z"),
        ImportedEntry(
          version: 20_240_102_120_000, identifier: nil, appliedAt: "2024-02-01T08:00:01.000Z"),
      ])
  }

  @Test("diesel: every row, by version, with run_on")
  func diesel() throws {
    // diesel_migrations/src/migration/setup_migration_table.sql. Diesel stores the folder
    // name's prefix without dashes: 2024-03-13-170000_create_users is 20240313170000.
    let connection = try database(
      """
      CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
             version VARCHAR(50) PRIMARY KEY NOT NULL,
             run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
      );
      INSERT INTO __diesel_schema_migrations (version, run_on) VALUES
        ('20240314090000', '2024-03-14 09:30:00'),
        ('20240313170000', '2024-03-13 17:05:00');
      """)
    #expect(
      try HistoryImporter.read(.diesel, from: connection) == [
        ImportedEntry(
          version: 20_240_313_170_000, identifier: nil, appliedAt: "2024-03-13T17:05:00.000Z"),
        ImportedEntry(
          version: 20_240_314_090_000, identifier: nil, appliedAt: "2024-03-14T09:30:00.000Z"),
      ])
  }

  @Test("Flyway: versioned rows and the baseline by rank; repeatable rows skipped")
  func flyway() throws {
    let connection = try database(
      Self.flywayTable
        + """
        INSERT INTO "flyway_schema_history" VALUES
          (1, '1', '<< Flyway Baseline >>', 'BASELINE', '<< Flyway Baseline >>', NULL,
           'ops', '2024-04-01 09:00:00.000', 0, 1),
          (2, '2', 'add users', 'SQL', 'V2__add_users.sql', 1034567812,
           'ops', '2024-04-02 09:00:00.250', 41, 1),
          (3, NULL, 'views', 'SQL', 'R__views.sql', -204881733,
           'ops', '2024-04-02 09:00:01.100', 7, 1),
          (4, '3', 'backfill', 'JDBC', 'db.migration.V3__backfill', NULL,
           'ops', '2024-04-03 10:15:30.999', 1520, 1);
        """)
    var baseline = ImportedEntry(
      version: 1, identifier: nil, appliedAt: "2024-04-01T09:00:00.000Z")
    baseline.includesEarlierVersions = true  // a baseline stands for everything before it
    #expect(
      try HistoryImporter.read(.flyway, from: connection) == [
        baseline,
        ImportedEntry(version: 2, identifier: nil, appliedAt: "2024-04-02T09:00:00.250Z"),
        ImportedEntry(version: 3, identifier: nil, appliedAt: "2024-04-03T10:15:30.999Z"),
      ])
  }

  @Test("Flyway: a version marked deleted by 'flyway repair' is not applied")
  func flywayDeleted() throws {
    let connection = try database(
      Self.flywayTable
        + """
        INSERT INTO "flyway_schema_history" VALUES
          (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 11, 'ops',
           '2024-04-01 09:00:00.000', 5, 1),
          (2, '2', 'add email', 'SQL', 'V2__add_email.sql', 22, 'ops',
           '2024-04-02 09:00:00.000', 5, 1),
          (3, '2', 'add email', 'DELETE', 'V2__add_email.sql', 22, 'ops',
           '2024-04-03 09:00:00.000', 0, 1);
        """)
    #expect(
      try HistoryImporter.read(.flyway, from: connection) == [
        ImportedEntry(version: 1, identifier: nil, appliedAt: "2024-04-01T09:00:00.000Z")
      ])
  }

  @Test("Flyway: a version undone by an undo migration is not applied")
  func flywayUndone() throws {
    let connection = try database(
      Self.flywayTable
        + """
        INSERT INTO "flyway_schema_history" VALUES
          (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 11, 'ops',
           '2024-04-01 09:00:00.000', 5, 1),
          (2, '2', 'add email', 'SQL', 'V2__add_email.sql', 22, 'ops',
           '2024-04-02 09:00:00.000', 5, 1),
          (3, '2', 'add email', 'UNDO_SQL', 'U2__add_email.sql', 33, 'ops',
           '2024-04-03 09:00:00.000', 4, 1);
        """)
    #expect(
      try HistoryImporter.read(.flyway, from: connection) == [
        ImportedEntry(version: 1, identifier: nil, appliedAt: "2024-04-01T09:00:00.000Z")
      ])
  }

  @Test("GRDB: identifiers in the order the migrator inserted them")
  func grdb() throws {
    // GRDB 7 DatabaseMigrator.runMigrations and Migration.updateAppliedIdentifier.
    let connection = try database(
      """
      CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
      INSERT INTO grdb_migrations (identifier) VALUES ('createAuthor');
      INSERT INTO grdb_migrations (identifier) VALUES ('addBookTable');
      INSERT INTO grdb_migrations (identifier) VALUES ('v2');
      """)
    #expect(
      try HistoryImporter.read(.grdb, from: connection) == [
        ImportedEntry(version: nil, identifier: "createAuthor", appliedAt: nil),
        ImportedEntry(version: nil, identifier: "addBookTable", appliedAt: nil),
        ImportedEntry(version: nil, identifier: "v2", appliedAt: nil),
      ])
  }

  @Test("Prisma: the latest row of each name decides; times in milliseconds or text")
  func prisma() throws {
    // schema-engine's SQLite flavour: the table, then per migration an INSERT when it
    // starts (started_at and finished_at in milliseconds, as quaint binds times on
    // SQLite), an UPDATE per step and one when it finishes. add_posts failed once and was
    // settled with `prisma migrate resolve --rolled-back`, then deployed again (an older
    // Prisma wrote that finish time as text). add_tags failed and was rolled back only.
    let connection = try database(
      Self.prismaTable
        + """
        INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name",
          "applied_steps_count") VALUES ('6f1c0d6e-5b7a-4f3e-9a7e-2f4f1a9b8c01',
          'c2a3e2b0d6b5f0f5a9e1f0e3b1d2c4a5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1', 1672531200000,
          '20230101000000_init', 0);
        UPDATE "_prisma_migrations" SET "applied_steps_count" = "applied_steps_count" + 1
          WHERE "id" = '6f1c0d6e-5b7a-4f3e-9a7e-2f4f1a9b8c01';
        UPDATE "_prisma_migrations" SET "finished_at" = 1672531200123
          WHERE "id" = '6f1c0d6e-5b7a-4f3e-9a7e-2f4f1a9b8c01';
        INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name",
          "applied_steps_count") VALUES ('0b9e3f52-1d3c-4c8e-8f6a-6c2d7e9a1b02',
          '1f0e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0', 1672617600000,
          '20230102000000_add_posts', 0);
        UPDATE "_prisma_migrations" SET "logs" = 'Database error: no such table: User'
          WHERE "id" = '0b9e3f52-1d3c-4c8e-8f6a-6c2d7e9a1b02';
        UPDATE "_prisma_migrations" SET "rolled_back_at" = 1672621200000
          WHERE "id" = '0b9e3f52-1d3c-4c8e-8f6a-6c2d7e9a1b02';
        INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name",
          "applied_steps_count") VALUES ('9a7c5e3b-2f1d-4b6a-8c9e-0d1f2a3b4c03',
          '1f0e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
          '2023-01-02 10:00:00', '20230102000000_add_posts', 0);
        UPDATE "_prisma_migrations" SET "finished_at" = '2023-01-02 10:00:01.250',
          "applied_steps_count" = 1 WHERE "id" = '9a7c5e3b-2f1d-4b6a-8c9e-0d1f2a3b4c03';
        INSERT INTO "_prisma_migrations" ("id", "checksum", "started_at", "migration_name",
          "applied_steps_count") VALUES ('3d4e5f60-7182-4a3b-9c4d-5e6f7a8b9c04',
          'aa00bb11cc22dd33ee44ff5566778899aa00bb11cc22dd33ee44ff5566778899', 1672704000000,
          '20230103000000_add_tags', 0);
        UPDATE "_prisma_migrations" SET "rolled_back_at" = 1672707600000
          WHERE "id" = '3d4e5f60-7182-4a3b-9c4d-5e6f7a8b9c04';
        """)
    #expect(
      try HistoryImporter.read(.prisma, from: connection) == [
        ImportedEntry(
          version: nil, identifier: "20230101000000_init",
          appliedAt: "2023-01-01T00:00:00.123Z"),
        ImportedEntry(
          version: nil, identifier: "20230102000000_add_posts",
          appliedAt: "2023-01-02T10:00:01.250Z"),
      ])
  }

  @Test("Prisma: a half-done migration is refused, naming it and 'prisma migrate resolve'")
  func prismaHalfDone() throws {
    // The second migration started, ran its first step and stopped: no finished_at, no
    // rolled_back_at. Prisma itself refuses to deploy past it (P3009).
    let connection = try database(
      Self.prismaTable
        + """
        INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name",
          "started_at", "applied_steps_count") VALUES
          ('a1', 'c2a3e2b0d6b5f0f5a9e1f0e3b1d2c4a5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1',
           1672531200123, '20230101000000_init', 1672531200000, 1),
          ('a2', '1f0e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
           NULL, '20230102000000_add_posts', 1672617600000, 1);
        """)
    let error = try #require(throws: ImportError.self) {
      try HistoryImporter.read(.prisma, from: connection)
    }
    #expect(error == .dirty(tool: "prisma", version: "20230102000000_add_posts"))
    let message = error.description
    #expect(message.contains("prisma records migration 20230102000000_add_posts as failed"))
    #expect(message.contains("Nothing was imported"))
    #expect(message.contains("'prisma migrate resolve --applied 20230102000000_add_posts'"))
    #expect(message.contains("'prisma migrate resolve --rolled-back 20230102000000_add_posts'"))
    #expect(message.contains("import again"))
  }

  @Test("Drizzle: every row, in the order inserted, by hash, with created_at")
  func drizzle() throws {
    // drizzle-orm's SQLite dialect, migrate(): the table, then one INSERT per migration
    // with the file's hash and the journal entry's `when`. `id SERIAL` stays NULL.
    let connection = try database(
      Self.drizzleTable
        + """
        INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES
          ('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 1700000000000);
        INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES
          ('60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752', 1700000100000);
        """)
    #expect(
      try HistoryImporter.read(.drizzle, from: connection) == [
        ImportedEntry(
          version: nil, identifier: nil, appliedAt: "2023-11-14T22:13:20.000Z",
          checksum: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        ImportedEntry(
          version: nil, identifier: nil, appliedAt: "2023-11-14T22:15:00.000Z",
          checksum: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"),
      ])
  }

  // MARK: - Refusals

  @Test(
    "a missing history table names the tool, the table, the database and what to do",
    arguments: ImportedTool.allCases)
  func tableMissing(tool: ImportedTool) throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("app.sqlite").path
      let connection = try SQLiteConnection(path: path)
      try connection.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
      let table = HistoryImporter.table(of: tool)
      let error = try #require(throws: ImportError.self) {
        try HistoryImporter.read(tool, from: connection)
      }
      #expect(error == .tableMissing(tool: tool.rawValue, table: table, database: path))
      let message = error.description
      #expect(message.contains(tool.rawValue) && message.contains(table))
      #expect(message.contains(path))
      #expect(message.contains("--from") && message.contains("schemaledger baseline"))
    }
  }

  /// A history another tool marks as failed, and what its refusal must say.
  struct DirtyHistory: Sendable, CustomStringConvertible {
    var tool: ImportedTool
    var script: String
    var version: String
    var fix: String
    var description: String { "\(tool.rawValue) \(version)" }
  }

  static let dirtyHistories: [DirtyHistory] = [
    DirtyHistory(
      tool: .golangMigrate,
      script: """
        CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);
          CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);
        INSERT INTO schema_migrations (version, dirty) VALUES (20240313170000, 1);
        """,
      version: "20240313170000", fix: "migrate force VERSION"),
    // A first migration that failed on the way down: golang-migrate writes -1, dirty.
    DirtyHistory(
      tool: .golangMigrate,
      script: """
        CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);
          CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);
        INSERT INTO schema_migrations (version, dirty) VALUES (-1, 1);
        """,
      version: "-1", fix: "migrate force VERSION"),
    DirtyHistory(
      tool: .sqlx,
      script: """
        CREATE TABLE IF NOT EXISTS _sqlx_migrations (
            version BIGINT PRIMARY KEY,
            description TEXT NOT NULL,
            installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            success BOOLEAN NOT NULL,
            checksum BLOB NOT NULL,
            execution_time BIGINT NOT NULL
        );
        INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
          VALUES (1, 'create users', TRUE, randomblob(48), 10),
                 (2, 'add email', FALSE, randomblob(48), -1);
        """,
      version: "2", fix: "remove its row from _sqlx_migrations"),
    DirtyHistory(
      tool: .flyway,
      script: flywayTable
        + """
        INSERT INTO "flyway_schema_history" VALUES
          (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 11, 'ops',
           '2024-04-01 09:00:00.000', 5, 1),
          (2, '2', 'add email', 'SQL', 'V2__add_email.sql', 22, 'ops',
           '2024-04-02 09:00:00.000', 5, 0);
        """,
      version: "2", fix: "'flyway repair'"),
    DirtyHistory(
      tool: .prisma,
      script: prismaTable
        + """
        INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at",
          "applied_steps_count") VALUES ('b7', 'c2a3e2b0', '20230101000000_init',
          1672531200000, 0);
        """,
      version: "20230101000000_init",
      fix: "'prisma migrate resolve --rolled-back 20230101000000_init'"),
  ]

  @Test(
    "a failed or half-done migration is refused, naming the tool, version and fix",
    arguments: dirtyHistories)
  func dirty(history: DirtyHistory) throws {
    let connection = try database(history.script)
    let error = try #require(throws: ImportError.self) {
      try HistoryImporter.read(history.tool, from: connection)
    }
    #expect(error == .dirty(tool: history.tool.rawValue, version: history.version))
    let message = error.description
    #expect(message.contains(history.tool.rawValue) && message.contains(history.version))
    #expect(message.contains("Nothing was imported"))
    #expect(message.contains(history.fix) && message.contains("import again"))
  }

  @Test("Flyway versions of several parts are read part by part; an unreadable one is refused")
  func flywayVersionParts() throws {
    let connection = try database(
      Self.flywayTable
        + """
        INSERT INTO "flyway_schema_history" VALUES
          (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 11, 'ops',
           '2024-04-01 09:00:00.000', 5, 1),
          (2, '1.10', 'add email', 'SQL', 'V1_10__add_email.sql', 22, 'ops',
           '2024-04-02 09:00:00.000', 5, 1);
        """)
    let entries = try HistoryImporter.read(.flyway, from: connection)
    #expect(entries.map(\.version) == [MigrationVersion(1), MigrationVersion(parts: [1, 10])])
    try connection.execute(
      """
      INSERT INTO "flyway_schema_history" VALUES
        (3, '2.beta', 'odd', 'SQL', 'V2_beta__odd.sql', 33, 'ops', '2024-04-03 09:00:00.000',
         5, 1)
      """)
    let error = try #require(throws: ImportError.self) {
      try HistoryImporter.read(.flyway, from: connection)
    }
    #expect(error == .unreadableVersion(tool: "flyway", value: "2.beta"))
    let message = error.description
    #expect(message.contains("flyway") && message.contains("'2.beta'"))
    #expect(message.contains("Rename"))
    #expect(message.contains("schemaledger baseline"))
  }

  @Test("golang-migrate's table read as dbmate's is refused, naming the right --from")
  func golangMigrateTableAsDbmate() throws {
    let connection = try database(
      """
      CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);
        CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);
      INSERT INTO schema_migrations (version, dirty) VALUES (3, 0);
      """)
    let error = try #require(throws: ImportError.self) {
      try HistoryImporter.read(.dbmate, from: connection)
    }
    #expect(
      error
        == .unexpectedColumns(
          tool: "dbmate", table: "schema_migrations", database: ":memory:",
          columns: ["dirty", "version"]))
    #expect(error.description.contains("Nothing was imported"))
    #expect(error.description.contains("'schemaledger import --from golang-migrate'"))
  }

  @Test("dbmate's table read as golang-migrate's is refused, naming the right --from")
  func dbmateTableAsGolangMigrate() throws {
    let connection = try database(
      """
      create table if not exists "schema_migrations" (version varchar(128) primary key);
      insert into "schema_migrations" (version) values ('20240101120000');
      """)
    let error = try #require(throws: ImportError.self) {
      try HistoryImporter.read(.golangMigrate, from: connection)
    }
    #expect(
      error
        == .unexpectedColumns(
          tool: "golang-migrate", table: "schema_migrations", database: ":memory:",
          columns: ["version"]))
    #expect(error.description.contains("'schemaledger import --from dbmate'"))
  }

  // MARK: - Helpers

  /// Flyway's own SQLite DDL (flyway-core, database/sqlite/createMetaDataTable.sql); on
  /// SQLite its schema is `main`.
  static let flywayTable = """
    CREATE TABLE "main"."flyway_schema_history" (
        "installed_rank" INT NOT NULL PRIMARY KEY,
        "version" VARCHAR(50),
        "description" VARCHAR(200) NOT NULL,
        "type" VARCHAR(20) NOT NULL,
        "script" VARCHAR(1000) NOT NULL,
        "checksum" INT,
        "installed_by" VARCHAR(100) NOT NULL,
        "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
        "execution_time" INT NOT NULL,
        "success" BOOLEAN NOT NULL
    );
    CREATE INDEX "main"."flyway_schema_history_s_idx" ON "flyway_schema_history" ("success");

    """

  /// Prisma's own SQLite DDL (schema-engine, sql-schema-connector's SQLite flavour,
  /// `create_migrations_table`).
  static let prismaTable = """
    CREATE TABLE "_prisma_migrations" (
        "id"                    TEXT PRIMARY KEY NOT NULL,
        "checksum"              TEXT NOT NULL,
        "finished_at"           DATETIME,
        "migration_name"        TEXT NOT NULL,
        "logs"                  TEXT,
        "rolled_back_at"        DATETIME,
        "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
        "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
    );

    """

  /// Drizzle's own SQLite DDL (drizzle-orm, sqlite-core/dialect.ts, `migrate`).
  static let drizzleTable = """
    CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
    				id SERIAL PRIMARY KEY,
    				hash text NOT NULL,
    				created_at numeric
    			);

    """

  /// A fresh in-memory database after running `script`.
  private func database(_ script: String) throws -> SQLiteConnection {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript(script)
    return connection
  }
}
