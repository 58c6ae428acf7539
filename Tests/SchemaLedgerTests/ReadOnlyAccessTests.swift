import Foundation
import Testing

@testable import SchemaLedger

/// Runs the built tool as the user `nobody` (`setpriv`), for what root cannot see: a
/// folder it may not write to. Available when the tests run as root and `nobody` can
/// reach the binary.
enum OtherUser {
  static let setpriv = URL(fileURLWithPath: "/usr/bin/setpriv")
  static let options = ["--reuid=65534", "--regid=65534", "--clear-groups"]

  static let available: Bool = {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv.path) else {
      return false
    }
    let probe = try? ToolProcess.start(
      options + [ToolProcess.binary.path, "--version"],
      in: FileManager.default.temporaryDirectory, executable: setpriv
    ).wait()
    return probe?.status == 0
  }()

  /// Runs `schemaledger arguments` as `nobody` in `directory`.
  static func run(_ arguments: [String], in directory: URL) throws -> ToolProcess.Result {
    try ToolProcess.start(
      options + [ToolProcess.binary.path] + arguments, in: directory, executable: setpriv
    ).wait()
  }
}

@Suite("Reading without write access", .serialized)
struct ReadOnlyAccessTests {
  /// Applies `001_a`, then copies the database as a writer killed in the middle of a
  /// transaction leaves it: part of the uncommitted transaction (a table `uncommitted`)
  /// written into the file, and the hot journal beside it. Returns the copy's path, in
  /// `folder`.
  static func hotJournalCopy(_ fixture: Fixture, into folder: URL) throws -> String {
    try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
    try fixture.ledger().migrate()
    try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
    let writer = try SQLiteConnection(path: fixture.databasePath)
    try writer.execute("PRAGMA cache_size = 2")  // spill the transaction into the file
    try writer.beginImmediate()
    try writer.executeScript(
      """
      CREATE TABLE uncommitted (x);
      WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)
      INSERT INTO uncommitted SELECT randomblob(100) FROM c;
      """)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let copy = folder.appendingPathComponent("app.sqlite").path
    for suffix in ["", "-journal"] {
      try FileManager.default.copyItem(
        atPath: fixture.databasePath + suffix, toPath: copy + suffix)
    }
    writer.rollback()
    return copy
  }

