/// One option a command accepts.
struct OptionSpec {
  /// Long name without dashes (`database`).
  var name: String
  /// Short letter without dash (`d`), if any.
  var short: Character?
  /// The value's placeholder (`PATH`); `nil` for a flag.
  var valueName: String?
  /// May be given several times.
  var isRepeatable = false
  /// Environment variable supplying a default.
  var environment: String?
  /// One-line help.
  var help: String

  /// `true` for a flag (no value).
  var isFlag: Bool { valueName == nil }

  /// `-d, --database PATH`.
  var synopsis: String {
    var text = short.map { "-\($0), " } ?? ""
    text += "--\(name)"
    if let valueName { text += " \(valueName)" }
    return text
  }
}

/// The options every command accepts.
enum GlobalOptions {
  static let specs: [OptionSpec] = [
    OptionSpec(
      name: "database", short: "d", valueName: "PATH", environment: "SCHEMALEDGER_DATABASE",
      help: "The SQLite database file (env SCHEMALEDGER_DATABASE)."),
    OptionSpec(
      name: "url", valueName: "URL", environment: "DATABASE_URL",
      help: "The database as a URL: sqlite:PATH, sqlite3:PATH, sqlite:///ABS/PATH, file:PATH, "
        + "or postgres://USER@HOST:PORT/DATABASE (env DATABASE_URL)."),
    OptionSpec(
      name: "ledger-schema", valueName: "NAME", environment: "SCHEMALEDGER_LEDGER_SCHEMA",
      help: "PostgreSQL: the schema that holds the ledger (default schemaledger)."),
    OptionSpec(
      name: "step-lock-timeout", valueName: "SECONDS",
      environment: "SCHEMALEDGER_STEP_LOCK_TIMEOUT",
      help: "PostgreSQL: how long a step waits for a lock another session holds (default 5)."),
    OptionSpec(
      name: "migrations", short: "m", valueName: "DIR", environment: "SCHEMALEDGER_MIGRATIONS",
      help: "The migrations folder (env SCHEMALEDGER_MIGRATIONS; default ./migrations)."),
    OptionSpec(
      name: "lock-timeout", valueName: "SECONDS", environment: "SCHEMALEDGER_LOCK_TIMEOUT",
      help: "How long to wait for another run's lock (default 60)."),
    OptionSpec(
      name: "layout", valueName: "NAME", environment: "SCHEMALEDGER_LAYOUT",
      help: "Read the migrations folder as this layout: sql-files (also dbmate, goose, "
        + "golang-migrate, sqlx), diesel, prisma, drizzle or flyway (default: detected)."),
    OptionSpec(
      name: "placeholder", valueName: "NAME=VALUE", isRepeatable: true,
      help: "A value for ${NAME} in Flyway files and goose ENVSUB blocks (repeatable)."),
    OptionSpec(
      name: "ledger-key-file", valueName: "PATH", environment: "SCHEMALEDGER_LEDGER_KEY_FILE",
      help: "The secret key of a keyed hash chain, in a file (never stored in the database)."),
    OptionSpec(
      name: "load-extension", valueName: "PATH", isRepeatable: true,
      help: "Load a SQLite extension into the connection (repeatable)."),
    OptionSpec(
      name: "quiet", short: "q", help: "Print only errors, warnings and a new database on stderr."),
    OptionSpec(name: "verbose", short: "v", help: "Also print every event appended to the ledger."),
    OptionSpec(name: "help", short: "h", help: "Show help for the command."),
  ]
}
