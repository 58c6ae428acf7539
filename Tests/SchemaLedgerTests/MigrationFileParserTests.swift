import Foundation
import Testing

@testable import SchemaLedger

@Suite("Migration file parser")
struct MigrationFileParserTests {
  static let file = "migrations/0003_add_email.sql"
  static let identity = MigrationFileParser.Identity(
    id: "0003_add_email", version: 3, name: "add_email")

  /// Parses `text` as the single file `migrations/0003_add_email.sql`.
  func parse(_ text: String) throws -> Migration {
    try MigrationFileParser(file: Self.file, identity: Self.identity).parseSingleFile(text)
  }

  /// Decodes `bytes` the way the directory reader does (BOM, CRLF, UTF-8), then parses.
  func parse(bytes: [UInt8]) throws -> Migration {
    try parse(SourceText.decode(bytes, file: Self.file))
  }

  /// `text` with every LF turned into CRLF, as bytes.
  static func crlf(_ text: String) -> [UInt8] {
    text.utf8.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
  }

  static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// A dbmate file with a preamble, an up section on lines 5–7 and a down section on
  /// lines 9–11.
  static let dbmateFile = """
    -- Adds the email column.
    -- NOTE: the column is backfilled by the application.

    -- migrate:up
    ALTER TABLE users ADD COLUMN email TEXT;
    CREATE INDEX users_email_idx ON users(email);

    -- migrate:down
    DROP INDEX users_email_idx;
    ALTER TABLE users DROP COLUMN email;

    """

  // MARK: - dbmate files

