import Foundation
import Testing

@testable import SchemaLedger

@Suite("Migration directory")
struct MigrationDirectoryTests {
  static let create = "CREATE TABLE t (id INTEGER);\n"
  static let reversible =
    "-- migrate:up\nCREATE TABLE t (id INTEGER);\n-- migrate:down\nDROP TABLE t;\n"

  /// Reads the folder and returns the error it throws.
  func sourceError(_ directory: String) throws -> MigrationSourceError {
    try #require(throws: MigrationSourceError.self) {
      try MigrationSource(directory: directory)
    }
  }

  // MARK: - Versions

  @Test("Versions compare numerically, not as text")
  func numericOrder() throws {
    try withTemporaryDirectory { dir in
      try dir.write("10_b.sql", Self.create)
      try dir.write("9_a.sql", Self.create)
      try dir.write("0100_c.sql", Self.create)
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.map(\.id) == ["9_a", "10_b", "0100_c"])
      #expect(source.migrations.map(\.version) == [9, 10, 100])
      #expect(source.migrations.map(\.name) == ["a", "b", "c"])
      #expect(
        source.migrations[0].upLocation == SourceLocation(file: dir.path + "/9_a.sql", line: 1))
    }
  }

  @Test("'001_x' and '1_y' are the same version")
  func duplicateVersion() throws {
    try withTemporaryDirectory { dir in
      try dir.write("001_x.sql", Self.create)
      try dir.write("1_y.sql", Self.create)
      try dir.write("2_z.sql", Self.create)
      let error = try sourceError(dir.path)
      let files = [dir.path + "/001_x.sql", dir.path + "/1_y.sql"]
      #expect(error == .duplicateVersion(version: 1, files: files))
      let message = String(describing: error)
      #expect(message.contains("Version 1 "))
      #expect(message.contains(files[0]) && message.contains(files[1]))
      #expect(message.contains("Nothing was applied"))
      #expect(message.contains("give each migration its own version"))
    }
  }

  @Test("A version with 25 digits does not fit and is refused")
  func versionTooLong() throws {
    try withTemporaryDirectory { dir in
      let file = try dir.write("1234567890123456789012345_huge.sql", Self.create)
      let error = try sourceError(dir.path)
      #expect(error == .versionTooLong(file: file.path))
      let message = String(describing: error)
      #expect(message.contains(file.path))
      #expect(message.contains("Nothing was applied; use a shorter version"))
    }
  }

  @Test("The largest 64-bit version is accepted, one more is too long")
  func versionLimit() throws {
    try withTemporaryDirectory { dir in
      try dir.write("9223372036854775807_max.sql", Self.create)
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.map(\.version) == [MigrationVersion(Int64.max)])

      let file = try dir.write("9223372036854775808_over.sql", Self.create)
      #expect(try sourceError(dir.path) == .versionTooLong(file: file.path))
    }
  }

  @Test("A version starts with a digit: '-1' is no version, not version 1")
  func negativeVersion() throws {
    for text in ["-1", "-3", "-", "-1.2", "-2024-03-13-170000", "+1", " 1"] {
      #expect(MigrationVersion(text) == nil, "\(text)")
    }
    #expect(MigrationVersion("2024-03-13-170000") == MigrationVersion(20_240_313_170_000))
    #expect(MigrationVersion("0") == MigrationVersion(0))
    let source = try MigrationSource(files: [("001_a.sql", "CREATE TABLE a (x);")])
    #expect(source.migration("1")?.id == "001_a")
    #expect(source.migration("-1") == nil)
  }

  // MARK: - golang-migrate pairs

  @Test("A golang-migrate pair is one reversible migration")
  func golangMigratePair() throws {
    try withTemporaryDirectory { dir in
      let up = try dir.write("1_users.up.sql", "CREATE TABLE users (id INTEGER);\n")
      let down = try dir.write("1_users.down.sql", "DROP TABLE users;\n")
      let source = try MigrationSource(directory: dir.path)
      let migration = try #require(source.migrations.first)
      #expect(source.migrations.count == 1)
      #expect(migration.id == "1_users")
      #expect(migration.version == 1)
      #expect(migration.name == "users")
      #expect(migration.upSQL == "CREATE TABLE users (id INTEGER);\n")
      #expect(migration.downSQL == "DROP TABLE users;\n")
      #expect(migration.checksum == SHA256.hexDigest(migration.upSQL))
      #expect(migration.transactionMode == .wrapped)
      #expect(migration.upLocation == SourceLocation(file: up.path, line: 1))
      #expect(migration.downLocation == SourceLocation(file: down.path, line: 1))
      #expect(source.ignoredFiles.isEmpty)
    }
  }

  @Test("An up file alone is an irreversible migration; an empty down file undoes nothing")
  func golangMigrateUpOnly() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_a.up.sql", "CREATE TABLE a (id INTEGER);\n")
      try dir.write("2_b.up.sql", "CREATE TABLE b (id INTEGER);\n")
      try dir.write("2_b.down.sql", "")
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.map(\.id) == ["1_a", "2_b"])
      #expect(source.migrations[0].downSQL == nil)
      #expect(!source.migrations[0].isReversible)
      #expect(source.migrations[0].downLocation == nil)
      #expect(source.migrations[1].downSQL == "")
      #expect(source.migrations[1].isReversible)
    }
  }

  @Test("A down file without its up file is refused")
  func golangMigrateDownAlone() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_a.up.sql", Self.create)
      let down = try dir.write("2_b.down.sql", "DROP TABLE b;\n")
      let error = try sourceError(dir.path)
      #expect(error == .downWithoutUp(file: down.path))
      let message = String(describing: error)
      #expect(message.contains(down.path))
      #expect(message.contains("Nothing was applied; add the up section"))
    }
  }

  @Test("An up file's SQL can still manage its own transaction")
  func golangMigrateOutside() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_vacuum.up.sql", "VACUUM;\n")
      let migration = try #require(try MigrationSource(directory: dir.path).migrations.first)
      #expect(
        migration.transactionMode == .outside(reason: "VACUUM cannot run inside a transaction"))
    }
  }

  // MARK: - diesel folders

  @Test("A diesel folder is one migration named after the folder")
  func dieselFolder() throws {
    try withTemporaryDirectory { dir in
      let folder = "2024-03-13-170000_create_users"
      let up = try dir.write(folder + "/up.sql", "CREATE TABLE users (id INTEGER);\n")
      let down = try dir.write(folder + "/down.sql", "DROP TABLE users;\n")
      let source = try MigrationSource(directory: dir.path)
      let migration = try #require(source.migrations.first)
      #expect(source.migrations.count == 1)
      #expect(migration.id == folder)
      #expect(migration.version == 20_240_313_170_000)
      #expect(migration.name == "create_users")
      #expect(migration.upSQL == "CREATE TABLE users (id INTEGER);\n")
      #expect(migration.downSQL == "DROP TABLE users;\n")
      #expect(migration.transactionMode == .wrapped)
      #expect(migration.upLocation == SourceLocation(file: up.path, line: 1))
      #expect(migration.downLocation == SourceLocation(file: down.path, line: 1))
      #expect(source.ignoredFiles.isEmpty)
    }
  }

  @Test("metadata.toml with 'run_in_transaction = false' runs the folder outside")
  func dieselOutsideTransaction() throws {
    try withTemporaryDirectory { dir in
      try dir.write("2024-03-13-170000_a/up.sql", "CREATE INDEX a_idx ON a(x);\n")
      try dir.write("2024-03-13-170000_a/metadata.toml", "run_in_transaction = false\n")
      try dir.write("2024-03-14-080000_b/up.sql", "CREATE INDEX b_idx ON b(x);\n")
      try dir.write("2024-03-14-080000_b/metadata.toml", "run_in_transaction=true\n")
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.map(\.version) == [20_240_313_170_000, 20_240_314_080_000])
      #expect(
        source.migrations[0].transactionMode
          == .outside(reason: "marked run_in_transaction = false in metadata.toml"))
      #expect(source.migrations[1].transactionMode == .wrapped)
      #expect(!source.migrations[0].isReversible)
    }
  }

  @Test("A diesel folder with only down.sql is refused; an empty one is ignored")
  func dieselDownAlone() throws {
    try withTemporaryDirectory { dir in
      let down = try dir.write("2024-03-13-170000_a/down.sql", "DROP TABLE a;\n")
      let folder = dir.path + "/2024-03-13-170000_a"
      #expect(
        try sourceError(dir.path)
          == .unplaceable(
            path: folder, layout: .sqlFiles,
            looksLike: "a diesel folder, but it has down.sql and no up.sql"))

      try FileManager.default.removeItem(at: down)
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.isEmpty)
      #expect(source.ignoredFiles == [dir.path + "/2024-03-13-170000_a"])
    }
  }

  // MARK: - Entries that are not migrations

  @Test("Files that are not migrations are skipped; those SchemaLedger does not know are listed")
  func ignoredFiles() throws {
    try withTemporaryDirectory { dir in
      try dir.write("README.md", "# Migrations\n")
      try dir.write("atlas.sum", "h1:abc=\n")
      try dir.write("00002_rename_root.go", "package migrations\n")
      try dir.write("fixtures/users.csv", "id\n1\n")
      try dir.write("1_a.sql", Self.create)
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.map(\.id) == ["1_a"])
      #expect(
        source.ignoredFiles
          == ["00002_rename_root.go", "README.md", "atlas.sum", "fixtures"].map {
            dir.path + "/" + $0
          })
      #expect(
        source.unknownEntries
          == ["00002_rename_root.go", "fixtures"].map { dir.path + "/" + $0 })
    }
  }

  @Test("A .sql file that fits no layout is an error naming it, the layout and the fix")
  func unplaceableSQL() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_a.sql", Self.create)
      let notes = try dir.write("notes.sql", "SELECT 1;\n")
      let bare = try dir.write("0002.sql", "SELECT 1;\n")
      let error = try sourceError(dir.path)
      #expect(
        error
          == .several([
            .unplaceable(
              path: bare.path, layout: .sqlFiles,
              looksLike: "a migration without a name after its version (write VERSION_name.sql)"
            ),
            .unplaceable(path: notes.path, layout: .sqlFiles, looksLike: nil),
          ]))
      let message = String(describing: error)
      #expect(message.contains("Nothing was applied"))
      #expect(message.contains("flyway: V1.2__name.sql"))
    }
  }

  @Test("Hidden files and folders are skipped without a mention")
  func hiddenFiles() throws {
    try withTemporaryDirectory { dir in
      try dir.write(".DS_Store", bytes: [0x00, 0x01, 0xFF])
      try dir.write(".2_draft.sql", "-- migrate: up\n")
      try dir.write(".git/3_x.sql", Self.create)
      try dir.write("1_a.sql", Self.create)
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.map(\.id) == ["1_a"])
      #expect(source.ignoredFiles.isEmpty)
    }
  }

  @Test("An empty folder has no migrations")
  func emptyFolder() throws {
    try withTemporaryDirectory { dir in
      let source = try MigrationSource(directory: dir.path)
      #expect(source.migrations.isEmpty)
      #expect(source.ignoredFiles.isEmpty)
    }
  }

  // MARK: - Errors

  @Test("A missing folder, or a file in its place, is reported as missing")
  func directoryMissing() throws {
    try withTemporaryDirectory { dir in
      let missing = dir.path + "/migrations"
      let error = try sourceError(missing)
      #expect(error == .directoryMissing(path: missing))
      let message = String(describing: error)
      #expect(message.contains("'\(missing)' does not exist"))
      #expect(message.contains("point the migrations folder given to SchemaLedger at it"))

      let file = try dir.write("migrations.sql", Self.create)
      #expect(try sourceError(file.path) == .directoryMissing(path: file.path))
    }
  }

  @Test("A file that cannot be read is reported as unreadable")
  func unreadableFile() throws {
    try withTemporaryDirectory { dir in
      try dir.write("1_a.sql", Self.create)
      let file = try dir.write("2_b.sql", Self.create)
      #expect(chmod(file.path, 0) == 0)
      defer { chmod(file.path, 0o644) }
      if access(file.path, R_OK) == 0 {
        try Test.cancel("This user can read a file with mode 000 (running as root).")
      }
      let error = try sourceError(dir.path)
      #expect(error == .unreadable(file: file.path, reason: "permission denied"))
      let message = String(describing: error)
      #expect(message.contains(file.path))
      #expect(message.contains("Nothing was applied; fix its permissions"))
    }
  }

  @Test("Invalid UTF-8 names the file and line")
  func invalidUTF8() throws {
    try withTemporaryDirectory { dir in
      let file = try dir.write(
        "1_a.sql", bytes: Array("-- migrate:up\nSELECT 1;\nSELECT '".utf8) + [0xC3, 0x28, 0x27])
      let error = try sourceError(dir.path)
      #expect(error == .invalidUTF8(file: file.path, line: 3))
      #expect(String(describing: error).hasPrefix(file.path + ":3: not valid UTF-8."))
    }
  }

  @Test("A file saved with CRLF and a BOM has the same checksum as with LF")
  func lineEndingsOnDisk() throws {
    try withTemporaryDirectory { dir in
      let crlf = Self.reversible.utf8.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
      try dir.write("1_lf.sql", Self.reversible)
      try dir.write("2_crlf.sql", bytes: [0xEF, 0xBB, 0xBF] + crlf)
      let migrations = try MigrationSource(directory: dir.path).migrations
      #expect(migrations.count == 2)
      #expect(migrations[0].checksum == migrations[1].checksum)
      #expect(migrations[0].upSQL == migrations[1].upSQL)
      #expect(migrations[0].downSQL == migrations[1].downSQL)
    }
  }

  @Test("Every bad file is reported at once, in file order")
  func severalErrors() throws {
    try withTemporaryDirectory { dir in
      let empty = try dir.write("1_a.sql", MigrationFileCreator.template)
      let binary = try dir.write("2_b.sql", bytes: [0x53, 0x45, 0xFF])
      // Sorts between 2_b and 3_c, and is refused while the folder is walked, before
      // any file is parsed.
      let tooLong = try dir.write("3000000000000000000000000_x.sql", Self.create)
      let misspelt = try dir.write("3_c.sql", "-- migrate: up\n" + Self.create)
      let strayDown = try dir.write("4_d.down.sql", "DROP TABLE d;\n")
      try dir.write("5_e.sql", Self.create)
      let error = try sourceError(dir.path)
      #expect(
        error
          == .several([
            .notWrittenYet(file: empty.path),
            .invalidUTF8(file: binary.path, line: 1),
            .versionTooLong(file: tooLong.path),
            .misspeltMarker(
              file: misspelt.path, line: 1, text: "-- migrate: up", expected: "-- migrate:up"),
            .downWithoutUp(file: strayDown.path),
          ]))
      let message = String(describing: error)
      #expect(message.hasPrefix("5 problems in the migrations folder:\n"))
      for file in [empty, binary, tooLong, misspelt, strayDown] {
        #expect(message.contains("  - " + file.path))
      }
      #expect(message.components(separatedBy: "Nothing was applied").count == 6)
    }
  }

  // MARK: - The bundled migrations

  @Test("The bundled migrations folder holds four reversible, wrapped migrations")
  func bundledMigrations() throws {
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("migrations").path
    let source = try MigrationSource(directory: folder)
    #expect(source.migrations.map(\.version) == [1, 2, 3, 4])
    #expect(
      source.migrations.map(\.id) == [
        "001_zero_trust_schema", "002_add_user_status", "003_index_sessions_active",
        "004_active_sessions_view",
      ])
    for migration in source.migrations {
      #expect(migration.isReversible, "\(migration.id)")
      #expect(migration.transactionMode == .wrapped, "\(migration.id)")
      #expect(migration.dependencies.isEmpty, "\(migration.id)")
      #expect(migration.checksum == SHA256.hexDigest(migration.upSQL), "\(migration.id)")
      #expect(migration.upLocation.file == folder + "/" + migration.id + ".sql")
    }
    #expect(source.ignoredFiles.isEmpty)
  }
}
