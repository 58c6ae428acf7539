import Testing

@testable import SchemaLedger

@Suite("Migration file names")
struct MigrationFileNameTests {
  typealias Identity = MigrationFileParser.Identity
  typealias Kind = MigrationFileName.Kind

  /// A file name and what it says: its identity and kind.
  struct NameCase: Sendable, CustomTestStringConvertible {
    var fileName: String
    var id: String
    var version: String
    var name: String
    var kind: Kind

    var testDescription: String { fileName }

    var identity: Identity {
      Identity(id: id, version: MigrationVersion(version) ?? .repeatable, name: name)
    }
  }

  static let migrationNames: [NameCase] = [
    // SchemaLedger, dbmate, goose.
    NameCase(fileName: "001_a.sql", id: "001_a", version: "1", name: "a", kind: .single),
    NameCase(
      fileName: "20240313170000_add_email.sql", id: "20240313170000_add_email",
      version: "20240313170000", name: "add_email", kind: .single),
    // golang-migrate, sqlx.
    NameCase(fileName: "1_a.up.sql", id: "1_a", version: "1", name: "a", kind: .up),
    NameCase(fileName: "1_a.down.sql", id: "1_a", version: "1", name: "a", kind: .down),
    // Version-prefixed pairs and dash pairs.
    NameCase(
      fileName: "V0001.CreateUsers.up.sql", id: "V0001.CreateUsers", version: "1",
      name: "CreateUsers", kind: .up),
    NameCase(
      fileName: "0001-create-users.down.sql", id: "0001-create-users", version: "1",
      name: "create-users", kind: .down),
    // Flyway.
    NameCase(
      fileName: "V1__init.sql", id: "V1__init", version: "1", name: "init",
      kind: .flywayVersioned),
    NameCase(
      fileName: "V1_2__x.sql", id: "V1_2__x", version: "1.2", name: "x", kind: .flywayVersioned),
    NameCase(
      fileName: "V1.10__x.sql", id: "V1.10__x", version: "1.10", name: "x",
      kind: .flywayVersioned),
    NameCase(
      fileName: "V2__add__notes.sql", id: "V2__add__notes", version: "2", name: "add__notes",
      kind: .flywayVersioned),
    NameCase(
      fileName: "U1.10__x.sql", id: "U1.10__x", version: "1.10", name: "x", kind: .flywayUndo),
    NameCase(
      fileName: "R__views.sql", id: "R__views", version: "repeatable", name: "views",
      kind: .repeatable),
    // One underscore after a V is SchemaLedger's V-prefixed form, not Flyway's.
    NameCase(fileName: "V1_x.sql", id: "V1_x", version: "1", name: "x", kind: .single),
  ]

  @Test("A migration file name gives its identity and kind", arguments: migrationNames)
  func migrationName(_ expected: NameCase) {
    #expect(
      MigrationFileName.parse(file: expected.fileName)
        == .migration(expected.identity, expected.kind))
  }

  @Test("R__ names are repeatable: no version, sorting after every versioned migration")
  func repeatableVersion() throws {
    guard case .migration(let identity, .repeatable)? = MigrationFileName.parse(file: "R__v.sql")
    else {
      Issue.record("R__v.sql is not a repeatable migration")
      return
    }
    #expect(identity.version.isRepeatable)
    #expect(identity.version == .repeatable)
  }

  @Test(
    "A name that is no migration of any layout gives nothing",
    arguments: [
      "notes.sql", "0002.sql", "README.md", "1_a.txt", "1_.sql", "_a.sql", "V_x.sql",
      "R_views.sql", "R1__x.sql", "Vx__y.sql", "V__x.sql", "U__x.sql", "R__.sql",
      "migration.sql", "up.sql", "1_a.sql.bak",
    ])
  func notAMigration(_ fileName: String) {
    #expect(MigrationFileName.parse(file: fileName) == nil)
  }

  @Test(
    "A file name whose version does not fit in 64 bits is too long",
    arguments: [
      "99999999999999999999_a.sql", "99999999999999999999_a.up.sql",
      "99999999999999999999_a.down.sql", "V99999999999999999999__a.sql",
      "V1.99999999999999999999__a.sql", "U99999999999999999999__a.sql",
    ])
  func fileVersionTooLong(_ fileName: String) {
    #expect(MigrationFileName.parse(file: fileName) == .versionTooLong)
  }

  @Test(
    "A Flyway version with an empty part is malformed, not too long",
    arguments: ["V1..2__x.sql", "V1._2__x.sql", "U1..2__x.sql"])
  func flywayEmptyPartIsNotTooLong(_ fileName: String) {
    #expect(MigrationFileName.parse(file: fileName) != .versionTooLong)
  }

  @Test("identity(ofFile:) gives the identity whatever the kind")
  func identityOfFile() {
    #expect(
      MigrationFileName.identity(ofFile: "3_users.down.sql")
        == Identity(id: "3_users", version: 3, name: "users"))
    #expect(MigrationFileName.identity(ofFile: "notes.sql") == nil)
    #expect(MigrationFileName.identity(ofFile: "99999999999999999999_a.sql") == nil)
  }

  // MARK: - Folders

  @Test(
    "A migration folder name gives its identity",
    arguments: [
      // diesel
      (
        "2024-03-13-170000_create_users", "2024-03-13-170000_create_users", 20_240_313_170_000,
        "create_users"
      ),
      (
        "00000000000000_diesel_initial_setup", "00000000000000_diesel_initial_setup", 0,
        "diesel_initial_setup"
      ),
      // Prisma
      ("20230101000000_init", "20230101000000_init", 20_230_101_000_000, "init"),
    ] as [(String, String, Int64, String)])
  func folderName(folder: String, id: String, version: Int64, name: String) {
    #expect(
      MigrationFileName.parse(folder: folder)
        == .migration(
          Identity(id: id, version: MigrationVersion(version), name: name), .single))
  }

  @Test(
    "A folder name without a version, or without a name after it, gives nothing",
    arguments: ["init", "meta", "2024-03-13-170000", "20230101000000_", "-1_x", "V1_x"])
  func folderNotAMigration(_ folder: String) {
    #expect(MigrationFileName.parse(folder: folder) == nil)
  }

  @Test(
    "A folder name whose version does not fit in 64 bits is too long",
    arguments: ["99999999999999999999_init", "9999-9999-9999-9999-9999_x"])
  func folderVersionTooLong(_ folder: String) {
    #expect(MigrationFileName.parse(folder: folder) == .versionTooLong)
  }
}
