import Foundation
import Testing

@testable import SchemaLedger

/// One folder of `Fixtures/Layouts`, as another tool writes it, with what the test
/// needs to know about it. Its `.reference` list says what the original tool runs.
enum LayoutFixture: String, CaseIterable, Sendable {
  case dbmate
  case goose
  case golangMigrate = "golang-migrate"
  case sqlx
  case diesel
  case prisma
  case drizzle
  case flyway
  case versionedPairs = "versioned-pairs"
  case dashPairs = "dash-pairs"

  /// What rolling back means for the layout.
  enum Rollback {
    /// Every migration has down SQL: `rollback --all` empties the schema.
    case reversible
    /// Up-only (prisma, drizzle): rollback is refused.
    case irreversible
    /// Some migrations have an undo file, some do not (flyway).
    case partial
    /// Not exercised (sqlx mixes up-only files and reversible pairs).
    case untested
  }

  static let root = repositoryRoot.appendingPathComponent(
    "Tests/SchemaLedgerTests/Fixtures/Layouts", isDirectory: true)

  /// The fixture's migrations folder.
  var folder: URL { Self.root.appendingPathComponent(rawValue, isDirectory: true) }

  /// The list of what the original tool runs, next to the folder.
  var referenceList: URL { Self.root.appendingPathComponent("\(rawValue).reference") }

  /// The layout `status --json` reports.
  var layout: String {
    switch self {
    case .dbmate, .goose, .golangMigrate, .sqlx, .versionedPairs, .dashPairs: "sql-files"
    case .diesel: "diesel"
    case .prisma: "prisma"
    case .drizzle: "drizzle"
    case .flyway: "flyway"
    }
  }

  /// Placeholder values, as the reference substitutes them.
  var placeholders: [String: String] {
    switch self {
    case .goose: ["GOOSE_TEST_DEFAULT_ROLE": "editor"]
    case .flyway: ["default_role": "member"]
    default: [:]
    }
  }

  /// Options that give the tool the same values (flyway placeholders).
  var options: [String] {
    self == .flyway ? ["--placeholder", "default_role=member"] : []
  }

  /// Environment that gives the tool the same values (goose ENVSUB).
  var environment: [String: String] {
    self == .goose ? placeholders : [:]
  }

  var rollback: Rollback {
    switch self {
    case .dbmate, .goose, .golangMigrate, .versionedPairs, .dashPairs, .diesel: .reversible
    case .prisma, .drizzle: .irreversible
    case .flyway: .partial
    case .sqlx: .untested
    }
  }
}

/// A copy of one fixture folder as `migrations/`, beside `app.sqlite`, in a temporary
/// directory; `files` is the usual `Fixture` on that directory.
struct LayoutWorkspace {
  let fixture: LayoutFixture
  let files: Fixture

  /// The database the reference run builds.
  var referenceDatabasePath: String {
    files.directory.appendingPathComponent("reference.sqlite").path
  }

  /// Runs `schemaledger` with `arguments` (a command and its options), the fixture's
  /// options when `withOptions`, and its environment, on the copy.
  func tool(_ arguments: [String], withOptions: Bool = true) throws -> ToolProcess.Result {
    try ToolProcess.run(
      arguments + (withOptions ? fixture.options : [])
        + ["-d", files.databasePath, "-m", files.migrations.path],
      in: files.directory, environment: fixture.environment)
  }

  /// `apply`, which must succeed.
  @discardableResult
  func apply(withOptions: Bool = true) throws -> ToolProcess.Result {
    let result = try tool(["apply"], withOptions: withOptions)
    try #require(result.status == 0, "apply failed: \(result.stderr)")
    return result
  }

  /// Runs the original tool's steps with `sqlite3` and returns the schema and data
  /// they leave.
  func referenceSchemaAndData() throws -> String {
    try ReferenceRunner.apply(
      list: fixture.referenceList, folder: fixture.folder,
      placeholders: fixture.placeholders, databasePath: referenceDatabasePath)
    return try ReferenceRunner.schemaAndData(of: referenceDatabasePath)
  }

