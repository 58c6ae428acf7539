import Foundation
import Testing

@testable import SchemaLedger

/// One tool's history table, created and filled the way the tool does it on SQLite.
struct ToolHistory: Sendable, CustomStringConvertible {
  var tool: ImportedTool
  var setup: [String]
  var expected: [ImportedEntry]
  var description: String { tool.rawValue }
}

@Suite("Importing other tools' history")
struct ImportTests {
  static let histories: [ToolHistory] = [
    ToolHistory(
      tool: .golangMigrate,
      setup: [
        "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64, dirty bool)",
        "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)",
        "INSERT INTO schema_migrations (version, dirty) VALUES (2, 0)",
      ],
      expected: [ImportedEntry(version: 2, identifier: nil, appliedAt: nil)]),
    ToolHistory(
      tool: .dbmate,
      setup: [
        "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (version varchar(128) primary key)",
        "INSERT INTO schema_migrations (version) VALUES ('2'), ('1')",
      ],
      expected: [
        ImportedEntry(version: 1, identifier: nil, appliedAt: nil),
        ImportedEntry(version: 2, identifier: nil, appliedAt: nil),
      ]),
    ToolHistory(
      tool: .goose,
      setup: [
        """
        CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT,
          version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL,
          tstamp TIMESTAMP DEFAULT (datetime('now')))
        """,
        "INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES "
          + "(0, 1, '2024-01-01 00:00:00'), (1, 1, '2024-01-02 10:00:00'), "
          + "(2, 1, '2024-01-03 10:00:00'), (3, 1, '2024-01-04 10:00:00'), "
          + "(3, 0, '2024-01-05 10:00:00')",
      ],
      expected: [
        ImportedEntry(version: 1, identifier: nil, appliedAt: "2024-01-02T10:00:00.000Z"),
        ImportedEntry(version: 2, identifier: nil, appliedAt: "2024-01-03T10:00:00.000Z"),
      ]),
    ToolHistory(
      tool: .sqlx,
      setup: [
        """
        CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY,
          description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
          success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL)
        """,
        "INSERT INTO _sqlx_migrations VALUES (1, 'a', '2024-02-01 08:00:00', TRUE, x'00', 5), "
          + "(2, 'b', '2024-02-02 08:00:00', TRUE, x'00', 7)",
      ],
      expected: [
        ImportedEntry(version: 1, identifier: nil, appliedAt: "2024-02-01T08:00:00.000Z"),
        ImportedEntry(version: 2, identifier: nil, appliedAt: "2024-02-02T08:00:00.000Z"),
      ]),
    ToolHistory(
      tool: .diesel,
      setup: [
        """
        CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
          version VARCHAR(50) PRIMARY KEY NOT NULL,
          run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)
        """,
        "INSERT INTO __diesel_schema_migrations VALUES ('00000000000001', '2024-03-13 17:00:00')",
      ],
      expected: [
        ImportedEntry(version: 1, identifier: nil, appliedAt: "2024-03-13T17:00:00.000Z")
      ]),
    ToolHistory(
      tool: .flyway,
      setup: [
        """
        CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY,
          version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL,
          script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,
          installed_on TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
          execution_time INT NOT NULL, success BOOLEAN NOT NULL)
        """,
        "INSERT INTO flyway_schema_history VALUES "
          + "(1, '1', 'a', 'SQL', 'V1__a.sql', 1, 'ops', '2024-04-01 09:00:00.000', 3, 1), "
          + "(2, NULL, 'views', 'SQL', 'R__views.sql', 2, 'ops', '2024-04-01 09:00:01.000', 1, 1), "
          + "(3, '2', 'b', 'SQL', 'V2__b.sql', 3, 'ops', '2024-04-02 09:00:00.000', 3, 1)",
      ],
      expected: [
        ImportedEntry(version: 1, identifier: nil, appliedAt: "2024-04-01T09:00:00.000Z"),
        ImportedEntry(version: 2, identifier: nil, appliedAt: "2024-04-02T09:00:00.000Z"),
      ]),
    ToolHistory(
      tool: .grdb,
      setup: [
        "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)",
        "INSERT INTO grdb_migrations VALUES ('a'), ('b')",
      ],
      expected: [
        ImportedEntry(version: nil, identifier: "a", appliedAt: nil),
        ImportedEntry(version: nil, identifier: "b", appliedAt: nil),
      ]),
    ToolHistory(
      tool: .liquibase,
      setup: [
        // Liquibase on SQLite: upper-case names, times as text.
        """
        CREATE TABLE DATABASECHANGELOG (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL,
          FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TEXT NOT NULL,
          ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35),
          DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255),
          LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255),
          DEPLOYMENT_ID VARCHAR(10))
        """,
        "INSERT INTO DATABASECHANGELOG (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, "
          + "EXECTYPE) VALUES ('1', 'ann', 'db/changelog/1_a.sql', '2024-05-01 10:00:00', 1, "
          + "'EXECUTED'), ('1', 'ann', 'db/changelog/2_b.sql', '2024-05-02 10:00:00', 2, "
          + "'EXECUTED')",
      ],
      expected: [
        ImportedEntry(version: nil, identifier: "1_a", appliedAt: "2024-05-01T10:00:00.000Z"),
        ImportedEntry(version: nil, identifier: "2_b", appliedAt: "2024-05-02T10:00:00.000Z"),
      ]),
    ToolHistory(
      tool: .alembic,
      setup: [
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
          + "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
        "INSERT INTO alembic_version (version_num) VALUES ('b')",
      ],
      expected: {
        var head = ImportedEntry(version: nil, identifier: "b", appliedAt: nil)
        head.includesEarlierVersions = true
        return [head]
      }()),
  ]

