import Foundation
import Testing

@testable import SchemaLedger

@Suite("Layout detection and reading")
struct LayoutDetectionTests {
  static let create = "CREATE TABLE t (id INTEGER);\n"

  /// Reads `directory` with `options`.
  func read(_ directory: URL, _ options: SourceOptions = SourceOptions()) throws
    -> MigrationSource
  {
    try MigrationSource(directory: directory.path, options: options)
  }

  /// The error reading `directory` throws.
  func readError(_ directory: URL, _ options: SourceOptions = SourceOptions()) throws
    -> MigrationSourceError
  {
    try #require(throws: MigrationSourceError.self) {
      try MigrationSource(directory: directory.path, options: options)
    }
  }

  /// A Drizzle journal listing `tags` in this order.
  static func journal(_ tags: [String]) -> String {
    BrokenLayoutEntry.drizzleJournal(tags)
  }

  /// Writes the smallest folder of `layout`: one migration.
  static func writeMinimalFolder(_ layout: MigrationLayout, in dir: URL) throws {
    switch layout {
    case .sqlFiles:
      try dir.write("001_a.sql", create)
    case .diesel:
      try dir.write("2024-03-13-170000_a/up.sql", create)
      try dir.write("2024-03-13-170000_a/down.sql", "DROP TABLE t;\n")
    case .prisma:
      try dir.write("20230101000000_a/migration.sql", create)
      try dir.write("migration_lock.toml", "provider = \"sqlite\"\n")
    case .drizzle:
      try dir.write("0000_a.sql", create)
      try dir.write("meta/_journal.json", journal(["0000_a"]))
    case .flyway:
      try dir.write("V1__a.sql", create)
    }
  }

  // MARK: - Detection

  @Test("Each layout is detected from its folder", arguments: MigrationLayout.allCases)
  func detected(layout: MigrationLayout) throws {
    try withTemporaryDirectory { dir in
      try Self.writeMinimalFolder(layout, in: dir)
      let source = try read(dir)
      #expect(source.layout == layout)
      #expect(source.migrations.count == 1)
    }
  }

  @Test("An empty folder is read as sql-files")
  func emptyFolder() throws {
    try withTemporaryDirectory { dir in
      let source = try read(dir)
      #expect(source.layout == .sqlFiles)
      #expect(source.migrations.isEmpty)
    }
  }

  @Test(
    "NNNN_name.sql files are Drizzle's when meta/_journal.json exists, sql-files' otherwise",
    arguments: [true, false])
  func drizzleFilesNeedTheJournal(withJournal: Bool) throws {
    try withTemporaryDirectory { dir in
      try dir.write("0000_a.sql", Self.create)
      if withJournal { try dir.write("meta/_journal.json", Self.journal(["0000_a"])) }
      #expect(try read(dir).layout == (withJournal ? .drizzle : .sqlFiles))
    }
  }

  // MARK: - Drizzle

  @Test("Drizzle migrations run in journal order, not file-name order")
  func drizzleJournalOrder() throws {
    try withTemporaryDirectory { dir in
      try dir.write("0000_a.sql", "CREATE TABLE a (x);\n")
      try dir.write("0001_b.sql", "CREATE TABLE b (x);\n")
      try dir.write("meta/_journal.json", Self.journal(["0001_b", "0000_a"]))
      let source = try read(dir)
      #expect(source.migrations.map(\.id) == ["0001_b", "0000_a"])
      #expect(source.migrations.map(\.version) == [0, 1])
      #expect(source.migrations.map(\.name) == ["b", "a"])
    }
  }

  @Test("Drizzle: a journal entry without its file is a journal error naming the entry")
  func drizzleEntryWithoutFile() throws {
    try withTemporaryDirectory { dir in
      try dir.write("0000_a.sql", Self.create)
      let journal = try dir.write("meta/_journal.json", Self.journal(["0000_a", "0001_gone"]))
      let error = try readError(dir)
      #expect(
        error
          == .journal(
            file: journal.path,
            message: "entry 1 ('0001_gone') has no file 0001_gone.sql in the folder"
          ))
    }
  }

  @Test("Drizzle: a file the journal does not list is a journal error naming the file")
  func drizzleFileNotInJournal() throws {
    try withTemporaryDirectory { dir in
      try dir.write("0000_a.sql", Self.create)
      let stray = try dir.write("0001_stray.sql", Self.create)
      try dir.write("meta/_journal.json", Self.journal(["0000_a"]))
      let error = try readError(dir)
      #expect(
        error
          == .journal(
            file: stray.path,
            message: "not listed in meta/_journal.json, so Drizzle would never run it"))
    }
  }

  @Test(
    "Drizzle: a malformed journal is a journal error",
    arguments: [
      ("not json", "not a Drizzle journal (no entries)"),
      ("{}", "not a Drizzle journal (no entries)"),
      (#"{"entries": {}}"#, "not a Drizzle journal (no entries)"),
      (#"{"entries": [{"idx": 0}]}"#, "entry 0 has no tag"),
      (#"{"entries": [{"idx": 0, "tag": ""}]}"#, "entry 0 has no tag"),
    ])
  func drizzleMalformedJournal(text: String, message: String) throws {
    try withTemporaryDirectory { dir in
      try dir.write("0000_a.sql", Self.create)
      let journal = try dir.write("meta/_journal.json", text)
      #expect(try readError(dir) == .journal(file: journal.path, message: message))
    }
  }

  // MARK: - Prisma

  @Test("Prisma: a lock file naming another provider than sqlite is refused")
  func prismaProvider() throws {
    try withTemporaryDirectory { dir in
      try dir.write("20230101000000_a/migration.sql", Self.create)
      let lock = try dir.write(
        "migration_lock.toml",
        "# Please do not edit this file manually\nprovider = \"postgresql\"\n")
      #expect(
        try readError(dir) == .unsupportedProvider(file: lock.path, provider: "postgresql"))
    }
  }

  @Test("Prisma: migrations run in folder-name order")
  func prismaOrder() throws {
    try withTemporaryDirectory { dir in
      try dir.write("20230202000000_b/migration.sql", "CREATE TABLE b (x);\n")
      try dir.write("20230101000000_z/migration.sql", "CREATE TABLE z (x);\n")
      try dir.write("20230303000000_a/migration.sql", "CREATE TABLE a (x);\n")
      try dir.write("migration_lock.toml", "provider = \"sqlite\"\n")
      let source = try read(dir)
      #expect(
        source.migrations.map(\.id) == [
          "20230101000000_z", "20230202000000_b", "20230303000000_a",
        ])
      #expect(source.migrations.allSatisfy { !$0.isReversible })
    }
  }

  @Test("Prisma: a migration folder whose name has no timestamp is refused")
  func prismaFolderWithoutTimestamp() throws {
    try withTemporaryDirectory { dir in
      try dir.write("20230101000000_a/migration.sql", Self.create)
      try dir.write("init/migration.sql", Self.create)
      let error = try readError(dir)
      guard case .unplaceable(let path, let layout, let looksLike) = error else {
        Issue.record("unexpected error: \(error)")
        return
      }
      #expect(path == dir.appendingPathComponent("init").path)
      #expect(layout == .prisma)
      #expect(looksLike?.contains("timestamp") == true)
    }
  }

  // MARK: - sql-files pairs

  @Test("A pair whose down file spells the name differently pairs by version")
  func pairByVersion() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_create_users.up.sql", "CREATE TABLE users (id INTEGER);\n")
      let down = try dir.write("1_users.down.sql", "DROP TABLE users;\n")
      let source = try read(dir)
      let migration = try #require(source.migrations.first)
      #expect(source.migrations.count == 1)
      #expect(migration.id == "1_create_users")
      #expect(migration.name == "create_users")
      #expect(migration.downSQL == "DROP TABLE users;\n")
      #expect(migration.downLocation == SourceLocation(file: down.path, line: 1))
    }
  }

  @Test("A down file without an up file of its version is refused")
  func downAlone() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_a.up.sql", Self.create)
      let down = try dir.write("2_b.down.sql", "DROP TABLE b;\n")
      #expect(try readError(dir) == .downWithoutUp(file: down.path))
    }
  }

  @Test("Two up files of one version are a duplicate version")
  func twoUpFiles() throws {
    try withTemporaryDirectory { dir in
      let first = try dir.write("001_b.up.sql", Self.create)
      let second = try dir.write("1_a.up.sql", Self.create)
      #expect(
        try readError(dir) == .duplicateVersion(version: 1, files: [first.path, second.path]))
    }
  }

  // MARK: - Mixed folders

  @Test("A folder mixing two layouts is refused, naming one entry of each")
  func mixedLayouts() throws {
    try withTemporaryDirectory { dir in
      let sqlFile = try dir.write("001_a.sql", Self.create)
      let flywayFile = try dir.write("V2__b.sql", Self.create)
      #expect(
        try readError(dir)
          == .mixedLayouts(.sqlFiles, path: sqlFile.path, .flyway, otherPath: flywayFile.path))
    }
  }

  @Test(
    "With a layout chosen, the other layout's files are skipped and listed as unknown",
    arguments: [
      (MigrationLayout.sqlFiles, "001_a", "V2__b.sql"),
      (MigrationLayout.flyway, "V2__b", "001_a.sql"),
    ])
  func chosenLayoutSkipsOthers(layout: MigrationLayout, kept: String, skipped: String) throws {
    try withTemporaryDirectory { dir in
      try dir.write("001_a.sql", Self.create)
      try dir.write("V2__b.sql", "CREATE TABLE b (x);\n")
      let source = try read(dir, SourceOptions(layout: layout))
      #expect(source.layout == layout)
      #expect(source.migrations.map(\.id) == [kept])
      #expect(source.unknownEntries == [dir.appendingPathComponent(skipped).path])
      #expect(source.ignoredFiles.contains(dir.appendingPathComponent(skipped).path))
    }
  }

  // MARK: - Repeatable migrations

  @Test(
    "A repeatable R__x.sql is read in sql-files and flyway folders, after the versioned ones",
    arguments: [(MigrationLayout.sqlFiles, "001_a.sql"), (MigrationLayout.flyway, "V1__a.sql")])
  func repeatableAccepted(layout: MigrationLayout, versioned: String) throws {
    try withTemporaryDirectory { dir in
      try dir.write("R__x.sql", "CREATE VIEW IF NOT EXISTS x AS SELECT 1;\n")
      try dir.write(versioned, Self.create)
      let source = try read(dir)
      #expect(source.layout == layout)
      #expect(source.migrations.map(\.id).last == "R__x")
      #expect(source.migrations.last?.isRepeatable == true)
    }
  }

  @Test("A repeatable R__x.sql in a Prisma folder is refused")
  func repeatableInPrisma() throws {
    try withTemporaryDirectory { dir in
      try dir.write("20230101000000_a/migration.sql", Self.create)
      try dir.write("migration_lock.toml", "provider = \"sqlite\"\n")
      let repeatable = try dir.write("R__x.sql", "CREATE VIEW x AS SELECT 1;\n")
      let error = try readError(dir)
      guard case .unplaceable(let path, let layout, let looksLike) = error else {
        Issue.record("unexpected error: \(error)")
        return
      }
      #expect(path == repeatable.path)
      #expect(layout == .prisma)
      #expect(looksLike?.contains("repeatable") == true)
    }
  }

  // MARK: - Flyway

  @Test("Flyway: an undo file without its versioned file is refused")
  func flywayUndoAlone() throws {
    try withTemporaryDirectory { dir in
      try dir.write("V1__a.sql", Self.create)
      let undo = try dir.write("U2__b.sql", "DROP TABLE b;\n")
      #expect(try readError(dir) == .downWithoutUp(file: undo.path))
    }
  }

  @Test("Flyway: V1.0 and V1 are the same version")
  func flywayTrailingZeroDuplicate() throws {
    try withTemporaryDirectory { dir in
      let withZero = try dir.write("V1.0__a.sql", Self.create)
      let plain = try dir.write("V1__b.sql", Self.create)
      #expect(
        try readError(dir) == .duplicateVersion(version: 1, files: [withZero.path, plain.path]))
    }
  }

  @Test("Flyway: an undo file is the down SQL of its version")
  func flywayUndoIsDown() throws {
    try withTemporaryDirectory { dir in
      try dir.write("V1.10__a.sql", Self.create)
      let undo = try dir.write("U1.10__a.sql", "DROP TABLE t;\n")
      let migration = try #require(try read(dir).migrations.first)
      #expect(migration.downSQL == "DROP TABLE t;\n")
      #expect(migration.downLocation == SourceLocation(file: undo.path, line: 1))
    }
  }

  // MARK: - Placeholders

  /// Reads a Flyway folder whose `V1__seed.sql` uses `${role}`, with `role=admin`.
  func readSeededFlywayFolder(_ body: (Migration, String) throws -> Void) throws {
    try withTemporaryDirectory { dir in
      let text = "CREATE TABLE r (name TEXT);\nINSERT INTO r VALUES ('${role}');\n"
      try dir.write("V1__seed.sql", text)
      let source = try read(dir, SourceOptions(placeholders: ["role": "admin"]))
      try body(try #require(source.migrations.first), text)
    }
  }

  @Test("Flyway placeholders: the checksum is that of the file as written")
  func placeholderChecksum() throws {
    try readSeededFlywayFolder { migration, text in
      #expect(migration.checksum == SHA256.hexDigest(text))
    }
  }

  @Test("Flyway placeholders: the up SQL holds the value")
  func placeholderUpSQL() throws {
    try readSeededFlywayFolder { migration, _ in
      #expect(
        migration.upSQL == "CREATE TABLE r (name TEXT);\nINSERT INTO r VALUES ('admin');\n")
    }
  }

  @Test("Flyway placeholders: the migration names the placeholders it used")
  func placeholderNames() throws {
    try readSeededFlywayFolder { migration, _ in
      #expect(migration.placeholders == ["role"])
    }
  }

  // MARK: - File contents

  @Test("sqlx: '-- no-transaction' as the very first bytes runs the migration outside")
  func sqlxNoTransaction() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_a.up.sql", "-- no-transaction\nCREATE TABLE t (x);\n")
      let migration = try #require(try read(dir).migrations.first)
      #expect(migration.transactionMode == .outside(reason: "marked '-- no-transaction'"))
    }
  }

  @Test(
    "sqlx: '-- no-transaction' anywhere but the very first bytes is a comment",
    arguments: [
      "\n-- no-transaction\nCREATE TABLE t (x);\n",
      " -- no-transaction\nCREATE TABLE t (x);\n",
      "-- pragma\n-- no-transaction\nCREATE TABLE t (x);\n",
      "CREATE TABLE t (x);\n-- no-transaction\n",
    ])
  func sqlxNoTransactionElsewhere(text: String) throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_a.up.sql", text)
      let migration = try #require(try read(dir).migrations.first)
      #expect(migration.transactionMode == .wrapped)
    }
  }

  @Test("A comment-only up section is a migration with no statements")
  func commentOnlyUp() throws {
    try withTemporaryDirectory { dir in
      try dir.write("001_a.sql", "-- migrate:up\n-- nothing to do yet\n\n-- migrate:down\n")
      let migration = try #require(try read(dir).migrations.first)
      #expect(migration.hasNoStatements)
      #expect(migration.id == "001_a")
    }
  }

  @Test("The untouched 'schemaledger new' template is not written yet")
  func template() throws {
    try withTemporaryDirectory { dir in
      let file = try dir.write("001_a.sql", MigrationFileCreator.template)
      #expect(try readError(dir) == .notWrittenYet(file: file.path))
    }
  }
}