  /// How many `applied` events the ledger holds for migrations matching `pattern`.
  func appliedEvents(matching pattern: String = "%") throws -> Int {
    let count = try files.query(
      """
      SELECT count(*) FROM schemaledger_events
      WHERE kind = 'applied' AND migration LIKE '\(pattern)'
      """)
    return Int(count.first ?? "") ?? -1
  }

  /// The database file's bytes.
  func databaseBytes() throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: files.databasePath))
  }
}

/// Runs `body` on a fresh copy of `fixture`.
func withLayoutWorkspace<T>(
  _ fixture: LayoutFixture, _ body: (LayoutWorkspace) throws -> T
) throws -> T {
  try withTemporaryDirectory { directory in
    let files = Fixture(directory: directory)
    try FileManager.default.copyItem(at: fixture.folder, to: files.migrations)
    return try body(LayoutWorkspace(fixture: fixture, files: files))
  }
}

/// The first line where `actual` and `expected` differ, for a readable failure.
private func firstDifference(_ actual: String, _ expected: String) -> String {
  let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
  let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
  for index in 0..<max(actualLines.count, expectedLines.count) {
    let got = index < actualLines.count ? String(actualLines[index]) : "(end)"
    let want = index < expectedLines.count ? String(expectedLines[index]) : "(end)"
    if got != want { return "line \(index + 1): tool [\(got)], original tool [\(want)]" }
  }
  return "no difference"
}

@Suite("Other tools' migration folders, end to end", .timeLimit(.minutes(2)))
struct LayoutFixtureTests {
  // MARK: - The reference side alone

  @Test(
    "each fixture runs cleanly through sqlite3 the way its own tool runs it",
    arguments: LayoutFixture.allCases)
  func referenceRuns(_ fixture: LayoutFixture) throws {
    try withLayoutWorkspace(fixture) { workspace in
      #expect(try ReferenceRunner.entries(in: fixture.referenceList).count >= 2)
      let schemaAndData = try workspace.referenceSchemaAndData()
      #expect(schemaAndData.contains("'table'"))
      #expect(schemaAndData.contains("rows of "))
      #expect(!schemaAndData.contains("${"))
    }
  }

  // MARK: - apply

  @Test(
    "apply builds the same schema and data as the original tool",
    arguments: LayoutFixture.allCases)
  func sameAsOriginalTool(_ fixture: LayoutFixture) throws {
    try withLayoutWorkspace(fixture) { workspace in
      let expected = try workspace.referenceSchemaAndData()
      let result = try workspace.tool(["apply"])
      try #require(result.status == 0, "\(result.stderr)")
      let actual = try ReferenceRunner.schemaAndData(of: workspace.files.databasePath)
      #expect(actual == expected, "\(firstDifference(actual, expected))")
    }
  }

  @Test("status --json names the folder's layout", arguments: LayoutFixture.allCases)
  func statusNamesLayout(_ fixture: LayoutFixture) throws {
    try withLayoutWorkspace(fixture) { workspace in
      try workspace.apply()
      let status = try workspace.tool(["status", "--json"])
      #expect(status.status == 0, "\(status.stderr)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
      #expect(object["layout"] as? String == fixture.layout)
    }
  }

  @Test(
    "a second apply has nothing to do; the ledger has one applied event per migration",
    arguments: LayoutFixture.allCases)
  func secondApply(_ fixture: LayoutFixture) throws {
    try withLayoutWorkspace(fixture) { workspace in
      try workspace.apply()
      let again = try workspace.tool(["apply"])
      #expect(again.status == 0, "\(again.stderr)")
      #expect(again.stdout.contains("Nothing to apply"))
      let migrations = try ReferenceRunner.entries(in: fixture.referenceList).count
      #expect(try workspace.appliedEvents() == migrations)
    }
  }

  // MARK: - rollback