  @Test("each tool's history table reads as it recorded it", arguments: histories)
  func read(history: ToolHistory) throws {
    let connection = try SQLiteConnection(path: ":memory:")
    for statement in history.setup { try connection.execute(statement) }
    #expect(try HistoryImporter.read(history.tool, from: connection) == history.expected)
  }

  @Test(
    "each import records the tool's migrations and leaves its table alone", arguments: histories)
  func importThroughTheFacade(history: ToolHistory) throws {
    try withFixture { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("2_b.sql", "CREATE TABLE b (x);")
      try fixture.migration("3_c.sql", "CREATE TABLE c (x);")
      let connection = try SQLiteConnection(path: fixture.databasePath)
      for statement in history.setup { try connection.execute(statement) }
      let table = HistoryImporter.table(of: history.tool)
      let before = try fixture.query("SELECT count(*) FROM \(table)")
      let events = try fixture.ledger().importHistory(from: history.tool, reason: "adoption")
      let expected = history.tool == .diesel ? ["1_a"] : ["1_a", "2_b"]
      #expect(events.map(\.migration) == expected)
      #expect(events.allSatisfy { $0.kind == .imported })
      #expect(try fixture.query("SELECT count(*) FROM \(table)") == before)
      if let time = history.expected.first?.appliedAt {
        #expect(events.first?.detail?.contains(time) == true)
      }
    }
  }

  @Test("a dirty or unreadable history is refused with what to do")
  func refusals() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.execute("CREATE TABLE schema_migrations (version uint64, dirty bool)")
    try connection.execute("INSERT INTO schema_migrations VALUES (3, 1)")
    #expect(throws: ImportError.dirty(tool: "golang-migrate", version: "3")) {
      try HistoryImporter.read(.golangMigrate, from: connection)
    }
    #expect(
      String(describing: ImportError.dirty(tool: "golang-migrate", version: "3"))
        .contains("migrate force VERSION"))
    try connection.execute(
      """
      CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version TEXT,
        type TEXT, installed_on TEXT, success BOOLEAN)
      """)
    try connection.execute(
      "INSERT INTO flyway_schema_history VALUES (1, '1.x', 'SQL', '2024-01-01 00:00:00', 1)")
    #expect(throws: ImportError.unreadableVersion(tool: "flyway", value: "1.x")) {
      try HistoryImporter.read(.flyway, from: connection)
    }
    do {
      _ = try HistoryImporter.read(.goose, from: connection)
      Issue.record("a missing table was not reported")
    } catch let error as ImportError {
      #expect(
        error == .tableMissing(tool: "goose", table: "goose_db_version", database: ":memory:"))
      #expect(String(describing: error).contains("baseline"))
    }
  }
}

