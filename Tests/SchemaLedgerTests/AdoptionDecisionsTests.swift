import Testing

@testable import SchemaLedger

/// The decisions of baseline, import, resolve and accept, without a database: a source
/// from file texts, a state folded from hand-made events.
@Suite("Adoption decisions")
struct AdoptionDecisionsTests {
  private let actor = LedgerActor(user: "ops", host: "db1", pid: 1)
  private var decisions: AdoptionDecisions { AdoptionDecisions(runID: "r2", actor: actor) }

  private func source() throws -> MigrationSource {
    try MigrationSource(files: [
      ("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n"),
      ("002_b.sql", "CREATE TABLE b (x);"),
      ("003_c.sql", "CREATE TABLE c (x);"),
    ])
  }

  /// A state where `applied` migrations of `source` were applied by run r1.
  private func state(applied: [String], from source: MigrationSource) -> LedgerState {
    LedgerProjection.state(
      of: source.migrations.filter { applied.contains($0.id) }.enumerated().map {
        index, migration in
        LedgerEvent(
          kind: .applied, migration: migration.id, version: migration.version.recorded,
          direction: .up, checksum: migration.checksum, runID: "r1", actor: actor,
          transactional: true, sql: migration.upSQL, downSQL: migration.downSQL,
          seq: Int64(index + 1))
      })
  }

  @Test("a baseline covers the migrations up to its version that are not applied")
  func baseline() throws {
    let source = try source()
    let events = decisions.baseline(
      to: MigrationVersion("2")!, reason: "adopted", source: source,
      state: state(applied: ["001_a"], from: source))
    #expect(events.map(\.migration) == ["002_b"])
    #expect(events.map(\.kind) == [.baselined])
    #expect(events[0].detail == "baseline: adopted")
    #expect(events[0].runID == "r2")
    #expect(throws: PlanError.unknownTarget(version: MigrationVersion("9")!)) {
      try AdoptionDecisions.checkBaselineTarget(MigrationVersion("9")!, in: source)
    }
    #expect(throws: PlanError.reasonRequired(action: "baseline")) {
      try AdoptionDecisions.requireReason("  ", action: "baseline")
    }
  }

  @Test("golang-migrate's current version stands for every version up to it")
  func golangMigrateImport() throws {
    let source = try source()
    let matches = try AdoptionDecisions.importMatches(
      [ImportedEntry(version: MigrationVersion("2"), identifier: nil, appliedAt: nil)],
      from: .golangMigrate, source: source)
    #expect(matches.map(\.migration.id) == ["001_a", "002_b"])
    let events = decisions.importEvents(
      matches, from: .golangMigrate, reason: nil, state: state(applied: ["001_a"], from: source))
    #expect(events.map(\.migration) == ["002_b"])
    #expect(events[0].detail == "imported from golang-migrate")
  }

  @Test("entries match by checksum, each file once, and an entry with no file refuses all")
  func checksumImport() throws {
    let source = try source()
    let b = try #require(source.migration("002_b"))
    let matches = try AdoptionDecisions.importMatches(
      [ImportedEntry(version: nil, identifier: nil, appliedAt: "2024-01-01", checksum: b.checksum)],
      from: .drizzle, source: source)
    #expect(matches.map(\.migration.id) == ["002_b"])
    #expect(matches[0].appliedAt == "2024-01-01")
    #expect(throws: PlanError.self) {
      try AdoptionDecisions.importMatches(
        [ImportedEntry(version: MigrationVersion("7"), identifier: nil, appliedAt: nil)],
        from: .dbmate, source: source)
    }
  }

  @Test("resolve needs a migration in doubt, and records the schema as the operator left it")
  func resolve() throws {
    let source = try source()
    let applied = state(applied: ["001_a"], from: source)
    #expect(throws: PlanError.nothingToResolve(migration: "001_a")) {
      try decisions.resolve(
        "001_a", as: .applied, reason: "done", file: nil, state: applied, schema: { "" })
    }
    #expect(throws: PlanError.unknownMigration("042")) {
      try decisions.resolve(
        "042", as: .applied, reason: "done", file: nil, state: applied, schema: { "" })
    }
    let c = try #require(source.migration("003_c"))
    let failed = LedgerProjection.state(of: [
      LedgerEvent(
        kind: .planned, migration: c.id, version: c.version.recorded, direction: .up,
        checksum: c.checksum, runID: "r1", actor: actor, transactional: false, seq: 1),
      LedgerEvent(
        kind: .failed, migration: c.id, version: c.version.recorded, direction: .up,
        checksum: c.checksum, runID: "r1", actor: actor, transactional: false,
        error: "boom", seq: 2),
    ])
    let events = try decisions.resolve(
      "3", as: .applied, reason: "finished by hand", file: c, state: failed,
      schema: { "CREATE TABLE c (x);" })
    #expect(events.map(\.kind) == [.resolved])
    #expect(events[0].migration == "003_c")
    #expect(events[0].direction == .up)
    #expect(events[0].sql == "CREATE TABLE c (x);")
    #expect(events[0].detail == "resolved as applied: finished by hand")
  }

  @Test("accept refuses an unchanged or unapplied migration, and records an edited one")
  func accept() throws {
    let source = try source()
    let a = try #require(source.migration("001_a"))
    let applied = state(applied: ["001_a"], from: source)
    #expect(throws: PlanError.nothingToAccept(migration: "001_a")) {
      try decisions.accept(
        a, reason: "r", includingDown: false, state: applied, recordedDownSQL: { _ in nil })
    }
    #expect(throws: PlanError.nothingToAccept(migration: "002_b")) {
      try decisions.accept(
        try #require(source.migration("002_b")), reason: "r", includingDown: false,
        state: applied, recordedDownSQL: { _ in nil })
    }
    let edited = try #require(
      try MigrationSource(files: [("001_a.sql", "CREATE TABLE a (x); -- a comment")])
        .migration("001_a"))
    let events = try decisions.accept(
      edited, reason: "comment", includingDown: false, state: applied,
      recordedDownSQL: { _ in nil })
    #expect(events.map(\.kind) == [.accepted])
    #expect(events[0].checksum == edited.checksum)
    #expect(events[0].detail == "accepted edit (was \(a.checksum)): comment")
    // The down section alone differs from the recorded one: accepted with includingDown.
    let downOnly = try decisions.accept(
      a, reason: "down", includingDown: true, state: applied,
      recordedDownSQL: { _ in "DROP TABLE a; -- old" })
    #expect(downOnly[0].downSQL == a.downSQL)
  }
}
