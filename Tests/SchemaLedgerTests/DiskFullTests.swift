import Foundation
import Testing

@testable import SchemaLedger

/// Running out of room: the file size limit (`ulimit -f`, `RLIMIT_FSIZE`) of the process
/// stands in for a full disk, as both make a write fail (`EFBIG`, `ENOSPC`).
@Suite("A full disk, a file size limit", .serialized, .timeLimit(.minutes(1)))
struct DiskFullTests {
  /// Runs the tool through `/bin/sh` with its file size limit set to about `bytes`
  /// (`ulimit -f` counts 512-byte blocks in dash, 1024-byte blocks in bash: the tests
  /// leave room for either).
  static func runLimited(_ arguments: [String], bytes: Int, _ fixture: Fixture) throws
    -> ToolProcess.Result
  {
    try ToolProcess.start(
      ["-c", "ulimit -f \(bytes / 512) && exec \"$0\" \"$@\"", ToolProcess.binary.path]
        + arguments + ["-d", fixture.databasePath, "-m", fixture.migrations.path],
      in: fixture.directory, executable: URL(fileURLWithPath: "/bin/sh")
    ).wait()
  }

  static func size(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }

  /// A migration that writes about 5 MB.
  static let bigInsert = """
    CREATE TABLE big (x BLOB);
    WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000)
    INSERT INTO big SELECT randomblob(1000) FROM c;
    """

  /// Hidden rehearsal copies left in the fixture folder.
  static func rehearsalCopies(_ fixture: Fixture) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
      .filter { $0.contains("-schemaledger-rehearsal-") }
  }

  @Test("a migration that outgrows the file size limit: a database error, named, not the SQL's")
  func migrationHitsLimit() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(try fixture.cli(["apply"]).status == 0)
      try fixture.migration("002_big.sql", Self.bigInsert)
      let limit = try Self.size(fixture.databasePath) + 256 * 1024
      let result = try Self.runLimited(["apply"], bytes: limit, fixture)
      #expect(result.status == 1, "\(result.stderr)")
      for word in [
        "SQLite could not use database '\(fixture.databasePath)'",
        "the file size limit of this process was reached", "ulimit -f",
        "Migration 002_big was running; its transaction was rolled back",
        "recorded as failed with detail 'database error'", "run 'schemaledger apply' again",
      ] {
        #expect(result.stderr.contains(word), "'\(word)' not in \(result.stderr)")
      }
      #expect(!result.stderr.contains("Fix the statement"))
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.migration == "002_big")
      #expect(failed.detail == "database error")
      #expect(failed.error?.contains("file size limit") == true)
      #expect(try fixture.schemaObjects() == ["table a"])
      #expect(try fixture.ledger().verify().isClean)
      // With room again, the same file applies.
      #expect(try fixture.cli(["apply"]).status == 0)
      #expect(try fixture.query("SELECT count(*) FROM big") == ["5000"])
    }
  }

  @Test("a migration outside a transaction that outgrows the limit is recorded as partly done")
  func migrationOutsideTransactionHitsLimit() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      #expect(try fixture.cli(["apply"]).status == 0)
      try fixture.migration(
        "002_big.sql", "-- migrate:up transaction:false\n" + Self.bigInsert)
      let limit = try Self.size(fixture.databasePath) + 256 * 1024
      let result = try Self.runLimited(["apply"], bytes: limit, fixture)
      #expect(result.status == 1, "\(result.stderr)")
      #expect(result.stderr.contains("the file size limit of this process was reached"))
      #expect(result.stderr.contains("running outside a transaction"))
      #expect(result.stderr.contains("'schemaledger resolve'"))
      #expect(!result.stderr.contains("Fix the statement"))
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.detail == "database error")
      #expect(failed.transactional == false)
      #expect(try fixture.ledger().ledgerState().migrations["002_big"]?.mayBePartlyDone == true)
    }
  }

  @Test(
    "a rehearsal copy that outgrows the limit says so, leaves no copy, records nothing",
    arguments: [["rollback"], ["apply", "--rehearse"]])
  func rehearsalCopyHitsLimit(command: [String]) throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_big.sql", Fixture.dbmate(up: Self.bigInsert, down: "DROP TABLE big;"))
      #expect(try fixture.cli(["apply"]).status == 0)
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      let rows = try fixture.ledgerRows()
      let size = try Self.size(fixture.databasePath)
      let result = try Self.runLimited(command, bytes: size / 5, fixture)
      #expect(result.status == 1, "\(result.stderr)")
      for word in [
        "The scratch copy of '\(fixture.databasePath)' for the rehearsal",
        "failed as it was being made", "the file size limit of this process was reached",
        "The copy was removed, the real database was not touched",
      ] {
        #expect(result.stderr.contains(word), "'\(word)' not in \(result.stderr)")
      }
      #expect(!result.stderr.contains("failed at"))
      #expect(try Self.rehearsalCopies(fixture).isEmpty)
      #expect(try fixture.ledgerRows() == rows)
      #expect(try fixture.schemaObjects() == ["table big"])
    }
  }

  @Test("storage failures are described with the path, the cause and what to free")
  func messages() {
    let full = SQLiteError.storageFailed(
      path: "/srv/app.sqlite", code: 13, message: "database or disk is full", systemError: 0)
    #expect(full.isDatabaseFailure)
    #expect(
      full.description.contains(
        "the disk is full: the file system holding '/srv' has no space left"))
    #expect(full.description.contains("df /srv"))
    let io = SQLiteError.storageFailed(
      path: "/srv/app.sqlite", code: 10 | (3 << 8), message: "disk I/O error", systemError: EIO)
    #expect(io.description.contains("a disk I/O error (SQLITE_IOERR_WRITE: Input/output error)"))
    #expect(!io.description.contains("Fix"))
  }
}