@Suite("Importing a Flyway baseline")
struct FlywayBaselineImportTests {
  @Test("a Flyway baseline above the first version imports everything up to it")
  func baselineCoversEarlierVersions() throws {
    try withFixture { fixture in
      for version in 1...4 {
        try fixture.migration("\(version)_m\(version).sql", "CREATE TABLE m\(version) (x);")
      }
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.execute(
        """
        CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL PRIMARY KEY,
          version VARCHAR(50), description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL,
          script VARCHAR(1000) NOT NULL, checksum INT, installed_by VARCHAR(100) NOT NULL,
          installed_on TEXT NOT NULL, execution_time INT NOT NULL, success BOOLEAN NOT NULL)
        """)
      try connection.execute(
        "INSERT INTO flyway_schema_history VALUES (1, '3', '<< Flyway Baseline >>', "
          + "'BASELINE', '<< Flyway Baseline >>', NULL, 'ops', '2024-01-01 00:00:00.000', 0, 1)")
      let events = try fixture.ledger().importHistory(from: .flyway)
      #expect(events.map(\.migration) == ["1_m1", "2_m2", "3_m3"])
      #expect(try fixture.ledger().pendingMigrations().map(\.id) == ["4_m4"])
    }
  }
}

/// Adopting a database Prisma Migrate or Drizzle migrated, end to end through the tool:
/// the folder as the tool generates it, the first migration run and recorded the way the
/// tool does, then `import` and `apply`.
@Suite("Importing Prisma's and Drizzle's history", .timeLimit(.minutes(1)))
struct JavaScriptToolImportTests {
  static let prismaInit = """
    -- CreateTable
    CREATE TABLE "User" (
        "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        "email" TEXT NOT NULL
    );

    -- CreateIndex
    CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

    """

  static let prismaAddPosts = """
    -- CreateTable
    CREATE TABLE "Post" (
        "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
        "title" TEXT NOT NULL,
        "authorId" INTEGER NOT NULL,
        CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
    );

    """

  /// `0000_init.sql` as drizzle-kit writes it (no newline at the end).
  static let drizzleInit = """
    CREATE TABLE `users` (
        `id` integer PRIMARY KEY NOT NULL,
        `email` text NOT NULL
    );
    --> statement-breakpoint
    CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);
    """

  /// The SHA-256 of `drizzleInit`, as Drizzle computes it: the hash it records.
  static let drizzleInitHash = "ca149a666da2a65da6fd82b74ba67ed838a56a3e1d81f4e23ca88ae79e37484f"

  static let drizzleAddPosts = """
    CREATE TABLE `posts` (
        `id` integer PRIMARY KEY NOT NULL,
        `title` text NOT NULL,
        `author_id` integer NOT NULL REFERENCES `users`(`id`)
    );
    """

  static let drizzleJournal = """
    {"version":"7","dialect":"sqlite","entries":[{"idx":0,"version":"6","when":1700000000000,\
    "tag":"0000_init","breakpoints":true},{"idx":1,"version":"6","when":1700000100000,\
    "tag":"0001_add_posts","breakpoints":true}]}
    """

