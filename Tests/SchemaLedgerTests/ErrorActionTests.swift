import Foundation
import Testing

@testable import SchemaLedger

/// One value of every case of the library's error types, with the structured data they
/// carry, for the tests of their messages and suggested actions.
enum SampleErrors {
  static let source: [MigrationSourceError] = [
    .directoryMissing(path: "migrations"),
    .unreadable(file: "m/001_a.sql", reason: "Permission denied"),
    .invalidUTF8(file: "m/001_a.sql", line: 3),
    .nulByte(file: "m/001_a.sql", line: 4),
    .controlCharacters(path: "m/001_a\n.sql"),
    .duplicateVersion(version: MigrationVersion(1), files: ["m/001_a.sql", "m/001_b.sql"]),
    .notWrittenYet(file: "m/001_a.sql"),
    .unplaceable(path: "m/notes.sql", layout: .sqlFiles, looksLike: "a Flyway migration"),
    .unplaceable(path: "m/notes.sql", layout: .sqlFiles, looksLike: nil),
    .mixedLayouts(.sqlFiles, path: "m/001_a.sql", .flyway, otherPath: "m/V2__b.sql"),
    .unsupportedProvider(file: "m/migration_lock.toml", provider: "postgresql"),
    .journal(file: "m/meta/_journal.json", message: "entry 1 has no file"),
    .missingPlaceholder(file: "m/V1__a.sql", line: 2, name: "schema"),
    .misspeltMarker(file: "m/001_a.sql", line: 1, text: "-- migrate up", expected: "-- migrate:up"),
    .duplicateMarker(file: "m/001_a.sql", line: 5, marker: "-- migrate:up"),
    .sqlBeforeUpMarker(file: "m/001_a.sql", line: 1),
    .downWithoutUp(file: "m/001_a.down.sql"),
    .markerOutOfOrder(file: "m/001_a.sql", line: 1),
    .mixedMarkerStyles(file: "m/001_a.sql", line: 6),
    .versionTooLong(file: "m/99999999999999999999_a.sql"),
    .badDirective(file: "m/001_a.sql", line: 2, message: "'-- transaction:' needs false"),
    .invalidName("!!"),
    .cannotCreate(file: "m/002_b.sql", reason: "Permission denied"),
    .unknownDependency(file: "m/002_b.sql", migration: "002_b", dependency: "009_z"),
    .dependencyCycle(file: "m/002_b.sql", cycle: ["002_b", "003_c", "002_b"]),
    .several([.notWrittenYet(file: "m/001_a.sql"), .downWithoutUp(file: "m/002_b.down.sql")]),
  ]

  static let plan: [PlanError] = [
    .checksumMismatch([
      PlanError.Drift(migration: "001_a", file: "m/001_a.sql", recorded: "aa", current: "bb")
    ]),
    .unknownTarget(version: MigrationVersion(9)),
    .unknownAppliedMigrations(["009_z"]),
    .partlyApplied(migration: "002_b", error: "no such table: x"),
    .outOfOrder(migrations: ["002_b"], newestApplied: "003_c"),
    .unknownMigration("009"),
    .reasonRequired(action: "baseline"),
    .nothingToResolve(migration: "001_a"),
    .nothingToAccept(migration: "001_a"),
    .unmatchedImport(tool: "dbmate", entries: ["9"]),
    .unmatchedImport(tool: "drizzle", entries: ["the file with SHA-256 ab"]),
    .irreversible(["001_a"]),
    .irreversible(["001_a", "002_b"]),
    .targetNotApplied(version: MigrationVersion(5)),
    .invalidRollbackTarget(.steps(0)),
  ]

  static let statementFailed = SQLiteError.statementFailed(
    code: 1, message: "no such table: x", sql: "SELECT * FROM x", offset: 0)

  static let sqlite: [SQLiteError] = [
    .directoryMissing(path: "/nowhere/app.sqlite"),
    .fileMissing(path: "app.sqlite"),
    .notADatabase(path: "app.sqlite", code: 26, message: "file is not a database"),
    .readOnly(path: "app.sqlite"),
    .cannotOpen(path: "app.sqlite", code: 14, message: "unable to open database file"),
    .busy(path: "app.sqlite", timeoutSeconds: 60, message: "database is locked"),
    statementFailed,
    .extensionFailed(path: "./ext.so", message: "cannot open shared object file"),
  ]

