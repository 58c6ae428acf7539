import Foundation
import Testing

@testable import SchemaLedger

@Suite("Migrations registered in Swift code")
struct MigrationListTests {
  @Test("Registered migrations run in registration order, versions by position, ids as given")
  func registered() throws {
    try withFixture { fixture in
      var migrations = MigrationList()
      migrations.register(
        "create_users", up: "CREATE TABLE users (id INTEGER PRIMARY KEY);",
        down: "DROP TABLE users;")
      migrations.register("add_email", up: "ALTER TABLE users ADD COLUMN email TEXT;")
      let source = try migrations.source()
      #expect(source.migrations.map(\.id) == ["create_users", "add_email"])
      #expect(source.migrations.map(\.version) == [1, 2])
      #expect(
        source.migrations[0].checksum
          == SHA256.hexDigest("CREATE TABLE users (id INTEGER PRIMARY KEY);"))
      let ledger = SchemaMigrator(
        database: .path(fixture.databasePath), migrations: .source(source))
      try ledger.migrate()
      #expect(
        try fixture.query("SELECT migration FROM schemaledger_events WHERE kind = 'applied'")
          == ["create_users", "add_email"])
      // add_email has no down SQL: irreversible.
      #expect(throws: PlanError.irreversible(["add_email"])) { try ledger.rollback(.steps(1)) }
    }
  }

  @Test("An empty or repeated id is refused; transactional: false runs outside a transaction")
  func refusals() throws {
    var migrations = MigrationList()
    migrations.register("a", up: "CREATE TABLE a (x);")
    migrations.register("a", up: "CREATE TABLE b (x);")
    migrations.register("", up: "CREATE TABLE c (x);")
    #expect(throws: MigrationSourceError.self) { try migrations.source() }
    var outside = MigrationList()
    outside.register("vacuum", transactional: false, up: "VACUUM;")
    #expect(try outside.source().migrations[0].transactionMode.isWrapped == false)
  }
}
