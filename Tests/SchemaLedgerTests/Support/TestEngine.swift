import Foundation
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// The engine a ledger behaviour test runs on: the same test, with the same
/// expectations, on a SQLite file and on PostgreSQL (straight, and through PgBouncer in
/// transaction pooling mode). Tests about the ledger take `arguments: TestEngine.all`;
/// tests about SQLite itself stay on SQLite.
enum TestEngine: String, Sendable, CustomTestStringConvertible {
  case sqlite
  case postgres
  case pgbouncer

  /// Every engine this machine can run: PostgreSQL's only with the throwaway server
  /// (without it, `PostgresAvailabilityTests` says why, and fails under CI).
  static var all: [TestEngine] {
    PostgresServer.isAvailable ? [.sqlite, .postgres, .pgbouncer] : [.sqlite]
  }

  var testDescription: String { rawValue }

  var isPostgres: Bool { self != .sqlite }

  /// The engine's message for a missing table.
  func noSuchTable(_ name: String) -> String {
    isPostgres ? "table \"\(name)\" does not exist (SQLSTATE 42P01)" : "no such table: \(name)"
  }

  /// A `postgresql://` URL for a new database on the throwaway server.
  func newDatabaseURL() throws -> String? {
    guard isPostgres else { return nil }
    let server = try PostgresServer.shared.get()
    return server.url(database: try server.makeDatabase(), pooled: self == .pgbouncer)
  }
}

/// Runs `body` with a fresh fixture on `engine`.
func withFixture<T>(on engine: TestEngine, _ body: (Fixture) throws -> T) throws -> T {
  let url = try engine.newDatabaseURL()
  return try withFixture { fixture in
    var fixture = fixture
    fixture.url = url
    return try body(fixture)
  }
}

extension Fixture {
  /// A connection to this fixture's PostgreSQL database, by its URL (through PgBouncer
  /// for `.pgbouncer`).
  func postgresConnection() throws -> PostgresConnection {
    try PostgresConnection(conninfo: try #require(url))
  }

  /// The application's objects on PostgreSQL, as `schemaObjects()` gives them on SQLite:
  /// `type name` of the tables, views, triggers and indexes outside the server's and the
  /// ledger's schemas, without the indexes PostgreSQL makes for a constraint (as SQLite's
  /// `sqlite_autoindex_*` are left out).
  func postgresSchemaObjects() throws -> [String] {
    var names: [String] = []
    try postgresConnection().query(
      """
      SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'i' THEN 'index' ELSE 'table' END
        || ' ' || c.relname
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'i')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
      UNION ALL
      SELECT 'trigger ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT t.tgisinternal
      ORDER BY 1
      """, []
    ) { names.append($0.text(0) ?? "") }
    return names
  }
}
