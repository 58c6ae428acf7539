/// How a migrations folder is laid out: which tool's conventions its names and files
/// follow. SchemaLedger detects it from the folder (`MigrationSource(directory:)`) and
/// reads each layout by its own tool's rules; `docs/writing-migrations.md` lists them.
public enum MigrationLayout: String, CaseIterable, Sendable, Codable {
  /// `VERSION_name.sql` files with dbmate or goose sections (or none: up only), and
  /// `VERSION_name.up.sql` / `.down.sql` pairs (golang-migrate, sqlx), paired by version;
  /// `V0001.Name.up.sql` and `0001-name.up.sql` too. SchemaLedger's own layout.
  case sqlFiles = "sql-files"
  /// diesel: folders `VERSION_name/` holding `up.sql`, `down.sql` and `metadata.toml`.
  case diesel
  /// Prisma Migrate: folders `NAME/migration.sql` in folder-name order, up only, and
  /// `migration_lock.toml`.
  case prisma
  /// Drizzle Kit: `NNNN_name.sql` in the order of `meta/_journal.json`, up only.
  case drizzle
  /// Flyway: `V1.2__name.sql`, undo scripts `U1.2__name.sql`, repeatable `R__name.sql`,
  /// `${placeholders}`.
  case flyway

  /// The names `--layout` accepts for this layout besides its own: the tools that use it.
  public var aliases: [String] {
    switch self {
    case .sqlFiles: return ["schemaledger", "dbmate", "goose", "golang-migrate", "sqlx"]
    case .diesel, .prisma, .drizzle, .flyway: return []
    }
  }

  /// The layout named `name` (its raw value or an alias), or `nil`.
  public init?(named name: String) {
    let lower = name.lowercased()
    guard
      let layout = Self.allCases.first(where: {
        $0.rawValue == lower || $0.aliases.contains(lower)
      })
    else { return nil }
    self = layout
  }

  /// What its entries look like, for messages: `NAME/migration.sql (Prisma)`.
  public var shape: String {
    switch self {
    case .sqlFiles:
      return "VERSION_name.sql or VERSION_name.up.sql + .down.sql "
        + "(SchemaLedger, dbmate, goose, golang-migrate, sqlx)"
    case .diesel: return "VERSION_name/up.sql + down.sql (diesel)"
    case .prisma: return "NAME/migration.sql with migration_lock.toml (Prisma)"
    case .drizzle: return "NNNN_name.sql listed in meta/_journal.json (Drizzle)"
    case .flyway: return "V1.2__name.sql, U1.2__name.sql, R__name.sql (Flyway)"
    }
  }

  /// Every layout with its shape, one per line, for "which layouts are known" messages.
  static var catalogue: String {
    allCases.map { "    \($0.rawValue): \($0.shape)" }.joined(separator: "\n")
  }
}

/// How a migrations folder is read: the layout (detected when `nil`) and the values of
/// placeholders.
public struct SourceOptions: Sendable, Equatable {
  /// The layout to read the folder as; `nil` detects it, and a folder that mixes layouts
  /// is refused.
  public var layout: MigrationLayout?
  /// Values of `${name}` placeholders in Flyway files and in goose `ENVSUB` blocks.
  public var placeholders: [String: String]
  /// The environment goose `ENVSUB` blocks read (after `placeholders`).
  public var environment: [String: String]
  /// The engine the migrations will run on: a folder written for another one (Prisma's
  /// `migration_lock.toml` names its provider) is refused.
  public var engine: DatabaseEngine

  /// Options: detect the layout, no placeholder values, `environment` for goose, SQLite.
  public init(
    layout: MigrationLayout? = nil, placeholders: [String: String] = [:],
    environment: [String: String] = [:], engine: DatabaseEngine = .sqlite
  ) {
    self.layout = layout
    self.placeholders = placeholders
    self.environment = environment
    self.engine = engine
  }
}