  static let runLock: [RunLockError] = [
    .timeout(path: "app.sqlite", timeoutSeconds: 5, holder: "pid 12"),
    .unavailable(path: "app.sqlite-schemaledger-lock", reason: "Permission denied"),
  ]

  static let execution: [ExecutionError] = [
    .migrationFailed(
      migration: "002_b", direction: .up, location: SourceLocation(file: "m/002_b.sql", line: 3),
      underlying: statementFailed, transactional: true, completedBefore: ["001_a"]),
    .migrationFailed(
      migration: "002_b", direction: .up, location: SourceLocation(file: "m/002_b.sql", line: 3),
      underlying: statementFailed, transactional: false, completedBefore: []),
    .migrationFailed(
      migration: "002_b", direction: .down,
      location: SourceLocation(file: "ledger event #6 (down SQL of 002_b)", line: 1),
      underlying: statementFailed, transactional: true, completedBefore: []),
    .rehearsalFailed(
      migration: "002_b", direction: .up,
      underlying: .database(SampleErrors.statementFailed)),
    .rehearsalFailed(
      migration: "002_b", direction: .down,
      underlying: .database(SampleErrors.statementFailed)),
    .foreignKeyViolations(
      migration: "002_b", file: "m/002_b.sql", violations: ["b rowid 1 -> a"],
      transactional: true),
    .foreignKeyViolations(
      migration: "002_b", file: "m/002_b.sql", violations: ["b rowid 1 -> a"],
      transactional: false),
    .transactionLeftOpen(
      migration: "002_b", direction: .up, location: SourceLocation(file: "m/002_b.sql", line: 2),
      completedBefore: ["001_a"]),
    .reconstructionFailed(
      seq: 4, migration: "002_b",
      underlying: SQLiteError.statementFailed(
        code: 1, message: "no such function: f", sql: "", offset: 0)),
    .database(SQLiteError.readOnly(path: "app.sqlite")),
  ]

  static let ledger: [LedgerError] = [
    .newerFormat(database: "app.sqlite", found: 9, supported: 2),
    .unreadableEvent(database: "app.sqlite", seq: 3, reason: "unknown kind"),
    .appendOnly(database: "app.sqlite", message: "schemaledger_events is append-only"),
    .tampered(database: "app.sqlite", seq: 4, finding: "event #4 was edited"),
    .concurrentAppend(database: "app.sqlite", seq: 7),
    .keyRequired(database: "app.sqlite", keyID: "k1"),
    .wrongKey(database: "app.sqlite", keyID: "k1", givenID: "k2"),
    .pastEnd(database: "app.sqlite", seq: 1, lastSeq: 0),
    .pastEnd(database: "app.sqlite", seq: 9, lastSeq: 6),
  ]

  static let imports: [ImportError] = [
    .tableMissing(tool: "dbmate", table: "schema_migrations", database: "app.sqlite"),
    .unexpectedColumns(
      tool: "golang-migrate", table: "schema_migrations", database: "app.sqlite",
      columns: ["version"]),
    .unexpectedColumns(
      tool: "goose", table: "schema_migrations", database: "app.sqlite", columns: ["x"]),
    .dirty(tool: "golang-migrate", version: "3"),
    .dirty(tool: "sqlx", version: "3"),
    .dirty(tool: "flyway", version: "3"),
    .dirty(tool: "prisma", version: "20240101_init"),
    .dirty(tool: "dbmate", version: "3"),
    .unreadableVersion(tool: "dbmate", value: "abc"),
  ]

  /// Every sample, with its description.
  static var all: [any Error & CustomStringConvertible] {
    source + plan + sqlite + runLock + execution + ledger + imports
  }
}

/// The suggested next step of a library error, whatever its type.
func suggestedAction(of error: any Error) -> String? {
  switch error {
  case let error as MigrationSourceError: return error.suggestedAction
  case let error as PlanError: return error.suggestedAction
  case let error as ExecutionError: return error.suggestedAction
  case let error as LedgerError: return error.suggestedAction
  case let error as SQLiteError: return error.suggestedAction
  case let error as RunLockError: return error.suggestedAction
  case let error as ImportError: return error.suggestedAction
  default: return nil
  }
}

