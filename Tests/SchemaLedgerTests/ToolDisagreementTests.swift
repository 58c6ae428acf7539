import Foundation
import Testing

@testable import SchemaLedger

/// Rules where SchemaLedger's way of running a migration differs from the original tool's
/// (a transaction of its own around each migration): each test runs the same files
/// through the `sqlite3` shell as the tool does, and through `schemaledger apply`, and
/// expects the same schema and data.
@Suite("Rules the tools disagree on leave the same schema and data")
struct ToolDisagreementTests {
  /// Runs `files` (name, text) through `schemaledger apply` in `folder` and the same up
  /// SQL, in order, through the `sqlite3` shell; returns both databases' schema and data.
  private func compare(
    _ files: [(String, String)], referenceSQL: [String], folder: URL
  ) throws -> (tool: String, reference: String) {
    let migrations = folder.appendingPathComponent("migrations", isDirectory: true)
    for (name, text) in files { try migrations.write(name, text) }
    let toolDatabase = folder.appendingPathComponent("tool.sqlite").path
    let result = try ToolProcess.run(
      ["apply", "-d", toolDatabase, "-m", migrations.path], in: folder)
    #expect(result.status == 0, "\(result.stderr)")
    let referenceDatabase = folder.appendingPathComponent("reference.sqlite").path
    for sql in referenceSQL {
      try ReferenceRunner.run("PRAGMA foreign_keys = ON;\n" + sql, on: referenceDatabase)
    }
    return (
      try ReferenceRunner.schemaAndData(of: toolDatabase),
      try ReferenceRunner.schemaAndData(of: referenceDatabase)
    )
  }

  private static let parentAndChildren = """
    CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT);
    CREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY, "authorId" INTEGER NOT NULL,
      CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id")
      ON DELETE CASCADE ON UPDATE CASCADE);
    INSERT INTO "User" VALUES (1, 'a'), (2, NULL);
    INSERT INTO "Post" VALUES (10, 1), (11, 2), (12, 1);

    """

  /// Prisma's table rebuild: `PRAGMA foreign_keys=OFF`, then `DROP TABLE` of a parent
  /// whose children cascade on delete.
  private static let prismaRebuild = """
    -- RedefineTables
    PRAGMA defer_foreign_keys=ON;
    PRAGMA foreign_keys=OFF;
    CREATE TABLE "new_User" ("id" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL DEFAULT '');
    INSERT INTO "new_User" ("id", "name") SELECT "id", coalesce("name", '') FROM "User";
    DROP TABLE "User";
    ALTER TABLE "new_User" RENAME TO "User";
    PRAGMA foreign_keys=ON;
    PRAGMA defer_foreign_keys=OFF;

    """

  @Test(
    "A Prisma table rebuild keeps the cascading children, as Prisma (no transaction) does",
    .timeLimit(.minutes(1)))
  func prismaRebuildInTransaction() throws {
    try withTemporaryDirectory { folder in
      let (tool, reference) = try compare(
        [
          ("migration_lock.toml", "provider = \"sqlite\"\n"),
          ("20240101000000_init/migration.sql", Self.parentAndChildren),
          ("20240102000000_redefine/migration.sql", Self.prismaRebuild),
        ],
        referenceSQL: [Self.parentAndChildren, Self.prismaRebuild], folder: folder)
      #expect(tool == reference)
      #expect(tool.contains("10,1") && tool.contains("11,2") && tool.contains("12,1"))
    }
  }

  /// A file that manages its own transaction, as dbmate (`transaction:false`) and sqlx
  /// (`-- no-transaction`) users write one; both tools run it as written.
  private static let ownTransactionSQL = """
    BEGIN;
    CREATE TABLE ledger_entries (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL);
    INSERT INTO ledger_entries VALUES (1, 100), (2, -40);
    COMMIT;

    """

  @Test(
    "A migration that manages its own transaction runs as written, as dbmate and sqlx run it",
    .timeLimit(.minutes(1)),
    arguments: [
      ("001_own.sql", "-- migrate:up transaction:false\n" + ownTransactionSQL),
      ("001_own.sql", "-- no-transaction\n" + ownTransactionSQL),
      ("001_own.sql", ownTransactionSQL),
    ])
  func ownTransaction(name: String, text: String) throws {
    try withTemporaryDirectory { folder in
      let (tool, reference) = try compare(
        [(name, text)], referenceSQL: [Self.ownTransactionSQL], folder: folder)
      #expect(tool == reference)
      #expect(tool.contains("2,-40"))
      let detail = try ReferenceRunner.run(
        "SELECT detail FROM schemaledger_events WHERE kind = 'applied';\n",
        on: folder.appendingPathComponent("tool.sqlite").path, readOnly: true)
      #expect(!detail.isEmpty && detail != "\n", "recorded as run outside a transaction")
    }
  }
}
