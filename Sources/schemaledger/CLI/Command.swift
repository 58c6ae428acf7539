import FoundationEssentials
import SchemaLedger
import SchemaLedgerPostgres

/// A subcommand: its help text and what it does. Commands are thin: validate the
/// arguments, make one library call, render the result.
protocol Command {
  /// The word after `schemaledger`.
  static var name: String { get }
  /// Other words for it, the other tools' vocabulary (`up` for `apply`).
  static var aliases: [String] { get }
  /// One line for `OVERVIEW:` and the command list.
  static var overview: String { get }
  /// The `USAGE:` line after `schemaledger `.
  static var usage: String { get }
  /// `ARGUMENTS:` entries.
  static var arguments: [(name: String, help: String)] { get }
  /// Options of this command (the global ones are added).
  static var options: [OptionSpec] { get }
  /// Extra paragraphs after the options (exit codes, notes).
  static var discussion: String? { get }
  /// Runs the command.
  static func run(_ context: CommandContext) throws -> ExitCode
}

extension Command {
  static var aliases: [String] { [] }
  static var arguments: [(name: String, help: String)] { [] }
  static var discussion: String? { nil }
}

/// Everything a command needs: its parsed arguments, the terminal, the environment.
struct CommandContext {
  let arguments: ParsedArguments
  let terminal: Terminal
  let commandName: String

  /// Refuses a `--database` (or `SCHEMALEDGER_DATABASE`) that names no file: an empty
  /// value (an unset shell variable) or `:memory:`, for which SQLite would migrate a
  /// temporary database and throw it away. Every command checks it, `new` too.
  func checkDatabaseOption() throws {
    guard arguments.value("database") != nil || arguments.value("url") != nil else { return }
    if try postgresURL() != nil { return }
    let path = try databasePath()
    let origin = arguments.origin(arguments.value("database") != nil ? "database" : "url")
    if path.isEmpty {
      throw UsageError(
        message: "\(origin) '' names no file: SQLite would use a temporary database, and "
          + "what the command did would be thrown away when it ends. Pass the database "
          + "file's path (is a shell variable unset?).",
        command: commandName)
    }
    if path == ":memory:" {
      throw UsageError(
        message: "\(origin) ':memory:' is SQLite's in-memory database: it would be migrated "
          + "and thrown away when the command ends. Pass the database file's path; to "
          + "migrate an in-memory database, embed SchemaLedger in the application "
          + "(docs/embedding.md).",
        command: commandName)
    }
  }

  /// The database: a PostgreSQL server for a `postgres://` URL, else a SQLite file.
  func database() throws -> SchemaMigrator.Database {
    if let url = try postgresURL() {
      var lockTimeout = 5.0
      if let text = arguments.value("step-lock-timeout") {
        guard let seconds = Self.seconds(text), seconds <= Self.maximumLockTimeout else {
          throw UsageError(
            message: "\(arguments.origin("step-lock-timeout")) needs a number of seconds "
              + "from 0 to 86400, such as 5 or 0.5, not '\(text)'.",
            command: commandName)
        }
        lockTimeout = seconds
      }
      return .postgres(
        url: url, ledgerSchema: arguments.value("ledger-schema") ?? "schemaledger",
        lockTimeout: lockTimeout)
    }
    return .path(try databasePath())
  }

  /// The `postgres://` URL given (`--url`, `--database` or their variables), or `nil`.
  func postgresURL() throws -> String? {
    let chosen = try chosenDatabase()
    return PostgresURL.isPostgres(chosen.text) ? chosen.text : nil
  }

  /// The database file: `--database` (a path, or a URL), else `--url`; the command line
  /// wins over the environment (`SCHEMALEDGER_DATABASE`, `DATABASE_URL`). A URL is never
  /// taken for a file name. A usage error names the ways to give it.
  func databasePath() throws -> String {
    let chosen = try chosenDatabase()
    guard DatabaseURL.looksLikeURL(chosen.text) else {
      if chosen.origin == "--url" || chosen.origin == "DATABASE_URL" {
        throw UsageError(
          message: "\(chosen.origin) '\(chosen.text)' is not a URL: write sqlite:PATH or "
            + "postgres://HOST/DATABASE.",
          command: commandName)
      }
      return chosen.text
    }
    do {
      return try DatabaseURL.sqlitePath(chosen.text)
    } catch let problem as DatabaseURL.Problem {
      throw UsageError(message: "\(chosen.origin): \(problem)", command: commandName)
    }
  }

