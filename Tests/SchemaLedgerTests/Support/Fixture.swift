import Foundation

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// A migrations folder and a database file in a fresh temporary directory, or, with a
/// `url`, a database of its own on the throwaway PostgreSQL server (`TestEngine`).
struct Fixture {
  let directory: URL
  /// The PostgreSQL database's URL; `nil` on SQLite (`databasePath`).
  var url: String?
  var migrations: URL { directory.appendingPathComponent("migrations", isDirectory: true) }
  var databasePath: String { directory.appendingPathComponent("app.sqlite").path }

  /// Writes a migration file into `migrations/`.
  @discardableResult
  func migration(_ name: String, _ text: String) throws -> URL {
    try migrations.write(name, text)
  }

  /// A dbmate-style file body.
  static func dbmate(up: String, down: String? = nil) -> String {
    "-- migrate:up\n\(up)\n" + (down.map { "\n-- migrate:down\n\($0)\n" } ?? "")
  }

  /// The façade on this fixture.
  func ledger(
    _ configure: (inout SchemaMigrator.Configuration) -> Void = { _ in }
  ) -> SchemaMigrator {
    var configuration = SchemaMigrator.Configuration()
    configure(&configuration)
    return SchemaMigrator(
      database: url.map { .postgres(url: $0) } ?? .path(databasePath),
      migrations: .directory(migrations.path), configuration: configuration)
  }

  /// Runs the built `schemaledger` with `arguments` on this fixture's database and
  /// migrations folder.
  func cli(_ arguments: [String]) throws -> ToolProcess.Result {
    try ToolProcess.run(
      arguments + (url.map { ["--url", $0] } ?? ["-d", databasePath]) + ["-m", migrations.path],
      in: directory)
  }

  /// Writes reversible `001_a` and `002_b` (down SQL `downOfB` for the second) and applies
  /// them through the command-line tool.
  func applyTwoReversible(downOfB: String = "DROP TABLE b;") throws {
    try writeTwoReversible(downOfB: downOfB)
    let result = try cli(["apply"])
    if result.status != 0 { throw FixtureError.commandFailed(result.stderr) }
  }

  /// Writes reversible `001_a` (table `a`) and `002_b` (table `b`, down SQL `downOfB`).
  func writeTwoReversible(downOfB: String = "DROP TABLE b;") throws {
    let column = url == nil ? "x" : "x int"  // PostgreSQL's columns need a type
    try migration(
      "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (\(column));", down: "DROP TABLE a;"))
    try migration(
      "002_b.sql", Fixture.dbmate(up: "CREATE TABLE b (\(column));", down: downOfB))
  }

  /// Names of the application's schema objects (`sqlite_master`, without the ledger's
  /// and SQLite's own), sorted.
  func schemaObjects() throws -> [String] {
    if url != nil { return try postgresSchemaObjects() }
    guard FileManager.default.fileExists(atPath: databasePath) else { return [] }
    let connection = try SQLiteConnection(path: databasePath, mode: .readOnly)
    var names: [String] = []
    try connection.query(
      """
      SELECT type || ' ' || name FROM sqlite_master
      WHERE name NOT LIKE 'schemaledger%' AND name NOT LIKE 'sqlite_%' ORDER BY 1
      """, []
    ) { names.append($0.text(0) ?? "") }
    return names
  }

  /// The ledger's rows as `kind migration` strings, in order.
  func ledgerRows() throws -> [String] {
    try query(
      "SELECT kind || ' ' || coalesce(migration, '-') FROM schemaledger_events ORDER BY seq")
  }

  /// The first column of every row of `sql`, as text (on PostgreSQL, the ledger's tables
  /// are found in the ledger's schema).
  func query(_ sql: String) throws -> [String] {
    let connection: any DatabaseConnection =
      try url.map { try PostgresConnection(conninfo: $0) }
      ?? SQLiteConnection(path: databasePath, mode: .readOnly)
    var values: [String] = []
    try connection.query(sql, []) { values.append($0.text(0) ?? "NULL") }
    return values
  }

  /// Every event, read through the store, with SQL.
  func events() throws -> [LedgerEvent] {
    try ledger().history()
  }
}

/// Runs `body` with a fresh fixture.
func withFixture<T>(_ body: (Fixture) throws -> T) throws -> T {
  try withTemporaryDirectory { directory in
    let fixture = Fixture(directory: directory)
    try FileManager.default.createDirectory(
      at: fixture.migrations, withIntermediateDirectories: true)
    return try body(fixture)
  }
}

/// The repository's root (for the bundled `migrations/` and `ledger/`).
let repositoryRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// A fixture step that did not work.
enum FixtureError: Error {
  case commandFailed(String)
}
