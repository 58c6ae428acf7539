/// Why another tool's history could not be imported. Nothing was recorded.
public enum ImportError: Error, Sendable, Equatable, MessageBacked {
  /// The tool's history table is not in the database.
  case tableMissing(tool: String, table: String, database: String)
  /// The table is there but not laid out as the tool writes it: another tool's table of the
  /// same name (golang-migrate and dbmate both call theirs `schema_migrations`).
  case unexpectedColumns(tool: String, table: String, database: String, columns: [String])
  /// The tool marks a migration as failed or half-done: `version` is its version, or its
  /// name for a tool that names migrations (Prisma).
  case dirty(tool: String, version: String)
  /// A version is not an integer SchemaLedger can match to a file.
  case unreadableVersion(tool: String, value: String)

  /// The message, with its advice worded for each reader (`MessageBacked`).
  package var message: ErrorMessage {
    switch self {
    case .tableMissing(let tool, let table, let database):
      return ErrorMessage(
        "\(database) has no table \(table), where \(tool) keeps its history. Nothing "
          + "was imported. ",
        action: "Check \(Remedy.database), and that --from names the tool that migrated this "
          + "database (or use 'schemaledger baseline --to VERSION').")
    case .unexpectedColumns(let tool, let table, let database, let columns):
      let owners = ImportedTool.allCases.filter {
        $0.rawValue != tool && HistoryImporter.table(of: $0) == table
          && HistoryImporter.isLaidOut(as: $0, Set(columns))
      }
      let before =
        "\(database): table \(table) has the columns \(columns.joined(separator: ", ")), "
        + "not the ones \(tool) writes. Nothing was imported. Another tool made this table; "
      guard let owner = owners.first else {
        return ErrorMessage(
          before, action: "run 'schemaledger import --from TOOL' with the tool that created it.")
      }
      return ErrorMessage(
        before + "it is laid out as \(owner.rawValue) writes it: ",
        action: "run 'schemaledger import --from \(owner.rawValue)'.")
    case .dirty(let tool, let version):
      let what = ImportedTool(rawValue: tool) == .prisma ? "migration" : "version"
      return ErrorMessage(
        "\(tool) records \(what) \(version) as failed or half-done. Nothing was "
          + "imported. ",
        action: "\(Self.repair(tool: tool, version: version)). Then import again.")
    case .unreadableVersion(let tool, let value):
      return ErrorMessage(
        "\(tool) records version '\(value)', which is not a version SchemaLedger reads "
          + "(digits, or parts such as 1.10). Nothing was imported. ",
        action: "Rename the migration files, or adopt the database with 'schemaledger "
          + "baseline --to VERSION'.")
    }
  }

  /// How each tool itself clears its failed migration `version`.
  private static func repair(tool: String, version: String) -> String {
    switch ImportedTool(rawValue: tool) {
    case .golangMigrate:
      return "golang-migrate marks schema_migrations dirty. Finish or undo the migration by "
        + "hand, then run 'migrate force VERSION' with the version the schema is at"
    case .sqlx:
      return "sqlx marks it success = 0 in _sqlx_migrations. Finish or undo the migration by "
        + "hand, then remove its row from _sqlx_migrations, as sqlx itself asks"
    case .flyway:
      return "Flyway marks it success = 0 in flyway_schema_history. Finish or undo the "
        + "migration by hand, then run 'flyway repair' to remove the failed entry"
    case .prisma:
      return "Prisma left it with neither finished_at nor rolled_back_at in "
        + "_prisma_migrations. Finish or undo the migration by hand, then run 'prisma migrate "
        + "resolve --applied \(version)' (finished) or 'prisma migrate resolve --rolled-back "
        + "\(version)' (undone), as Prisma itself asks"
    default:
      return "Repair the database with \(tool) first"
    }
  }
}