  /// The database option that applies, and where it came from (`--url`, `DATABASE_URL`,
  /// ...): the command line wins over the environment.
  private func chosenDatabase() throws -> (text: String, origin: String) {
    let database = arguments.value("database")
    let url = arguments.value("url")
    let databaseFromLine = database != nil && arguments.environmentSources["database"] == nil
    let urlFromLine = url != nil && arguments.environmentSources["url"] == nil
    if databaseFromLine, urlFromLine {
      throw UsageError(message: "Give --database or --url, not both.", command: commandName)
    }
    let chosen: (text: String, origin: String)?
    if databaseFromLine || (database != nil && !urlFromLine) {
      chosen = database.map { ($0, arguments.origin("database")) }
    } else {
      chosen = url.map { ($0, arguments.origin("url")) }
    }
    guard let chosen else {
      throw UsageError(
        message: "No database given. Pass --database PATH or --url sqlite:PATH (or "
          + "postgres://HOST/DATABASE), or set SCHEMALEDGER_DATABASE or DATABASE_URL.",
        command: commandName)
    }
    return chosen
  }

  /// The `--migrations` folder (default `migrations`).
  var migrationsDirectory: String { arguments.value("migrations") ?? "migrations" }

  /// The library façade configured from the global options, printing progress to stderr.
  /// A command that writes (`progress`), or that replays the ledger's SQL in a scratch
  /// database (`stoppable`), stops cleanly on Ctrl-C or SIGTERM.
  func ledger(progress: ProgressHandler? = nil, stoppable: Bool = false) throws
    -> SchemaMigrator
  {
    var configuration = SchemaMigrator.Configuration()
    if let text = arguments.value("lock-timeout") {
      guard let seconds = Self.seconds(text), seconds <= Self.maximumLockTimeout else {
        throw UsageError(
          message: "\(arguments.origin("lock-timeout")) needs a number of seconds from 0 to "
            + "86400 (1 day), such as 30 or 0.5, not '\(text)'.",
          command: commandName)
      }
      configuration.lockTimeout = seconds
    }
    configuration.extensions = arguments.all("load-extension")
    configuration.layout = try layout()
    configuration.placeholders = try placeholders()
    configuration.ledgerKey = try ledgerKey()
    configuration.createDatabase = !arguments.flag("no-create")
    configuration.allowOutOfOrder = arguments.flag("allow-out-of-order")
    configuration.progress = progress ?? ProgressPrinter.warningsOnly(terminal)
    if progress != nil || stoppable {
      // A command that reports progress writes, or replays into a scratch database that
      // must be dropped: let Ctrl-C stop it cleanly.
      let cancellation = MigrationCancellation()
      SignalTrap.install(cancellation)
      configuration.cancellation = cancellation
    }
    return SchemaMigrator(
      database: try database(), migrations: .directory(migrationsDirectory),
      configuration: configuration)
  }

  /// The longest `--lock-timeout` accepted: one day. A longer wait is a mistake (a value
  /// meant as milliseconds), and the library caps SQLite's busy timeout anyway.
  static let maximumLockTimeout: Double = 86400

