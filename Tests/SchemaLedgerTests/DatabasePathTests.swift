import Foundation
import Testing

@testable import SchemaLedger

/// Paths that are not a database file: each is named for what it is, with what to do, and
/// nothing is created or changed (no journal, no run-lock file, no database).
@Suite("Database paths that are not a database file", .timeLimit(.minutes(1)))
struct DatabasePathTests {
  /// The fixture folder's entries, without the output files `ToolProcess` writes there.
  private func entries(_ fixture: Fixture) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path)
      .filter { !$0.hasPrefix(".out-") && !$0.hasPrefix(".err-") }.sorted()
  }

  /// Runs `command` with `--database path`; checks exit 1, that stderr has every one of
  /// `words`, and that the fixture folder is as it was.
  private func expectRefused(
    _ command: [String], database path: String, _ fixture: Fixture, words: [String],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    let before = try entries(fixture)
    let result = try ToolProcess.run(
      command + ["-d", path, "-m", fixture.migrations.path], in: fixture.directory)
    #expect(result.status == 1, "\(command): \(result.stderr)", sourceLocation: sourceLocation)
    for word in words {
      #expect(
        result.stderr.contains(word), "\(command): '\(word)' not in \(result.stderr)",
        sourceLocation: sourceLocation)
    }
    #expect(try entries(fixture) == before, "\(command)", sourceLocation: sourceLocation)
  }

  @Test("/dev/null is a device: refused by apply and status, nothing written beside it")
  func devNull() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      for command in [
        ["apply"], ["status"], ["history"], ["verify"], ["baseline", "--to", "1", "--reason", "r"],
      ] {
        try expectRefused(
          command, database: "/dev/null", fixture,
          words: ["'/dev/null' is a character device, not a database file", "Nothing was"])
      }
      for suffix in ["-journal", "-wal", "-shm", "-schemaledger-lock"] {
        #expect(!FileManager.default.fileExists(atPath: "/dev/null" + suffix))
      }
    }
  }

  @Test("a folder given as the database is named as a folder, with an example path")
  func folder() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let folder = fixture.directory.appendingPathComponent("data").path
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
      for command in [["apply"], ["status"], ["verify"]] {
        try expectRefused(
          command, database: folder, fixture,
          words: ["'\(folder)' is a folder, not a database file", "\(folder)/app.sqlite"])
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
  }

  @Test("a FIFO is refused at once instead of blocking on a read")
  func fifo() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let path = fixture.directory.appendingPathComponent("app.sqlite").path
      #expect(mkfifo(path, 0o644) == 0)
      for command in [["status"], ["apply"]] {
        try expectRefused(
          command, database: path, fixture, words: ["is a named pipe (FIFO), not a database file"])
      }
    }
  }

  @Test("a symbolic link that loops is named as such, not as a missing database")
  func symlinkLoop() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let path = fixture.directory.appendingPathComponent("loop.sqlite").path
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "loop.sqlite")
      for command in [["status"], ["apply"], ["history"]] {
        try expectRefused(
          command, database: path, fixture,
          words: ["'\(path)': it is a symbolic link that leads back to itself", "Fix the link"])
      }
    }
  }

  @Test("a file name too long for the file system is named as too long, and not created")
  func nameTooLong() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let tooLong = fixture.directory.appendingPathComponent(
        String(repeating: "n", count: 300) + ".sqlite"
      ).path
      for command in [["apply"], ["status"]] {
        try expectRefused(
          command, database: tooLong, fixture,
          words: ["its file name has 307 bytes", "at most 255", "Choose a shorter"])
      }
      // Short enough for the file, too long for the run-lock file beside it.
      let almost = fixture.directory.appendingPathComponent(
        String(repeating: "n", count: 240)
      ).path
      try expectRefused(
        ["apply"], database: almost, fixture,
        words: ["its file name has 240 bytes", "'-schemaledger-lock'", "at most 237"])
    }
  }

  @Test("a file: URI names the file of its path part")
  func uriFileName() {
    #expect(DatabasePathCheck.fileName(of: "file:/srv/app.sqlite?mode=ro") == "/srv/app.sqlite")
    #expect(DatabasePathCheck.fileName(of: "file:///srv/my%20app.sqlite") == "/srv/my app.sqlite")
    #expect(DatabasePathCheck.fileName(of: "file://localhost/srv/a.db#x") == "/srv/a.db")
    #expect(DatabasePathCheck.fileName(of: "file:app.sqlite") == "app.sqlite")
    #expect(DatabasePathCheck.fileName(of: "/srv/app.sqlite") == "/srv/app.sqlite")
  }

  @Test("garbage bytes are 'not a SQLite database', naming the path; the file is untouched")
  func garbage() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let bytes = (0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }
      let file = try fixture.directory.write("app.sqlite", bytes: bytes)
      for command in [["apply"], ["status"], ["verify"], ["history"]] {
        try expectRefused(
          command, database: file.path, fixture,
          words: [
            "'\(file.path)' is not a SQLite database (file is not a database)",
            "Nothing was changed",
          ])
      }
      #expect(try Data(contentsOf: file) == Data(bytes))
    }
  }

  @Test("a SQLite file with a damaged first page is called damaged, with what to run")
  func damaged() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.databasePath)))
      for index in 100..<4096 { bytes[index] = 0xA5 }
      try Data(bytes).write(to: URL(fileURLWithPath: fixture.databasePath))
      for command in [["apply"], ["status"]] {
        try expectRefused(
          command, database: fixture.databasePath, fixture,
          words: ["is a damaged SQLite database", "PRAGMA integrity_check", "backup"])
      }
      #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))) == bytes)
    }
  }
}
