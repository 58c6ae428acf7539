import Foundation
import Testing

@testable import SchemaLedger

@Suite("Embedding in an application")
struct EmbeddingTests {
  private static let files: [(name: String, contents: String)] = [
    (
      "001_users.sql",
      "-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE users;\n"
    ),
    (
      "002_posts.sql",
      "-- migrate:up\nCREATE TABLE posts (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE posts;\n"
    ),
    (
      "003_tags.sql",
      "-- migrate:up\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\n-- migrate:down\nDROP TABLE tags;\n"
    ),
  ]

  @Test("migrations given in memory apply like files")
  func inMemoryMigrations() throws {
    try withFixture { fixture in
      let source = try MigrationSource(files: Self.files)
      let ledger = SchemaMigrator(
        database: .path(fixture.databasePath), migrations: .source(source))
      #expect(try ledger.pendingMigrations().map(\.id) == ["001_users", "002_posts", "003_tags"])
      let report = try ledger.migrate()
      #expect(report.currentVersion == 3)
      #expect(try fixture.schemaObjects() == ["table posts", "table tags", "table users"])
      #expect(try ledger.pendingMigrations().isEmpty)
    }
  }

  @Test("a connection the app already owns is used as it is and left open")
  func borrowedConnection() throws {
    try withFixture { fixture in
      let appConnection = try SQLiteConnection(path: fixture.databasePath)
      try appConnection.execute("CREATE TABLE app_owned (x)")
      let ledger = SchemaMigrator(
        database: .connection(.init(appConnection.handle)),
        migrations: .source(try MigrationSource(files: Self.files)))
      #expect(ledger.databasePath == fixture.databasePath)
      try ledger.migrate()
      // The app's handle still works, and sees the migrated schema.
      var tables: [String] = []
      try appConnection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1", [])
      {
        tables.append($0.text(0)!)
      }
      #expect(tables.contains("users") && tables.contains("app_owned"))
      #expect(try ledger.status().entries.allSatisfy { $0.state == .applied })
    }
  }

  @Test("the no-op startup call writes nothing and takes no lock")
  func noOpWritesNothing() throws {
    try withFixture { fixture in
      for (name, contents) in Self.files { try fixture.migration(name, contents) }
      try fixture.ledger().migrate()
      let lockFile = fixture.databasePath + "-schemaledger-lock"
      try FileManager.default.removeItem(atPath: lockFile)
      let before = try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath))
      let report = try fixture.ledger().migrate()
      #expect(report.runID == nil && report.steps.isEmpty)
      #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.databasePath)) == before)
      #expect(!FileManager.default.fileExists(atPath: lockFile))
    }
  }

  @Test("progress reaches the app's handler: steps and every appended event")
  func progressHandler() throws {
    try withFixture { fixture in
      for (name, contents) in Self.files { try fixture.migration(name, contents) }
      let received = Received()
      try fixture.ledger { $0.progress = { received.append($0) } }.migrate()
      let kinds = received.events.compactMap { progress -> String? in
        if case .eventAppended(let event) = progress { return event.kind.rawValue }
        return nil
      }
      #expect(
        kinds == ["planned", "planned", "planned"]
          + Array(repeating: ["started", "applied"], count: 3).flatMap { $0 })
      let finished = received.events.filter {
        if case .stepSucceeded = $0 { return true }
        return false
      }
      #expect(finished.count == 3)
    }
  }

  @Test("downgrade: unknown applied migrations are refused by default, naming them")
  func downgradeRefused() throws {
    try withFixture { fixture in
      for (name, contents) in Self.files { try fixture.migration(name, contents) }
      try fixture.ledger().migrate()
      let olderBuild = SchemaMigrator(
        database: .path(fixture.databasePath),
        migrations: .source(try MigrationSource(files: Array(Self.files.prefix(2)))))
      do {
        try olderBuild.migrate()
        Issue.record("an older build migrated a newer database")
      } catch let error as PlanError {
        #expect(error == .unknownAppliedMigrations(["003_tags"]))
        #expect(String(describing: error).contains("003_tags"))
        #expect(String(describing: error).contains("newer version of the application"))
      }
      #expect(try fixture.schemaObjects().contains("table tags"))
    }
  }

  @Test("downgrade with .rollBack undoes them with their recorded down SQL")
  func downgradeRollBack() throws {
    try withFixture { fixture in
      for (name, contents) in Self.files { try fixture.migration(name, contents) }
      try fixture.ledger().migrate()
      var configuration = SchemaMigrator.Configuration()
      configuration.supersededMigrations = .rollBack
      let olderBuild = SchemaMigrator(
        database: .path(fixture.databasePath),
        migrations: .source(try MigrationSource(files: Array(Self.files.prefix(1)))),
        configuration: configuration)
      let report = try olderBuild.migrate()
      #expect(report.steps.map(\.migration) == ["003_tags", "002_posts"])
      #expect(report.steps.allSatisfy { $0.direction == .down })
      #expect(report.currentVersion == 1)
      #expect(try fixture.schemaObjects() == ["table users"])
      // Running it again is the no-op path.
      #expect(try olderBuild.migrate().runID == nil)
    }
  }

  @Test("downgrade with .ignore carries on and leaves them applied")
  func downgradeIgnore() throws {
    try withFixture { fixture in
      for (name, contents) in Self.files { try fixture.migration(name, contents) }
      try fixture.ledger().migrate()
      var configuration = SchemaMigrator.Configuration()
      configuration.supersededMigrations = .ignore
      let olderBuild = SchemaMigrator(
        database: .path(fixture.databasePath),
        migrations: .source(try MigrationSource(files: Array(Self.files.prefix(2)))),
        configuration: configuration)
      let report = try olderBuild.migrate()
      #expect(report.runID == nil)
      #expect(try fixture.schemaObjects().contains("table tags"))
    }
  }
}

/// Collects progress from a `@Sendable` handler.
final class Received: @unchecked Sendable {
  // @unchecked Sendable: `events` is only touched under `lock`.
  private let lock = NSLock()
  private var stored: [MigrationProgress] = []

  func append(_ progress: MigrationProgress) {
    lock.lock()
    stored.append(progress)
    lock.unlock()
  }

  var events: [MigrationProgress] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
}