  /// Seconds written as decimal digits with an optional fraction (`30`, `0.5`); `nil` for
  /// anything else (signs, exponents, hexadecimal, `inf`, `nan`, spaces).
  static func seconds(_ text: String) -> Double? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count),
      parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } })
    else { return nil }
    return Double(text)
  }

  /// A count option (`--steps N`, `--limit N`): decimal digits, at least 1, or a usage
  /// error naming the option.
  func count(_ option: String) throws -> Int? {
    guard let text = arguments.value(option) else { return nil }
    let digits = !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    guard digits, let value = Int(text) else {
      throw UsageError(
        message: digits
          ? "--\(option) \(text) is too large: give at most \(Int.max)."
          : "--\(option) needs a number ≥ 1, not '\(text)'.",
        command: commandName)
    }
    guard value >= 1 else {
      throw UsageError(
        message: "--\(option) needs a number ≥ 1, not '\(text)'.", command: commandName)
    }
    return value
  }

  /// A version argument (`3`, `20240313170000`, diesel's `2024-03-13-170000`, Flyway's
  /// `1.10`), or a usage error naming the option.
  func version(_ option: String) throws -> MigrationVersion? {
    guard let text = arguments.value(option) else { return nil }
    guard let version = MigrationVersion(text) else {
      throw UsageError(
        message: Self.hasTooLargePart(text)
          ? "--\(option) \(text) is too large: a version part is at most \(Int64.max)."
          : "--\(option) needs a migration version (digits, or parts such as 1.10), "
            + "not '\(text)'.",
        command: commandName)
    }
    return version
  }

  /// `true` when `text` is written like a version but a part has too many digits for 64
  /// bits (`99999999999999999999`, `1.99999999999999999999`).
  private static func hasTooLargePart(_ text: String) -> Bool {
    guard text.first?.isASCII == true, text.first?.isNumber == true else { return false }
    let parts = text.split(whereSeparator: { ".-_".contains($0) })
    return parts.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
      && parts.contains { Int64($0) == nil }
  }

  /// The `--layout` option, or a usage error listing the layouts.
  func layout() throws -> MigrationLayout? {
    guard let text = arguments.value("layout") else { return nil }
    guard let layout = MigrationLayout(named: text) else {
      let names = MigrationLayout.allCases.flatMap { [$0.rawValue] + $0.aliases }
      throw UsageError(
        message: "Unknown layout '\(text)'. Known layouts: "
          + names.joined(separator: ", ") + ".",
        command: commandName)
    }
    return layout
  }

  /// The key in the `--ledger-key-file` file, or a usage error saying why it is refused.
  func ledgerKey() throws -> LedgerKey? {
    guard let path = arguments.value("ledger-key-file") else { return nil }
    guard !path.isEmpty else {
      throw UsageError(message: "--ledger-key-file needs a path.", command: commandName)
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw InputFileError(option: "ledger-key-file", path: path, reason: "it cannot be read")
    }
    guard let key = LedgerKey(file: path) else {
      throw UsageError(
        message: "--ledger-key-file: the key in '\(path)' is shorter than "
          + "\(LedgerKey.minimumLength) bytes; use a long random key (for example "
          + "'openssl rand -hex 32 > \(path)').",
        command: commandName)
    }
    return key
  }

  /// The `--placeholder NAME=VALUE` options, or a usage error naming the bad one.
  func placeholders() throws -> [String: String] {
    var values: [String: String] = [:]
    for text in arguments.all("placeholder") {
      guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
        throw UsageError(
          message: "--placeholder needs NAME=VALUE, not '\(text)'.", command: commandName)
      }
      values[String(text[..<equals])] = String(text[text.index(after: equals)...])
    }
    return values
  }

  /// A time argument (ISO-8601 or a date) in the ledger's form, or a usage error.
  func time(_ option: String) throws -> String? {
    guard let text = arguments.value(option) else { return nil }
    guard let time = Timestamp.parse(text) else {
      throw UsageError(
        message: "--\(option) needs a time like 2026-11-25 or 2026-11-25T08:50:00Z, "
          + "not '\(text)'.",
        command: commandName)
    }
    return time
  }

  /// `--reason TEXT`, required by commands that record an operator's decision.
  func reason() throws -> String {
    guard let reason = arguments.value("reason"),
      !reason.allSatisfy(\.isWhitespace)
    else {
      throw UsageError(
        message: "\(commandName) needs --reason TEXT: it is recorded in the ledger.",
        command: commandName)
    }
    return reason
  }

  /// The one positional argument, or a usage error naming it.
  func singleArgument(_ name: String) throws -> String {
    guard arguments.positionals.count == 1, let value = arguments.positionals.first else {
      throw UsageError(message: "Give exactly one \(name).", command: commandName)
    }
    return value
  }
}
