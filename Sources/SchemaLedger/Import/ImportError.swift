/// Why another tool's history could not be imported. Nothing was recorded.
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The tool's history table is not in the database.
  case tableMissing(tool: String, table: String, database: String)
  /// The tool marks a migration as failed or half-done.
  case dirty(tool: String, version: String)
  /// A version is not an integer SchemaLedger can match to a file.
  case unreadableVersion(tool: String, value: String)

  /// What happened, where, what to do.
  public var description: String {
    switch self {
    case .tableMissing(let tool, let table, let database):
      return "\(database) has no table \(table), where \(tool) keeps its history. Nothing "
        + "was imported. Check --database, and that --from names the tool that migrated "
        + "this database (or use 'schemaledger baseline --to VERSION')."
    case .dirty(let tool, let version):
      return "\(tool) records version \(version) as failed or half-done (dirty). Nothing was "
        + "imported. Repair the database with \(tool) first (for golang-migrate: fix the "
        + "schema, then 'migrate force VERSION'), then import again."
    case .unreadableVersion(let tool, let value):
      return "\(tool) records version '\(value)', which is not an integer. Nothing was "
        + "imported. SchemaLedger versions are integers: rename the migration files, or "
        + "adopt the database with 'schemaledger baseline --to VERSION'."
    }
  }
}
