import Foundation
import Testing

@testable import SchemaLedger

@Suite("Migration file creator")
struct MigrationFileCreatorTests {
  /// 2026-11-25T09:30:00Z.
  static let now = Date(timeIntervalSince1970: 1_795_599_000)
  static let template = "-- migrate:up\n\n\n-- migrate:down\n\n"
  static let filled =
    "-- migrate:up\nCREATE TABLE t (id INTEGER);\n-- migrate:down\nDROP TABLE t;\n"

  /// The names of the entries in `dir`, sorted.
  func entries(_ dir: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
  }

  // MARK: - Names

  @Test(
    "Names are slugged to lowercase words joined by underscores",
    arguments: [
      ("Add User-Email", "add_user_email"),
      ("  add   users  ", "add_users"),
      ("already_snake_case", "already_snake_case"),
      ("--Drop--Legacy--Tables--", "drop_legacy_tables"),
      ("v2 API keys", "v2_api_keys"),
      ("index users(email)", "index_users_email"),
    ])
  func slug(name: String, slug: String) {
    #expect(MigrationFileCreator.slug(name) == slug)
  }

  @Test(
    "A name with no letters or digits is refused and creates nothing",
    arguments: ["", "   ", "-_-"])
  func invalidName(_ name: String) throws {
    try withTemporaryDirectory { dir in
      let folder = dir.appendingPathComponent("migrations").path
      let error = try #require(throws: MigrationSourceError.self) {
        try MigrationFileCreator.create(name: name, in: folder, style: .sequential)
      }
      #expect(error == .invalidName(name))
      let message = String(describing: error)
      #expect(message.contains("'\(name)' cannot name a migration"))
      #expect(message.contains("for example add_user_email"))
      #expect(!FileManager.default.fileExists(atPath: folder))
    }
  }

  // MARK: - Versions

  @Test("The first sequential migration is 001 and holds empty up and down sections")
  func firstSequential() throws {
    try withTemporaryDirectory { dir in
      let path = try MigrationFileCreator.create(
        name: "Add User-Email", in: dir.path, style: .sequential, now: Self.now)
      #expect(path == dir.path + "/001_add_user_email.sql")
      #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.template)
      #expect(try entries(dir) == ["001_add_user_email.sql"])
    }
  }

  @Test(
    "Sequential versions follow the highest and keep the folder's zero padding",
    arguments: [
      ("001_a.sql", "002_next.sql"),
      ("0009_a.sql", "0010_next.sql"),
      ("099_a.sql", "100_next.sql"),
      ("999_a.sql", "1000_next.sql"),
      ("7_a.sql", "008_next.sql"),
    ])
  func sequentialPadding(existing: String, expected: String) throws {
    try withTemporaryDirectory { dir in
      try dir.write(existing, Self.filled)
      let path = try MigrationFileCreator.create(
        name: "next", in: dir.path, style: .sequential, now: Self.now)
      #expect(path == dir.path + "/" + expected)
    }
  }

  @Test("Timestamp versions are the UTC time as yyyymmddHHMMSS")
  func timestamp() throws {
    try withTemporaryDirectory { dir in
      let path = try MigrationFileCreator.create(
        name: "create users", in: dir.path, style: .timestamp, now: Self.now)
      #expect(path == dir.path + "/20261125093000_create_users.sql")
    }
  }

  @Test("A timestamp never goes below the highest version")
  func timestampAfterFutureVersion() throws {
    try withTemporaryDirectory { dir in
      try dir.write("20991231235959_later.sql", Self.filled)
      let path = try MigrationFileCreator.create(
        name: "x", in: dir.path, style: .timestamp, now: Self.now)
      #expect(path == dir.path + "/20991231235960_x.sql")
    }
  }

  @Test(
    "Without a style, the folder's style is followed",
    arguments: [
      ([], "20261125093000_next.sql"),
      (["001_a.sql"], "002_next.sql"),
      (["001_a.sql", "0002_b.sql"], "0003_next.sql"),
      (["20240101000000_a.sql"], "20261125093000_next.sql"),
    ] as [([String], String)])
  func inferredStyle(existing: [String], expected: String) throws {
    try withTemporaryDirectory { dir in
      for name in existing { try dir.write(name, Self.filled) }
      let path = try MigrationFileCreator.create(
        name: "next", in: dir.path, style: nil, now: Self.now)
      #expect(path == dir.path + "/" + expected)
    }
  }

  // MARK: - Folders

  @Test("A missing migrations folder is created")
  func createsFolder() throws {
    try withTemporaryDirectory { dir in
      let folder = dir.appendingPathComponent("db/migrations").path
      let path = try MigrationFileCreator.create(
        name: "init", in: folder, style: .sequential, now: Self.now)
      #expect(path == folder + "/001_init.sql")
      #expect(FileManager.default.fileExists(atPath: path))
    }
  }

  @Test("A folder that cannot be created is reported with its path")
  func cannotCreateFolder() throws {
    try withTemporaryDirectory { dir in
      let blocker = try dir.write("not-a-folder", "plain file\n")
      let folder = blocker.path + "/migrations"
      let error = try #require(throws: MigrationSourceError.self) {
        try MigrationFileCreator.create(name: "init", in: folder, style: .sequential)
      }
      guard case .cannotCreate(let file, _) = error else {
        Issue.record("expected .cannotCreate, got \(error)")
        return
      }
      #expect(file == folder)
      #expect(String(describing: error).hasPrefix("Cannot create \(folder): "))
      #expect(String(describing: error).hasSuffix("Check the folder exists and is writable."))
    }
  }

  // MARK: - The new file

  @Test("A new file must be filled in: the untouched template is refused as not written yet")
  func newFileIsEmpty() throws {
    try withTemporaryDirectory { dir in
      let path = try MigrationFileCreator.create(
        name: "add email", in: dir.path, style: .sequential, now: Self.now)
      let error = try #require(throws: MigrationSourceError.self) {
        try MigrationSource(directory: dir.path)
      }
      #expect(error == .notWrittenYet(file: path))
      let message = String(describing: error)
      #expect(message.hasPrefix(path + ": not written yet"))
      #expect(message.contains("write the migration's SQL after '-- migrate:up'"))
    }
  }

  @Test("Once filled in, the new file is a reversible, wrapped migration")
  func newFileFilledIn() throws {
    try withTemporaryDirectory { dir in
      let path = try MigrationFileCreator.create(
        name: "add email", in: dir.path, style: .sequential, now: Self.now)
      let template = try String(contentsOfFile: path, encoding: .utf8)
      let text =
        template
        .replacingOccurrences(
          of: "-- migrate:up\n", with: "-- migrate:up\nALTER TABLE users ADD COLUMN email TEXT;\n"
        )
        .replacingOccurrences(
          of: "-- migrate:down\n", with: "-- migrate:down\nALTER TABLE users DROP COLUMN email;\n")
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      let migration = try #require(try MigrationSource(directory: dir.path).migrations.first)
      #expect(migration.id == "001_add_email")
      #expect(migration.version == 1)
      #expect(migration.name == "add_email")
      #expect(migration.upSQL.hasPrefix("ALTER TABLE users ADD COLUMN email TEXT;\n"))
      #expect(migration.downSQL?.hasPrefix("ALTER TABLE users DROP COLUMN email;\n") == true)
      #expect(migration.isReversible)
      #expect(migration.transactionMode == .wrapped)
      #expect(migration.upLocation == SourceLocation(file: path, line: 2))
    }
  }

  // MARK: - Several at once

  @Test("A file that appears with the same name just before creating is never replaced")
  func sameNameAppears() throws {
    try withTemporaryDirectory { dir in
      try dir.write("001_a.sql", Self.filled)
      var calls: [String] = []
      let path = try MigrationFileCreator.create(
        name: "x", in: dir.path, style: .sequential, now: Self.now
      ) { path in
        calls.append(path)
        if calls.count == 1 { _ = FileManager.default.createFile(atPath: path, contents: nil) }
      }
      #expect(calls == [dir.path + "/002_x.sql", dir.path + "/003_x.sql"])
      #expect(path == dir.path + "/003_x.sql")
      #expect(try String(contentsOfFile: dir.path + "/002_x.sql", encoding: .utf8).isEmpty)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.template)
    }
  }

  @Test("When another file takes the same version meanwhile, the new one steps back and retries")
  func sameVersionAppears() throws {
    try withTemporaryDirectory { dir in
      try dir.write("001_a.sql", Self.filled)
      var calls = 0
      let path = try MigrationFileCreator.create(
        name: "x", in: dir.path, style: .sequential, now: Self.now
      ) { _ in
        calls += 1
        if calls == 1 { _ = try? dir.write("002_rival.sql", Self.filled) }
      }
      #expect(path == dir.path + "/003_x.sql")
      #expect(try entries(dir) == ["001_a.sql", "002_rival.sql", "003_x.sql"])
    }
  }

  @Test("A rival that keeps taking every version ends in a clear error, leaving nothing")
  func rivalAlwaysFirst() throws {
    try withTemporaryDirectory { dir in
      let error = try #require(throws: MigrationSourceError.self) {
        try MigrationFileCreator.create(
          name: "x", in: dir.path, style: .sequential, now: Self.now
        ) { path in
          let rival = path.replacingOccurrences(of: "_x.sql", with: "_rival.sql")
          _ = FileManager.default.createFile(atPath: rival, contents: Data(Self.filled.utf8))
        }
      }
      #expect(String(describing: error).contains("other processes kept taking the next version"))
      #expect(try entries(dir).allSatisfy { $0.hasSuffix("_rival.sql") })
    }
  }

  @Test("A second new file can be created before the first is filled in")
  func twoNewFilesInARow() throws {
    try withTemporaryDirectory { dir in
      let first = try MigrationFileCreator.create(
        name: "create users", in: dir.path, style: .sequential, now: Self.now)
      let second = try MigrationFileCreator.create(
        name: "create posts", in: dir.path, style: .sequential, now: Self.now)
      #expect(first == dir.path + "/001_create_users.sql")
      #expect(second == dir.path + "/002_create_posts.sql")
    }
  }
}