  @Test("import --from prisma records the migration Prisma applied; apply runs only the next")
  func prisma() throws {
    try withFixture { fixture in
      try fixture.migration(
        "migration_lock.toml",
        "# Please do not edit this file manually\n"
          + "# It should be added in your version-control system (e.g., Git)\n"
          + "provider = \"sqlite\"\n")
      try fixture.migration("20230101000000_init/migration.sql", Self.prismaInit)
      try fixture.migration("20230102000000_add_posts/migration.sql", Self.prismaAddPosts)
      // `prisma migrate deploy` of the first migration: its SQL, then its row.
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.executeScript(Self.prismaInit)
      try connection.executeScript(HistoryImporterTests.prismaTable)
      try connection.execute(
        """
        INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name",
          "started_at", "applied_steps_count")
        VALUES ('6f1c0d6e-5b7a-4f3e-9a7e-2f4f1a9b8c01', ?, 1672531205000,
          '20230101000000_init', 1672531204000, 1)
        """, [.text(SHA256.hexDigest(Self.prismaInit))])

      let imported = try fixture.cli(["import", "--from", "prisma", "--reason", "off Prisma"])
      #expect(imported.status == 0, "\(imported.stderr)")
      #expect(imported.stdout.contains("Imported 1 migration from prisma: 20230101000000_init"))
      let event = try #require(try fixture.events().first { $0.kind == .imported })
      #expect(event.migration == "20230101000000_init")
      #expect(event.detail?.contains("applied by prisma at 2023-01-01T00:00:05.000Z") == true)

      let applied = try fixture.cli(["apply"])
      #expect(applied.status == 0, "\(applied.stderr)")
      let rows = try fixture.ledgerRows()
      #expect(
        rows.filter { $0.hasSuffix("20230101000000_init") } == ["imported 20230101000000_init"])
      #expect(rows.contains("applied 20230102000000_add_posts"))
      #expect(try fixture.schemaObjects().contains("table Post"))
      #expect(try fixture.query("SELECT count(*) FROM _prisma_migrations") == ["1"])
    }
  }

  @Test("import --from drizzle matches rows to files by hash; apply runs only the next")
  func drizzle() throws {
    try withFixture { fixture in
      try fixture.migration("0000_init.sql", Self.drizzleInit)
      try fixture.migration("0001_add_posts.sql", Self.drizzleAddPosts)
      try fixture.migration("meta/_journal.json", Self.drizzleJournal)
      // drizzle-orm's migrate() of the first migration: its SQL, then its row.
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.executeScript(Self.drizzleInit)
      try connection.executeScript(HistoryImporterTests.drizzleTable)
      try connection.execute(
        "INSERT INTO \"__drizzle_migrations\" (\"hash\", \"created_at\") VALUES(?, ?)",
        [.text(Self.drizzleInitHash), .integer(1_700_000_000_000)])

      let imported = try fixture.cli(["import", "--from", "drizzle", "--reason", "off Drizzle"])
      #expect(imported.status == 0, "\(imported.stderr)")
      #expect(imported.stdout.contains("Imported 1 migration from drizzle: 0000_init"))
      let event = try #require(try fixture.events().first { $0.kind == .imported })
      #expect(event.migration == "0000_init")
      #expect(event.checksum == Self.drizzleInitHash)
      #expect(event.detail?.contains("applied by drizzle at 2023-11-14T22:13:20.000Z") == true)

      let applied = try fixture.cli(["apply"])
      #expect(applied.status == 0, "\(applied.stderr)")
      let rows = try fixture.ledgerRows()
      #expect(rows.filter { $0.hasSuffix(" 0000_init") } == ["imported 0000_init"])
      #expect(rows.contains("applied 0001_add_posts"))
      #expect(try fixture.schemaObjects().contains("table posts"))
    }
  }

  @Test("a Drizzle file checked out with CRLF line endings still matches its hash")
  func drizzleCRLF() throws {
    try withFixture { fixture in
      try fixture.migration(
        "0000_init.sql", Self.drizzleInit.replacingOccurrences(of: "\n", with: "\r\n"))
      try fixture.migration("0001_add_posts.sql", Self.drizzleAddPosts)
      try fixture.migration("meta/_journal.json", Self.drizzleJournal)
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.executeScript(HistoryImporterTests.drizzleTable)
      try connection.execute(
        "INSERT INTO \"__drizzle_migrations\" (\"hash\", \"created_at\") VALUES(?, ?)",
        [.text(Self.drizzleInitHash), .integer(1_700_000_000_000)])
      let events = try fixture.ledger().importHistory(from: .drizzle)
      #expect(events.map(\.migration) == ["0000_init"])
    }
  }

  @Test("a Drizzle row whose file was edited or removed is unmatched: nothing is imported")
  func drizzleUnmatched() throws {
    try withFixture { fixture in
      try fixture.migration("0000_init.sql", Self.drizzleInit + "\n-- edited after it ran")
      try fixture.migration("0001_add_posts.sql", Self.drizzleAddPosts)
      try fixture.migration("meta/_journal.json", Self.drizzleJournal)
      let connection = try SQLiteConnection(path: fixture.databasePath)
      try connection.executeScript(HistoryImporterTests.drizzleTable)
      try connection.execute(
        "INSERT INTO \"__drizzle_migrations\" (\"hash\", \"created_at\") VALUES(?, ?)",
        [.text(Self.drizzleInitHash), .integer(1_700_000_000_000)])
      let error = try #require(throws: PlanError.self) {
        try fixture.ledger().importHistory(from: .drizzle)
      }
      let entry =
        "the file with SHA-256 \(Self.drizzleInitHash) (applied at 2023-11-14T22:13:20.000Z)"
      #expect(error == .unmatchedImport(tool: "drizzle", entries: [entry]))
      #expect(error.description.contains("Nothing was imported"))
      #expect(error.description.contains("an edited file no longer matches"))
      let recorded = try? fixture.query("SELECT count(*) FROM schemaledger_events")
      #expect(recorded == nil || recorded == ["0"])
    }
  }
}