  @Test("A dbmate file splits into its up and down sections")
  func dbmateUpAndDown() throws {
    let migration = try parse(Self.dbmateFile)
    #expect(migration.id == "0003_add_email")
    #expect(migration.version == 3)
    #expect(migration.name == "add_email")
    #expect(
      migration.upSQL
        == "ALTER TABLE users ADD COLUMN email TEXT;\n"
        + "CREATE INDEX users_email_idx ON users(email);\n")
    #expect(
      migration.downSQL
        == "DROP INDEX users_email_idx;\nALTER TABLE users DROP COLUMN email;\n")
    #expect(migration.isReversible)
    #expect(migration.transactionMode == .wrapped)
    #expect(migration.transactionMode.isWrapped)
    #expect(migration.dependencies.isEmpty)
  }

  @Test("Section locations point at the first line after each marker")
  func dbmateLocations() throws {
    let migration = try parse(Self.dbmateFile)
    #expect(migration.upLocation == SourceLocation(file: Self.file, line: 5))
    #expect(migration.downLocation == SourceLocation(file: Self.file, line: 9))
    #expect(migration.upLocation.description == "migrations/0003_add_email.sql:5")
  }

  @Test("A file with no markers is all up SQL and irreversible")
  func noMarkersIsUpOnly() throws {
    let text = "-- Seeds the roles.\nINSERT INTO roles (name) VALUES ('admin');\n"
    let migration = try parse(text)
    #expect(migration.upSQL == text)
    #expect(migration.downSQL == nil)
    #expect(!migration.isReversible)
    #expect(migration.downLocation == nil)
    #expect(migration.upLocation == SourceLocation(file: Self.file, line: 1))
    #expect(migration.transactionMode == .wrapped)
  }

  @Test("An up marker without a down marker is irreversible")
  func upMarkerOnly() throws {
    let migration = try parse("-- migrate:up\nCREATE TABLE t (id INTEGER);\n")
    #expect(migration.upSQL == "CREATE TABLE t (id INTEGER);\n")
    #expect(migration.downSQL == nil)
    #expect(!migration.isReversible)
    #expect(migration.downLocation == nil)
    #expect(migration.upLocation.line == 2)
  }

  @Test("An empty down section means nothing to undo, not irreversible")
  func emptyDownSection() throws {
    let atEnd = try parse("-- migrate:up\nCREATE TABLE t (id INTEGER);\n-- migrate:down\n")
    #expect(atEnd.downSQL == "")
    #expect(atEnd.isReversible)
    #expect(atEnd.downLocation == SourceLocation(file: Self.file, line: 4))

    let noFinalNewline = try parse("-- migrate:up\nCREATE TABLE t (id INTEGER);\n-- migrate:down")
    #expect(noFinalNewline.downSQL == "")
    #expect(noFinalNewline.isReversible)
  }

  @Test("'-- migrate:up transaction:false' runs outside the transaction")
  func dbmateTransactionFalse() throws {
    let migration = try parse(
      "-- migrate:up transaction:false\nCREATE TABLE t (id INTEGER);\n"
        + "-- migrate:down\nDROP TABLE t;\n")
    #expect(migration.transactionMode == .outside(reason: "marked transaction:false"))
    #expect(!migration.transactionMode.isWrapped)
    #expect(migration.upSQL == "CREATE TABLE t (id INTEGER);")
    #expect(migration.downSQL == "DROP TABLE t;\n")
  }

  @Test("'transaction:true' is accepted and keeps the migration wrapped")
  func dbmateTransactionTrue() throws {
    let migration = try parse("-- migrate:up transaction:true\nCREATE TABLE t (id INTEGER);\n")
    #expect(migration.transactionMode == .wrapped)
  }

  @Test("Markers may be indented and written without a space after '--'")
  func markerSpacing() throws {
    let migration = try parse(
      "  --migrate:up\nCREATE TABLE t (id INTEGER);\n\t-- migrate:down  \nDROP TABLE t;\n")
    #expect(migration.upSQL == "CREATE TABLE t (id INTEGER);")
    #expect(migration.downSQL == "DROP TABLE t;\n")
  }

  // MARK: - goose files

  static let gooseFile = """
    -- +goose Up
    -- +goose StatementBegin
    CREATE TRIGGER users_touch AFTER UPDATE ON users
    BEGIN
      UPDATE users SET updated_at = 'now' WHERE id = NEW.id;
    END;
    -- +goose StatementEnd

    -- +goose Down
    DROP TRIGGER users_touch;

    """

  @Test("A goose file splits at '-- +goose Up' and '-- +goose Down'")
  func gooseUpAndDown() throws {
    let migration = try parse(Self.gooseFile)
    #expect(
      migration.upSQL
        == """
        -- +goose StatementBegin
        CREATE TRIGGER users_touch AFTER UPDATE ON users
        BEGIN
          UPDATE users SET updated_at = 'now' WHERE id = NEW.id;
        END;
        -- +goose StatementEnd

        """)
    #expect(migration.downSQL == "DROP TRIGGER users_touch;\n")
    #expect(migration.transactionMode == .wrapped)
    #expect(migration.upLocation == SourceLocation(file: Self.file, line: 2))
    #expect(migration.downLocation == SourceLocation(file: Self.file, line: 10))
  }

  @Test("goose markers are case-insensitive")
  func gooseCase() throws {
    let migration = try parse("-- +goose up\nCREATE TABLE t (id INTEGER);\n-- +GOOSE DOWN\n")
    #expect(migration.upSQL == "CREATE TABLE t (id INTEGER);")
    #expect(migration.downSQL == "")
  }

  @Test("'-- +goose NO TRANSACTION' runs outside the transaction")
  func gooseNoTransaction() throws {
    let migration = try parse(
      "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX t_x_idx ON t(x);\n"
        + "-- +goose Down\nDROP INDEX t_x_idx;\n")
    #expect(migration.transactionMode == .outside(reason: "marked '-- +goose NO TRANSACTION'"))
    #expect(migration.upSQL == "CREATE INDEX t_x_idx ON t(x);")
    #expect(migration.upLocation.line == 3)
    #expect(migration.downLocation?.line == 5)
  }

  // MARK: - Transaction control in the SQL

  /// Up SQL and the reason it must run outside the transaction (`nil`: wrapped).
  static let transactionControl: [(sql: String, reason: String?)] = [
    ("BEGIN;\nUPDATE t SET x = 1;\nCOMMIT;\n", "manages its own transaction (BEGIN)"),
    ("begin immediate;\nupdate t set x = 1;\ncommit;\n", "manages its own transaction (BEGIN)"),
    ("UPDATE t SET x = 1;\nCOMMIT;\n", "manages its own transaction (COMMIT)"),
    ("UPDATE t SET x = 1;\nEND TRANSACTION;\n", "manages its own transaction (END)"),
    ("UPDATE t SET x = 1;\nROLLBACK;\n", "manages its own transaction (ROLLBACK)"),
    ("ROLLBACK TRANSACTION;\n", "manages its own transaction (ROLLBACK)"),
    ("-- Reclaim space.\nVACUUM;\n", "VACUUM cannot run inside a transaction"),
    ("SAVEPOINT s;\nUPDATE t SET x = 1;\nROLLBACK TO s;\nRELEASE s;\n", nil),
    ("SAVEPOINT s;\nROLLBACK TO SAVEPOINT s;\nRELEASE SAVEPOINT s;\n", nil),
    ("-- BEGIN;\n/* COMMIT; */\nINSERT INTO t VALUES ('VACUUM; END;');\n", nil),
    ("SELECT \"begin\", [commit], `end` FROM t;\n", nil),
    ("UPDATE t SET x = 1 WHERE y = 'BEGIN';\n", nil),
  ]

  @Test("Transaction control and VACUUM move a migration outside", arguments: transactionControl)
  func transactionControlInSQL(sql: String, reason: String?) throws {
    let migration = try parse("-- migrate:up\n" + sql + "-- migrate:down\n")
    let expected: Migration.TransactionMode = reason.map { .outside(reason: $0) } ?? .wrapped
    #expect(migration.transactionMode == expected)
  }

  @Test("'ROLLBACK TRANSACTION TO SAVEPOINT' is a savepoint rollback, not the end of one")
  func rollbackTransactionToSavepoint() throws {
    let migration = try parse(
      "-- migrate:up\nSAVEPOINT s;\nUPDATE t SET x = 1;\n"
        + "ROLLBACK TRANSACTION TO SAVEPOINT s;\nRELEASE s;\n")
    #expect(migration.transactionMode == .wrapped)
  }

  @Test("An explicit marker option wins over the SQL's own transaction control")
  func markerReasonWins() throws {
    let migration = try parse("-- migrate:up transaction:false\nBEGIN;\nVACUUM;\nCOMMIT;\n")
    #expect(migration.transactionMode == .outside(reason: "marked transaction:false"))
  }

  @Test("Triggers with BEGIN ... END bodies stay wrapped")
  func triggersStayWrapped() throws {
    let migration = try parse(
      """
      -- migrate:up
      CREATE TRIGGER audit_users AFTER INSERT ON users
      BEGIN
        INSERT INTO audit_log (action, subject) VALUES ('insert', NEW.id);
        UPDATE counters SET n = n + 1 WHERE name = 'users';
      END;
      create temp trigger if not exists no_delete before delete on users
      begin
        select raise(abort, 'users are never deleted; mark them instead');
      end;
      CREATE INDEX users_email_idx ON users(email);

      -- migrate:down
      DROP TRIGGER audit_users;

      """)
    #expect(migration.transactionMode == .wrapped)
  }

  @Test("A trigger whose body statement ends in CASE ... END stays wrapped")
  func triggerWithCaseStaysWrapped() throws {
    let migration = try parse(
      """
      -- migrate:up
      CREATE TRIGGER users_active AFTER UPDATE OF status ON users
      BEGIN
        UPDATE users SET active = CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END;
      END;

      """)
    #expect(migration.transactionMode == .wrapped)
  }

  // MARK: - Directives and comments

  @Test("'-- depends:' lines at the top of the up section list dependencies")
  func dependsDirective() throws {
    let migration = try parse(
      """
      -- migrate:up
      -- depends: 0001_users, 0002_devices
      -- NOTE: both tables must exist.
      --Depends:\t7
      CREATE TABLE sessions (id TEXT NOT NULL PRIMARY KEY);

      -- migrate:down
      DROP TABLE sessions;

      """)
    #expect(migration.dependencies == ["0001_users", "0002_devices", "7"])
    #expect(migration.upSQL.hasPrefix("-- depends: 0001_users, 0002_devices\n"))
  }

  @Test("'-- depends:' works in a file with no markers")
  func dependsWithoutMarkers() throws {
    let migration = try parse("-- depends: 2\nCREATE TABLE t (id INTEGER);\n")
    #expect(migration.dependencies == ["2"])
    #expect(!migration.isReversible)
  }

  @Test("Ordinary comments such as '-- NOTE: ...' are just comments")
  func noteComments() throws {
    let migration = try parse(
      """
      -- NOTE: this file is reviewed by the DBA team.
      -- migrate:up
      -- NOTE: the index speeds up login.
      -- TODO: drop the old index later.
      CREATE INDEX users_email_idx ON users(email);  -- NOTE: trailing comment
      -- migrate:down
      -- NOTE: nothing depends on the index.
      DROP INDEX users_email_idx;
      """)
    #expect(migration.dependencies.isEmpty)
    #expect(migration.transactionMode == .wrapped)
    #expect(migration.upSQL.contains("-- TODO: drop the old index later."))
    #expect(
      migration.downSQL == "-- NOTE: nothing depends on the index.\nDROP INDEX users_email_idx;")
  }

  @Test("A prose comment that starts with the word 'migrate' is just a comment")
  func proseCommentAboutMigrating() throws {
    let migration = try parse(
      "-- migrate:up\n-- Migrate the old rows into the new table.\n"
        + "INSERT INTO t2 SELECT * FROM t1;\n")
    #expect(migration.upSQL.hasPrefix("-- Migrate the old rows"))
  }

  // MARK: - Checksums and line endings

  @Test("The checksum is the SHA-256 of the up SQL")
  func checksumIsUpSQLDigest() throws {
    let migration = try parse(Self.dbmateFile)
    #expect(migration.checksum == SHA256.hexDigest(migration.upSQL))
    #expect(migration.checksum.count == 64)
  }

  @Test("CRLF line endings and a UTF-8 BOM change neither the SQL nor the checksum")
  func lineEndingsAndBOM() throws {
    let lf = try parse(bytes: Array(Self.dbmateFile.utf8))
    let crlf = try parse(bytes: Self.crlf(Self.dbmateFile))
    let bomLF = try parse(bytes: Self.bom + Array(Self.dbmateFile.utf8))
    let bomCRLF = try parse(bytes: Self.bom + Self.crlf(Self.dbmateFile))
    for other in [crlf, bomLF, bomCRLF] {
      #expect(other.checksum == lf.checksum)
      #expect(other.upSQL == lf.upSQL)
      #expect(other.downSQL == lf.downSQL)
      #expect(other.upLocation == lf.upLocation)
      #expect(other.downLocation == lf.downLocation)
    }
    #expect(!crlf.upSQL.contains("\r"))
  }

  @Test("Editing the down section or the preamble leaves the checksum alone")
  func checksumCoversOnlyUp() throws {
    let original = try parse(Self.dbmateFile)
    let newDown = try parse(
      Self.dbmateFile.replacingOccurrences(
        of: "DROP INDEX users_email_idx;", with: "DROP INDEX IF EXISTS users_email_idx;"))
    let newPreamble = try parse("-- A different header.\n" + Self.dbmateFile)
    let newUp = try parse(
      Self.dbmateFile.replacingOccurrences(of: "email TEXT;", with: "email TEXT NOT NULL;"))
    #expect(newDown.checksum == original.checksum)
    #expect(newPreamble.checksum == original.checksum)
    #expect(newUp.checksum != original.checksum)
  }

  // MARK: - Bad files

  /// A file that must be refused, the exact error, and the advice its message gives.
  struct BadFile: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let bytes: [UInt8]
    let error: MigrationSourceError
    /// The line the message must name, when the error has one.
    let line: Int?
    let advice: String

    init(
      _ name: String, _ text: String, _ error: MigrationSourceError, line: Int?,
      advice: String
    ) {
      self.init(name, bytes: Array(text.utf8), error, line: line, advice: advice)
    }

    init(
      _ name: String, bytes: [UInt8], _ error: MigrationSourceError, line: Int?,
      advice: String
    ) {
      self.testDescription = name
      self.bytes = bytes
      self.error = error
      self.line = line
      self.advice = advice
    }
  }

  static let badFile = "migrations/0007_bad.sql"
  static let create = "CREATE TABLE t (id INTEGER);\n"
  static let gooseExpected =
    "-- +goose Up, Down, StatementBegin, StatementEnd, NO TRANSACTION or ENVSUB ON/OFF"

  static let badFiles: [BadFile] = [
    BadFile(
      "misspelt '-- migrate: up'", "-- migrate: up\n" + create,
      .misspeltMarker(file: badFile, line: 1, text: "-- migrate: up", expected: "-- migrate:up"),
      line: 1, advice: "write it as '-- migrate:up'"),
    BadFile(
      "misspelt '-- migrate:dwon'",
      "-- migrate:up\n" + create + "\n-- migrate:dwon\nDROP TABLE t;\n",
      .misspeltMarker(
        file: badFile, line: 4, text: "-- migrate:dwon", expected: "-- migrate:down"),
      line: 4, advice: "write it as '-- migrate:down'"),
    BadFile(
      "capitalised '-- Migrate:Up'", "-- Migrate:Up\n" + create,
      .misspeltMarker(file: badFile, line: 1, text: "-- Migrate:Up", expected: "-- migrate:up"),
      line: 1, advice: "write it as '-- migrate:up'"),
    BadFile(
      "misspelt '-- +goose Upp'", "-- +goose Upp\n" + create,
      .misspeltMarker(file: badFile, line: 1, text: "-- +goose Upp", expected: gooseExpected),
      line: 1, advice: "write it as '\(gooseExpected)'"),
    BadFile(
      "bad marker option 'transaction:maybe'", "-- migrate:up transaction:maybe\n" + create,
      .misspeltMarker(
        file: badFile, line: 1, text: "-- migrate:up transaction:maybe",
        expected: "-- migrate:up transaction:false"),
      line: 1, advice: "write it as '-- migrate:up transaction:false'"),
    BadFile(
      "duplicate up marker",
      "-- migrate:up\n" + create + "-- migrate:up\nCREATE TABLE u (id INTEGER);\n",
      .duplicateMarker(file: badFile, line: 3, marker: "-- migrate:up"),
      line: 3, advice: "a file has one up section and at most one down section"),
    BadFile(
      "duplicate goose down marker",
      "-- +goose Up\n" + create + "-- +goose Down\nDROP TABLE t;\n-- +goose Down\n",
      .duplicateMarker(file: badFile, line: 5, marker: "-- +goose Down"),
      line: 5, advice: "a file has one up section and at most one down section"),
    BadFile(
      "down marker before the up marker",
      "-- migrate:down\nDROP TABLE t;\n\n-- migrate:up\n" + create,
      .markerOutOfOrder(file: badFile, line: 1), line: 1, advice: "put '-- migrate:up'"),
    BadFile(
      "down marker and no up marker",
      "-- migrate:down\nDROP TABLE t;\n",
      .downWithoutUp(file: badFile), line: nil, advice: "add the up section"),
    BadFile(
      "SQL before the up marker",
      "-- Adds t.\nCREATE TABLE early (id INTEGER);\n\n-- migrate:up\n" + create,
      .sqlBeforeUpMarker(file: badFile, line: 2),
      line: 2, advice: "move it below '-- migrate:up'"),
    BadFile(
      "dbmate and goose markers mixed",
      "-- migrate:up\n" + create + "\n-- +goose Down\nDROP TABLE t;\n",
      .mixedMarkerStyles(file: badFile, line: 4), line: 4, advice: "use one style per file"),
    BadFile(
      "invalid UTF-8 byte on line 3",
      bytes: Array("-- migrate:up\nCREATE TABLE t (name TEXT);\nINSERT INTO t VALUES ('caf".utf8)
        + [0xE9] + Array("');\n".utf8),
      .invalidUTF8(file: badFile, line: 3),
      line: 3, advice: "save the file as UTF-8"),
    BadFile(
      "invalid UTF-8 after a BOM and CRLF lines",
      bytes: bom + crlf("-- migrate:up\n" + create + "\n-- migrate:down\n") + [0xFF, 0x0A],
      .invalidUTF8(file: badFile, line: 5),
      line: 5, advice: "save the file as UTF-8"),
    BadFile(
      "UTF-8 sequence cut short at the end of the file",
      bytes: Array(Array("-- migrate:up\n\(create)-- \u{2713}".utf8).dropLast()),
      .invalidUTF8(file: badFile, line: 3),
      line: 3, advice: "save the file as UTF-8"),
    BadFile(
      "'-- depends:' after the first statement",
      "-- migrate:up\n" + create + "-- depends: 0001_users\n",
      .badDirective(
        file: badFile, line: 3,
        message: "'-- depends:' must come before the section's first statement"),
      line: 3, advice: "must come before the section's first statement"),
    BadFile(
      "'-- depends:' naming nothing", "-- migrate:up\n-- depends:\n" + create,
      .badDirective(
        file: badFile, line: 2,
        message: "'-- depends:' names no migration (write '-- depends: 0002_users')"),
      line: 2, advice: "write '-- depends: 0002_users'"),
  ]

  @Test("Bad files are refused with a message naming the file and the fix", arguments: badFiles)
  func badFileIsRefused(_ bad: BadFile) throws {
    let parser = MigrationFileParser(file: Self.badFile, identity: Self.identity)
    let error = try #require(throws: MigrationSourceError.self) {
      try parser.parseSingleFile(SourceText.decode(bad.bytes, file: Self.badFile))
    }
    #expect(error == bad.error)
    let message = String(describing: error)
    #expect(message.contains(Self.badFile))
    if let line = bad.line {
      #expect(message.contains("\(Self.badFile):\(line):"))
    }
    #expect(message.contains("Nothing was applied"))
    #expect(message.contains(bad.advice))
  }

  // MARK: - In-memory sources

  @Test("In-memory files parse like files and sort by version")
  func inMemoryFiles() throws {
    let source = try MigrationSource(files: [
      (name: "0010_b.sql", contents: "-- migrate:up\nCREATE TABLE b (id INTEGER);\n"),
      (name: "9_a.sql", contents: "CREATE TABLE a (id INTEGER);\n"),
    ])
    #expect(source.migrations.map(\.id) == ["9_a", "0010_b"])
    #expect(source.migrations.map(\.version) == [9, 10])
    #expect(source.migration("10")?.id == "0010_b")
    #expect(source.migration("9_a")?.version == 9)
    #expect(source.migration("0010_b")?.upLocation == SourceLocation(file: "0010_b.sql", line: 2))
    #expect(source.ignoredFiles.isEmpty)
  }

  @Test("In-memory CRLF and BOM text checksums like LF text")
  func inMemoryLineEndings() throws {
    let crlf = String(decoding: Self.crlf(Self.dbmateFile), as: UTF8.self)
    let source = try MigrationSource(files: [
      (name: "1_lf.sql", contents: Self.dbmateFile),
      (name: "2_crlf.sql", contents: crlf),
      (name: "3_bom.sql", contents: "\u{FEFF}" + crlf),
    ])
    let expected = SHA256.hexDigest(try parse(Self.dbmateFile).upSQL)
    #expect(source.migrations.count == 3)
    #expect(Set(source.migrations.map(\.checksum)) == [expected])
  }

  @Test("In-memory files need a VERSION_name.sql name")
  func inMemoryBadName() throws {
    let error = try #require(throws: MigrationSourceError.self) {
      try MigrationSource(files: [(name: "setup.sql", contents: Self.create)])
    }
    #expect(
      error
        == .badDirective(
          file: "setup.sql", line: 1, message: "the name must look like VERSION_name.sql"))
    #expect(String(describing: error).contains("setup.sql:1:"))
  }

  @Test("In-memory errors are collected and duplicate versions refused")
  func inMemorySeveralErrors() throws {
    let several = try #require(throws: MigrationSourceError.self) {
      try MigrationSource(files: [
        (name: "1_a.sql", contents: "-- migrate:up\n-- migrate:up\n"),
        (name: "2_b.sql", contents: "-- migrate: up\n" + Self.create),
      ])
    }
    #expect(
      several
        == .several([
          .duplicateMarker(file: "1_a.sql", line: 2, marker: "-- migrate:up"),
          .misspeltMarker(
            file: "2_b.sql", line: 1, text: "-- migrate: up", expected: "-- migrate:up"),
        ]))

    let duplicate = try #require(throws: MigrationSourceError.self) {
      try MigrationSource(files: [
        (name: "1_b.sql", contents: Self.create), (name: "01_a.sql", contents: Self.create),
      ])
    }
    #expect(duplicate == .duplicateVersion(version: 1, files: ["01_a.sql", "1_b.sql"]))
  }

  @Test("An in-memory file whose version does not fit in 64 bits is refused")
  func inMemoryVersionTooLong() throws {
    let name = "1234567890123456789012345_huge.sql"
    let error = try #require(throws: MigrationSourceError.self) {
      try MigrationSource(files: [(name: name, contents: Self.create)])
    }
    #expect(error == .versionTooLong(file: name))
  }

  @Test("'-- depends:' may stand above the up marker, with the file's leading comments")
  func dependsInPreamble() throws {
    let migration = try parse(
      "-- Adds t.\n-- depends: 0001_users\n-- migrate:up\n-- depends: 0002_x\n"
        + Self.create + "-- migrate:down\n")
    #expect(migration.dependencies == ["0001_users", "0002_x"])
  }

  @Test("'-- depends:' in the down section is refused, naming the line")
  func dependsInDown() throws {
    let error = #expect(throws: MigrationSourceError.self) {
      try parse(
        "-- migrate:up\n" + Self.create + "-- migrate:down\n-- depends: 0001_a\nDROP TABLE t;\n")
    }
    guard case .badDirective(_, let line, let message)? = error else {
      Issue.record("unexpected \(String(describing: error))")
      return
    }
    #expect(message.contains("top of the up section"))
    #expect(line == 4)
  }

  @Test("a table named 'trigger' does not hide a later COMMIT")
  func tableNamedTrigger() throws {
    let migration = try parse(
      "-- migrate:up\nBEGIN;\nCREATE TABLE \"trigger\" (x);\nCOMMIT;\n-- migrate:down\n")
    #expect(migration.transactionMode == .outside(reason: "manages its own transaction (BEGIN)"))
    let statements = SQLScanner.statements(in: "CREATE TABLE trigger (x);\nCOMMIT;\n")
    #expect(statements.map(\.leadingWords) == [["CREATE", "TABLE"], ["COMMIT"]])
  }
}
