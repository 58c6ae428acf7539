import Testing

@testable import SchemaLedger

/// The engine seam's catalog on SQLite: what the ledger store, the schema snapshot and
/// the importers read instead of `sqlite_master`.
@Suite("The database catalog")
struct DatabaseCatalogTests {
  private func database() throws -> SQLiteConnection {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript(
      """
      CREATE TABLE schemaledger_events (seq INTEGER PRIMARY KEY, kind TEXT);
      CREATE TABLE schemaledgerXevents (a);
      CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, name TEXT);
      CREATE INDEX users_name ON users (name);
      CREATE VIEW user_names AS SELECT name FROM users;
      CREATE TRIGGER schemaledger_events_no_delete BEFORE DELETE ON schemaledger_events
      BEGIN SELECT RAISE(ABORT, 'no'); END;
      """)
    return connection
  }

  @Test("named(prefix:) lists the ledger's objects by name, with their table; _ is no wildcard")
  func namedPrefix() throws {
    let objects = try database().catalogObjects(.named(prefix: "schemaledger_"))
    #expect(objects.map(\.name) == ["schemaledger_events", "schemaledger_events_no_delete"])
    #expect(objects.map(\.type) == ["table", "trigger"])
    #expect(objects[1].table == "schemaledger_events")
    #expect(objects[1].definition.hasPrefix("CREATE TRIGGER schemaledger_events_no_delete"))
  }

  @Test("notNamed(prefix:) lists the rest, without SQLite's automatic indexes")
  func notNamedPrefix() throws {
    let objects = try database().catalogObjects(.notNamed(prefix: "schemaledger_"))
    #expect(objects.map(\.name) == ["schemaledgerXevents", "user_names", "users", "users_name"])
    #expect(objects.map(\.type) == ["table", "view", "table", "index"])
    #expect(objects[3].table == "users")
  }

  @Test("columnNames(of:) gives a table's columns in order, and none for a missing table")
  func columns() throws {
    let connection = try database()
    #expect(try connection.columnNames(of: "users") == ["id", "email", "name"])
    #expect(try connection.columnNames(of: "no_such_table") == [])
  }

  @Test("LIKE patterns escape %, _ and the escape character itself")
  func likePattern() {
    #expect(CatalogFilter.named(prefix: "a_b%c\\").likePattern == "a\\_b\\%c\\\\%")
  }

  @Test("the schema snapshot is the catalog's objects but the ledger's")
  func snapshot() throws {
    let snapshot = try SchemaSnapshot.read(from: database())
    #expect(
      snapshot.objects.map(\.name) == ["schemaledgerXevents", "users", "users_name", "user_names"])
  }

  @Test("the meta upsert inserts a key, then replaces its value")
  func metaUpsert() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    let store = LedgerStore(connection: connection)
    try store.prepare(runID: "r", actor: LedgerActor(user: "u", host: "h", pid: 1))
    try store.setMeta("probe", to: "one")
    try store.setMeta("probe", to: "two")
    var values: [String] = []
    try connection.query("SELECT value FROM schemaledger_meta WHERE key = 'probe'", []) {
      values.append($0.text(0) ?? "")
    }
    #expect(values == ["two"])
  }
}
