import Foundation
import Testing

@testable import SchemaLedger

@Suite("The fast startup check")
struct StartupCheckTests {
  /// Overwrites `url` in place with `text` of the same length and puts its old
  /// timestamps back, nanoseconds included (what `touch -r` does).
  private func sneakyEdit(_ url: URL, _ text: String) throws {
    var info = stat()
    #expect(stat(url.path, &info) == 0)
    let handle = try FileHandle(forWritingTo: url)
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
    var times = [info.st_atim, info.st_mtim]
    #expect(utimensat(AT_FDCWD, url.path, &times, 0) == 0)
  }

  @Test("after a run, an unchanged folder and ledger skip reading the files")
  func skipsFiles() throws {
    try withFixture { fixture in
      let file = try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      #expect(
        try fixture.query(
          "SELECT count(*) FROM schemaledger_meta WHERE key = 'startup_check'") == ["1"])
      // Same size, same timestamps, broken content: only a full read would notice.
      try sneakyEdit(file, "CREATE TABEL a (x);")
      let report = try fixture.ledger().migrate()
      #expect(report.runID == nil && report.currentVersion == 1)
      // The full check (status, plan, or with the fast check off) reads the file.
      #expect(throws: (any Error).self) {
        try fixture.ledger { $0.fastStartupCheck = false }.migrate()
      }
    }
  }

  @Test("a new file, an edit or a new event falls back to the full check")
  func fallsBack() throws {
    try withFixture { fixture in
      let file = try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      try fixture.migration(
        "002_b.sql", Fixture.dbmate(up: "CREATE TABLE b (x);", down: "DROP TABLE b;"))
      #expect(try fixture.ledger().migrate().steps.map(\.migration) == ["002_b"])
      try Data("CREATE TABLE a (y);".utf8).write(to: file)
      #expect(throws: PlanError.self) { try fixture.ledger().migrate() }
      try Data("CREATE TABLE a (x);".utf8).write(to: file)
      #expect(try fixture.ledger().migrate().runID == nil)
      // Someone else appends an event: the recorded check no longer matches the ledger.
      try fixture.ledger().rollback(.steps(1), rehearse: false)
      let report = try fixture.ledger().migrate()
      #expect(report.steps.map(\.migration) == ["002_b"])
    }
  }
}

@Suite("status with the fast check")
struct StatusStartupCheckTests {
  @Test("status of an up-to-date database equals the full status")
  func sameReport() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration(
        "002_b.sql", "-- migrate:up transaction:false\nCREATE TABLE b (x);\n-- migrate:down\n")
      try fixture.ledger().migrate()
      let fast = try fixture.ledger().status()
      let full = try fixture.ledger { $0.fastStartupCheck = false }.status()
      #expect(fast == full)
      #expect(fast.entries.map(\.id) == ["001_a", "002_b"])
    }
  }
}

@Suite("The migrations folder's signature")
struct DirectorySignatureTests {
  @Test("it changes with a new, renamed, resized or touched entry, also in a sub-folder")
  func changes() throws {
    try withTemporaryDirectory { dir in
      let file = try dir.write("001_a.sql", "CREATE TABLE a (x);")
      try FileManager.default.createDirectory(
        at: dir.appendingPathComponent("2_b"), withIntermediateDirectories: true)
      let nested = try dir.write("2_b/up.sql", "CREATE TABLE b (x);")
      let first = try #require(DirectorySignature.of(directory: dir.path))
      #expect(DirectorySignature.of(directory: dir.path) == first)
      #expect(DirectorySignature.start(directory: dir.path).value == first)
      var seen: Set<String> = [first]
      func expectNew() throws {
        let signature = try #require(DirectorySignature.of(directory: dir.path))
        #expect(!seen.contains(signature))
        seen.insert(signature)
      }
      _ = try dir.write("003_c.sql", "CREATE TABLE c (x);")
      try expectNew()
      try FileManager.default.moveItem(
        at: dir.appendingPathComponent("003_c.sql"), to: dir.appendingPathComponent("004_c.sql"))
      try expectNew()
      try Data("CREATE TABLE a (xy);".utf8).write(to: file)
      try expectNew()
      var times = [
        timespec(tv_sec: 1_000_000, tv_nsec: 5), timespec(tv_sec: 1_000_000, tv_nsec: 5),
      ]
      #expect(utimensat(AT_FDCWD, nested.path, &times, 0) == 0)
      try expectNew()
      let beforeHidden = DirectorySignature.of(directory: dir.path)
      _ = try dir.write(".hidden", "ignored")
      #expect(DirectorySignature.of(directory: dir.path) == beforeHidden)
      #expect(DirectorySignature.of(directory: dir.appendingPathComponent("missing").path) == nil)
    }
  }

  @Test("After an apply records the startup check, status still shows an edited down section")
  func fastPathKeepsDownEdits() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "SELECT 1;"))
      try fixture.ledger().migrate()
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "DROP TABLE a;"))
      #expect(try fixture.ledger().status().entries.first?.downSectionEdited == true)
      // An apply that leaves the database up to date records the startup check...
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.ledger().migrate()
      let record = try fixture.query(
        "SELECT value FROM schemaledger_meta WHERE key = 'startup_check'")
      #expect(record.first?.hasSuffix("\n001_a") == true)
      // ...and the fast path shows what the full path shows.
      let fast = try fixture.ledger().status()
      let full = try fixture.ledger { $0.fastStartupCheck = false }.status()
      #expect(fast.entries.first { $0.id == "001_a" }?.downSectionEdited == true)
      #expect(fast.entries.map(\.downSectionEdited) == full.entries.map(\.downSectionEdited))
      let cli = try fixture.cli(["status"])
      #expect(cli.stdout.contains("applied (down edited)"))
    }
  }
}