  @Test(
    "rollback --all of a reversible layout leaves no application schema",
    arguments: LayoutFixture.allCases.filter { $0.rollback == .reversible })
  func rollbackAll(_ fixture: LayoutFixture) throws {
    try withLayoutWorkspace(fixture) { workspace in
      try workspace.apply()
      let result = try workspace.tool(["rollback", "--all"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try workspace.files.schemaObjects() == [])
    }
  }

  @Test(
    "rollback of an up-only layout is refused as irreversible and writes nothing",
    arguments: LayoutFixture.allCases.filter { $0.rollback == .irreversible })
  func rollbackRefused(_ fixture: LayoutFixture) throws {
    try withLayoutWorkspace(fixture) { workspace in
      try workspace.apply()
      let before = try workspace.databaseBytes()
      let result = try workspace.tool(["rollback", "--steps", "1"])
      #expect(result.status == 1)
      #expect(result.stderr.lowercased().contains("irreversible"), "\(result.stderr)")
      #expect(try workspace.databaseBytes() == before)
    }
  }

  @Test("flyway: rollback --to 1.2 runs the undo file of 1.10")
  func flywayUndo() throws {
    try withLayoutWorkspace(.flyway) { workspace in
      // Without V2 (no undo file) and the repeatable R__ (run after every versioned
      // migration, no undo): what an undo of 1.10 meets beyond them is not this test's
      // question. What remains needs no placeholder values.
      for name in ["V2__seed.sql", "R__user_view.sql"] {
        try FileManager.default.removeItem(
          at: workspace.files.migrations.appendingPathComponent(name))
      }
      try workspace.apply(withOptions: false)
      #expect(try workspace.files.schemaObjects().contains("table audit_log"))
      let result = try workspace.tool(["rollback", "--to", "1.2"], withOptions: false)
      #expect(result.status == 0, "\(result.stderr)")
      let objects = try workspace.files.schemaObjects()
      #expect(!objects.contains("table audit_log"))
      #expect(!objects.contains("trigger users_audit_email"))
      #expect(objects.contains("index users_email_idx"))
    }
  }

  // MARK: - Layout details

  @Test("diesel: the comment-only initial setup is applied and recorded")
  func dieselInitialSetup() throws {
    try withLayoutWorkspace(.diesel) { workspace in
      try workspace.apply()
      #expect(try workspace.appliedEvents(matching: "00000000000000_diesel_initial_setup") == 1)
    }
  }

  @Test("flyway: placeholder values are not drift, and the ledger keeps the substituted SQL")
  func flywayPlaceholders() throws {
    try withLayoutWorkspace(.flyway) { workspace in
      try workspace.apply()
      let again = try workspace.tool(
        ["apply", "--placeholder", "default_role=admin"], withOptions: false)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(again.stdout.contains("Nothing to apply"))
      let recorded = try workspace.files.query(
        "SELECT sql FROM schemaledger_events_with_sql WHERE kind = 'applied' AND migration LIKE 'V2%'"
      )
      #expect(recorded.count == 1)
      let sql = try #require(recorded.first)
      #expect(sql.contains("member"))
      #expect(!sql.contains("${default_role}"))
      #expect(!sql.contains("admin"))
    }
  }

  @Test("flyway: an edited repeatable migration runs again")
  func flywayRepeatable() throws {
    try withLayoutWorkspace(.flyway) { workspace in
      try workspace.apply()
      #expect(try workspace.appliedEvents(matching: "R__user_view") == 1)
      let file = workspace.files.migrations.appendingPathComponent("R__user_view.sql")
      let original = try String(contentsOf: file, encoding: .utf8)
      let edited = original.replacingOccurrences(
        of: "SELECT id, name, role", with: "SELECT id, name, email, role")
      try #require(edited != original)
      try Data(edited.utf8).write(to: file)
      let result = try workspace.tool(["apply"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try workspace.appliedEvents(matching: "R__user_view") == 2)
      let view = try workspace.files.query(
        "SELECT sql FROM sqlite_master WHERE type = 'view' AND name = 'user_names'")
      #expect(view.first?.contains("email") == true)
    }
  }
}