  /// The bytes of the database and its journal, and the folder's entries.
  static func snapshot(_ path: String) throws -> [String: Data] {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: folder.path)
    where !name.hasPrefix(".out-") && !name.hasPrefix(".err-") {
      let file = folder.appendingPathComponent(name)
      files[name] = PathName.isDirectory(file.path) ? Data() : try Data(contentsOf: file)
    }
    return files
  }

  @Test("a hot journal that cannot be rolled back is named, without advising a read-only command")
  func hotJournalReadOnlyConnection() throws {
    try withFixture { fixture in
      let copy = try Self.hotJournalCopy(
        fixture, into: fixture.directory.appendingPathComponent("copy"))
      let before = try Self.snapshot(copy)
      // Root may write anywhere: open the way SQLite sees a file it may not write.
      let ledger = SchemaMigrator(
        databasePath: "file:\(copy)?mode=ro", migrationsDirectory: fixture.migrations.path)
      let calls: [(String, () throws -> Void)] = [
        ("status", { _ = try ledger.status() }), ("history", { _ = try ledger.history() }),
        ("verify", { _ = try ledger.verify() }), ("migrate", { try ledger.migrate() }),
      ]
      for (name, call) in calls {
        do {
          try call()
          Issue.record("\(name) read past a hot journal")
        } catch let error as SQLiteError {
          guard case .hotJournal(_, let journal) = error else {
            Issue.record("\(name): \(error)")
            continue
          }
          #expect(journal == copy + "-journal")
          let message = String(describing: error)
          #expect(message.contains("hot journal '\(copy)-journal'"), "\(message)")
          #expect(message.contains("as a user who can write to both"))
          #expect(!message.contains("need no write access"))
        }
      }
      #expect(try Self.snapshot(copy) == before)
      // A writer rolls the journal back; what it undid is never reported.
      let report = try SchemaMigrator(
        databasePath: copy, migrationsDirectory: fixture.migrations.path
      ).status()
      #expect(report.entries.map(\.state) == [.applied, .pending])
      #expect(!FileManager.default.fileExists(atPath: copy + "-journal"))
      let tables = try SQLiteConnection(path: copy, mode: .readOnly)
      var names: [String] = []
      try tables.query("SELECT name FROM sqlite_master WHERE name = 'uncommitted'", []) {
        names.append($0.text(0) ?? "")
      }
      #expect(names.isEmpty)
    }
  }

  @Test(
    "status, history and verify as a user who cannot write the folder: the hot journal is named",
    .enabled(if: OtherUser.available))
  func hotJournalOtherUser() throws {
    try withFixture { fixture in
      let copy = try Self.hotJournalCopy(
        fixture, into: fixture.directory.appendingPathComponent("ro"))
      for writableFiles in [false, true] {
        if writableFiles {
          // The files are the user's own; only the folder is not: SQLite would roll the
          // journal back into the file, then fail to delete the journal.
          for suffix in ["", "-journal"] { #expect(chown(copy + suffix, 65534, 65534) == 0) }
        }
        let before = try Self.snapshot(copy)
        for command in [["status"], ["history"], ["verify"], ["apply"]] {
          let result = try OtherUser.run(
            command + ["-d", copy, "-m", fixture.migrations.path], in: fixture.directory)
          #expect(result.status == 1, "\(command): \(result.stderr)")
          #expect(
            result.stderr.contains("left the hot journal '\(copy)-journal'"), "\(result.stderr)")
          #expect(result.stderr.contains("may not write to the file or to its folder"))
          #expect(!result.stderr.contains("need no write access"))
          #expect(!result.stderr.contains("disk I/O error"))
          #expect(try Self.snapshot(copy) == before, "\(command) changed the files")
        }
      }
      // Root can write: the journal is rolled back and status answers.
      let rolledBack = try ToolProcess.run(
        ["status", "-d", copy, "-m", fixture.migrations.path], in: fixture.directory)
      #expect(rolledBack.status == 0, "\(rolledBack.stderr)")
      #expect(rolledBack.stdout.contains("1 pending"))
    }
  }

  @Test(
    "a WAL database whose -wal and -shm cannot be created is named as such for a reader",
    .enabled(if: OtherUser.available))
  func walWithoutFilesOtherUser() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try SQLiteConnection(path: fixture.databasePath).execute("PRAGMA journal_mode = WAL")
      #expect(try fixture.cli(["apply"]).status == 0)
      try FileManager.default.removeItem(atPath: fixture.databasePath + "-schemaledger-lock")
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath + "-wal"))
      let before = try Self.snapshot(fixture.databasePath)
      for command in [["status"], ["history"], ["verify"], ["apply"]] {
        let result = try OtherUser.run(
          command + ["-d", fixture.databasePath, "-m", fixture.migrations.path],
          in: fixture.directory)
        #expect(result.status == 1, "\(command): \(result.stderr)")
        for word in [
          "it is in WAL mode", "'\(fixture.databasePath)-wal' and '\(fixture.databasePath)-shm'",
          "may not create them in the folder '\(fixture.directory.path)'",
          "while the application has the database open",
        ] {
          #expect(result.stderr.contains(word), "\(command): '\(word)' not in \(result.stderr)")
        }
        #expect(!result.stderr.contains("need no write access"))
        #expect(try Self.snapshot(fixture.databasePath) == before)
      }
    }
  }

  @Test(
    "a WAL database whose -wal and -shm exist is read by a user who cannot write them",
    .enabled(if: OtherUser.available))
  func walWithFilesOtherUser() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try SQLiteConnection(path: fixture.databasePath).execute("PRAGMA journal_mode = WAL")
      #expect(try fixture.cli(["apply"]).status == 0)
      // An application keeps the database open, so the next run's commit stays in the WAL.
      let application = try SQLiteConnection(path: fixture.databasePath)
      try application.execute("PRAGMA wal_autocheckpoint = 0")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      #expect(try fixture.cli(["apply"]).status == 0)
      let folder = fixture.directory.appendingPathComponent("ro")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
      let copy = folder.appendingPathComponent("app.sqlite").path
      for suffix in ["", "-wal", "-shm"] {
        try FileManager.default.copyItem(
          atPath: fixture.databasePath + suffix, toPath: copy + suffix)
      }
      withExtendedLifetime(application) {}
      let result = try OtherUser.run(
        ["status", "-d", copy, "-m", fixture.migrations.path], in: fixture.directory)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("0 pending"), "\(result.stdout)")
    }
  }
}