@Suite("Errors: advice for the reader")
struct ErrorAudienceTests {
  /// The flags of settings an application sets on `Configuration` instead.
  static let settingFlags = [
    "--lock-timeout", "--database", "--migrations", "--layout", "--placeholder",
    "--ledger-key-file", "--load-extension", "--rehearse", "--no-rehearse",
    "--allow-out-of-order",
  ]

  @Test("The library's messages name Configuration settings, never command-line flags")
  func libraryWords() {
    for error in SampleErrors.all {
      let text = error.description
      for flag in Self.settingFlags {
        #expect(!text.contains(flag), "\(text)")
      }
      #expect(!text.contains("\u{1}") && !text.contains("\u{2}"), "\(text)")
    }
  }

  @Test("The command line's messages name the flags")
  func commandLineWords() throws {
    let busy = SQLiteError.busy(path: "app.sqlite", timeoutSeconds: 1, message: "locked")
    #expect(busy.description.contains("Configuration.lockTimeout"))
    #expect(busy.description(for: .commandLine).contains("--lock-timeout SECONDS"))
    let placeholder = MigrationSourceError.missingPlaceholder(
      file: "V1__a.sql", line: 2, name: "schema")
    #expect(placeholder.description.contains("Configuration.placeholders[\"schema\"]"))
    #expect(placeholder.description(for: .commandLine).contains("--placeholder schema=VALUE"))
    #expect(
      placeholder.suggestedAction(for: .commandLine) == "Give it one with --placeholder "
        + "schema=VALUE.")
    for error in SampleErrors.all {
      let text = (error as? any AudienceDescribable)?.description(for: .commandLine) ?? ""
      #expect(!text.contains("\u{1}") && !text.contains("\u{2}"), "\(text)")
    }
  }
}

@Suite("Errors: the suggested next step")
struct ErrorActionTests {
  @Test("every action is words of the message, with a capital first letter")
  func actionIsInTheMessage() {
    for error in SampleErrors.all {
      guard let action = suggestedAction(of: error) else { continue }
      let message = error.description
      let lowered = action.prefix(1).lowercased() + action.dropFirst()
      #expect(
        message.contains(action) || message.contains(lowered), "\(message)\n--- \(action)")
      #expect(action.first?.isLowercase == false, "\(action)")
    }
  }

  @Test("messages without a next step have no action")
  func noAction() {
    let none: [any Error] = [
      MigrationSourceError.duplicateMarker(file: "a.sql", line: 2, marker: "-- migrate:up"),
      MigrationSourceError.several([.notWrittenYet(file: "a.sql")]),
      PlanError.nothingToResolve(migration: "001_a"),
      PlanError.nothingToAccept(migration: "001_a"),
      LedgerError.appendOnly(database: "app.sqlite", message: "refused"),
      SampleErrors.statementFailed,
      ExecutionError.reconstructionFailed(
        seq: 4, migration: "002_b",
        underlying: SQLiteError.statementFailed(code: 1, message: "x", sql: "", offset: 0)),
    ]
    for error in none { #expect(suggestedAction(of: error) == nil, "\(error)") }
    let withAction = SampleErrors.all.filter { suggestedAction(of: $0) != nil }
    #expect(withAction.count >= SampleErrors.all.count - none.count)
  }

  @Test("an action is the step itself, not the whole message")
  func examples() {
    #expect(
      MigrationSourceError.unreadable(file: "a.sql", reason: "denied").suggestedAction
        == "Fix its permissions and retry.")
    #expect(
      PlanError.reasonRequired(action: "baseline").suggestedAction
        == "Pass --reason TEXT (who asked, the ticket, why).")
    #expect(
      LedgerError.concurrentAppend(database: "a", seq: 2).suggestedAction
        == "Run the command again: it will see what the other runner did.")
    #expect(
      ExecutionError.database(SQLiteError.readOnly(path: "a")).suggestedAction
        == SQLiteError.readOnly(path: "a").suggestedAction)
    #expect(
      ImportError.unexpectedColumns(
        tool: "golang-migrate", table: "schema_migrations", database: "a", columns: ["version"]
      ).suggestedAction == "Run 'schemaledger import --from dbmate'.")
  }
}
