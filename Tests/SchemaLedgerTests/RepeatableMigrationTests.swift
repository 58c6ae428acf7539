import Foundation
import Testing

@testable import SchemaLedger

@Suite("Repeatable migrations")
struct RepeatableMigrationTests {
  static let oldView = "CREATE VIEW v AS SELECT x FROM a"
  static let newView = "CREATE VIEW v AS SELECT x, x * 2 AS doubled FROM a"

  /// `R__v.sql` creating the view `definition`, with a down section unless `down` is nil.
  static func repeatable(_ definition: String, down: String? = "DROP VIEW v;") -> String {
    Fixture.dbmate(up: "DROP VIEW IF EXISTS v;\n\(definition);", down: down)
  }

  /// Writes `001_a` (table `a`) and `R__v` (the old view).
  static func writeFolder(_ fixture: Fixture, down: String? = "DROP VIEW v;") throws {
    try fixture.migration(
      "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x INTEGER);", down: "DROP TABLE a;"))
    try fixture.migration("R__v.sql", repeatable(oldView, down: down))
  }

  /// Applies the folder, then edits `R__v` to the new view (not applied yet).
  static func applyThenEdit(_ fixture: Fixture) throws {
    try writeFolder(fixture)
    try fixture.ledger().migrate()
    try fixture.migration("R__v.sql", repeatable(newView))
  }

  /// Applies the folder, edits `R__v` and applies again.
  static func applyEditApply(_ fixture: Fixture) throws {
    try applyThenEdit(fixture)
    try fixture.ledger().migrate()
  }

  /// The view's definition in `sqlite_master`.
  static func viewDefinition(_ fixture: Fixture) throws -> [String] {
    try fixture.query("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'v'")
  }

  /// The ids of the `applied` events, in order.
  static func appliedIDs(_ fixture: Fixture) throws -> [String] {
    try fixture.events().filter { $0.kind == .applied }.compactMap(\.migration)
  }

  /// The checksum of `R__v.sql` as it is now.
  static func fileChecksum(_ fixture: Fixture) throws -> String? {
    try fixture.ledger().source().migration("R__v")?.checksum
  }

  // MARK: - Applying

  @Test("A repeatable migration runs after the versioned ones")
  func runsLast() throws {
    try withFixture { fixture in
      try Self.writeFolder(fixture)
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.ledger().migrate()
      #expect(try Self.appliedIDs(fixture) == ["001_a", "002_b", "R__v"])
      #expect(try Self.viewDefinition(fixture) == [Self.oldView])
    }
  }

  @Test("An unchanged repeatable migration is not run again")
  func unchangedNotRerun() throws {
    try withFixture { fixture in
      try Self.writeFolder(fixture)
      try fixture.ledger().migrate()
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      try fixture.ledger().migrate()
      #expect(try Self.appliedIDs(fixture) == ["001_a", "R__v", "002_b"])
    }
  }

  @Test("An edited repeatable migration is run again")
  func editedRerun() throws {
    try withFixture { fixture in
      try Self.applyEditApply(fixture)
      #expect(try Self.appliedIDs(fixture) == ["001_a", "R__v", "R__v"])
      #expect(try Self.viewDefinition(fixture) == [Self.newView])
    }
  }

  @Test("plan lists an edited repeatable migration")
  func editedPlanned() throws {
    try withFixture { fixture in
      try Self.applyThenEdit(fixture)
      #expect(try fixture.ledger().plan().plan.steps.map(\.id) == ["R__v"])
    }
  }

  @Test("status shows an edited repeatable migration pending, not drifted")
  func editedStatusPending() throws {
    try withFixture { fixture in
      try Self.applyThenEdit(fixture)
      let entry = try fixture.ledger().status().entries.first { $0.id == "R__v" }
      #expect(entry?.state == .pending)
    }
  }

  @Test("migrate(to:) a version leaves repeatable migrations pending")
  func versionTargetLeavesRepeatablePending() throws {
    try withFixture { fixture in
      try Self.writeFolder(fixture)
      try fixture.ledger().migrate(to: 1)
      #expect(try Self.appliedIDs(fixture) == ["001_a"])
      let entry = try fixture.ledger().status().entries.first { $0.id == "R__v" }
      #expect(entry?.state == .pending)
    }
  }

  // MARK: - Rolling back

  @Test("Rolling back a re-application restores the previous SQL's effect")
  func rollbackRestoresPreviousView() throws {
    try withFixture { fixture in
      try Self.applyEditApply(fixture)
      try fixture.ledger().rollback(.steps(1))
      #expect(try Self.viewDefinition(fixture) == [Self.oldView])
    }
  }

  @Test("Rolling back a re-application leaves it applied with the previous checksum")
  func rollbackRestoresPreviousState() throws {
    try withFixture { fixture in
      try Self.writeFolder(fixture)
      try fixture.ledger().migrate()
      let oldChecksum = try Self.fileChecksum(fixture)
      try fixture.migration("R__v.sql", Self.repeatable(Self.newView))
      try fixture.ledger().migrate()
      try fixture.ledger().rollback(.steps(1))
      let record = try fixture.ledger().ledgerState().migrations["R__v"]
      #expect(record?.status == .applied)
      #expect(record?.checksum == oldChecksum)
      #expect(record?.checksum != (try Self.fileChecksum(fixture)))
    }
  }

  @Test("After rolling back a re-application, migrate applies the edited SQL again")
  func migrateAfterRollbackReapplies() throws {
    try withFixture { fixture in
      try Self.applyEditApply(fixture)
      try fixture.ledger().rollback(.steps(1))
      try fixture.ledger().migrate()
      #expect(try Self.appliedIDs(fixture) == ["001_a", "R__v", "R__v", "R__v"])
      #expect(try Self.viewDefinition(fixture) == [Self.newView])
      let record = try fixture.ledger().ledgerState().migrations["R__v"]
      #expect(record?.checksum == (try Self.fileChecksum(fixture)))
    }
  }

  @Test("Rolling back a first application runs its down section")
  func rollbackFirstApplicationUsesDownSection() throws {
    try withFixture { fixture in
      try Self.writeFolder(fixture)
      try fixture.ledger().migrate()
      try fixture.ledger().rollback(.steps(1))
      #expect(try Self.viewDefinition(fixture).isEmpty)
      #expect(try fixture.schemaObjects() == ["table a"])
      #expect(try fixture.ledger().ledgerState().migrations["R__v"]?.status == .rolledBack)
    }
  }

  @Test("Rolling back a first application without a down section is refused as irreversible")
  func rollbackWithoutDownRefused() throws {
    try withFixture { fixture in
      try Self.writeFolder(fixture, down: nil)
      try fixture.ledger().migrate()
      #expect(throws: PlanError.irreversible(["R__v"])) {
        try fixture.ledger().rollback(.steps(1))
      }
      #expect(try Self.viewDefinition(fixture) == [Self.oldView])
    }
  }

  // MARK: - Verifying

  @Test("verify does not report an edited repeatable migration as an edited file")
  func verifyEditedNotReported() throws {
    try withFixture { fixture in
      try Self.applyThenEdit(fixture)
      let problems = try fixture.ledger().verify().problems
      #expect(problems.isEmpty, "\(problems)")
    }
  }

  @Test("verify finds nothing wrong after a repeatable migration was applied again")
  func verifyAfterReapplication() throws {
    try withFixture { fixture in
      try Self.applyEditApply(fixture)
      let problems = try fixture.ledger().verify().problems
      #expect(problems.isEmpty, "\(problems)")
    }
  }

  @Test("verify's schema check follows a rolled-back re-application")
  func verifySchemaAfterRollback() throws {
    try withFixture { fixture in
      try Self.applyEditApply(fixture)
      try fixture.ledger().rollback(.steps(1))
      let problems = try fixture.ledger().verify().problems.filter {
        switch $0 {
        case .schemaDrift, .unreconstructable: return true
        default: return false
        }
      }
      #expect(problems.isEmpty, "\(problems)")
    }
  }

  @Test("status does not call a re-applied repeatable migration's down section edited")
  func statusAfterReapplication() throws {
    try withFixture { fixture in
      try Self.applyEditApply(fixture)
      let entry = try fixture.ledger { $0.fastStartupCheck = false }.status().entries.first {
        $0.id == "R__v"
      }
      #expect(entry?.state == .applied)
      #expect(entry?.downSectionEdited == false)
    }
  }
}
