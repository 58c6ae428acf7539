/// Reads the history tables other migration tools keep, as each creates them on the
/// engine at hand (SQLite or PostgreSQL: a time is text on one and a `timestamp` on the
/// other; Drizzle and Sqitch keep their tables in schemas of their own on PostgreSQL).
/// Read-only: the other tool's table is never changed.
enum HistoryImporter {
  /// The applied migrations `tool` recorded, in the order the tool applied them.
  ///
  /// golang-migrate keeps only the current version: the single entry returned is that
  /// version, and the caller treats every migration up to it as applied.
  static func read(_ tool: ImportedTool, from connection: any DatabaseConnection) throws
    -> [ImportedEntry]
  {
    let table = Self.table(of: tool, on: connection.engine)
    let columns = try Self.columns(of: table, in: connection)
    guard !columns.isEmpty else {
      throw ImportError.tableMissing(
        tool: tool.rawValue, table: table, database: connection.location)
    }
    guard Self.isLaidOut(as: tool, columns) else {
      throw ImportError.unexpectedColumns(
        tool: tool.rawValue, table: table, database: connection.location,
        columns: columns.sorted())
    }
    switch tool {
    case .golangMigrate: return try golangMigrateEntries(connection)
    case .dbmate: return try dbmateEntries(connection, withTimes: columns.contains("applied_at"))
    case .goose: return try gooseEntries(connection)
    case .sqlx: return try sqlxEntries(connection)
    case .diesel:
      return try entries(
        "SELECT version, \(time("run_on", connection)) FROM __diesel_schema_migrations "
          + "ORDER BY version", tool, connection)
    case .flyway: return try flywayEntries(connection)
    case .grdb: return try grdbEntries(connection)
    case .prisma: return try prismaEntries(connection)
    case .drizzle: return try drizzleEntries(connection, table: table)
    case .liquibase: return try liquibaseEntries(connection)
    case .alembic: return try alembicEntries(connection)
    case .sqitch: return try sqitchEntries(connection, table: table)
    }
  }

  /// One entry per row of `sql` (a version, then when it was applied, as `time` selects it).
  private static func entries(
    _ sql: String, _ tool: ImportedTool, _ connection: any DatabaseConnection
  ) throws -> [ImportedEntry] {
    var entries: [ImportedEntry] = []
    try connection.query(sql, []) { entries.append(try entry($0, tool: tool, connection)) }
    return entries
  }

  /// The expression that selects the time in `column` for `appliedAt`: SQLite's tools
  /// write text, selected as it is; PostgreSQL's write a `timestamp` (or `timestamptz`),
  /// selected as milliseconds since the epoch (a `timestamp` without zone read as UTC).
  static func time(_ column: String, _ connection: any DatabaseConnection) -> String {
    switch connection.engine {
    case .sqlite: column
    case .postgres: "floor(extract(epoch FROM \(column)) * 1000)::bigint"
    }
  }

  /// The time `time` selected into `column`, in the ledger's form, or `nil`.
  static func appliedAt(
    _ row: any SQLRow, _ column: Int, _ connection: any DatabaseConnection
  ) -> String? {
    switch connection.engine {
    case .sqlite: row.text(column).flatMap(Timestamp.parse)
    case .postgres: row.int64(column).flatMap(Timestamp.format(millisecondsSinceEpoch:))
    }
  }

  /// golang-migrate's one row: the current version, refused while `dirty`.
  private static func golangMigrateEntries(_ connection: any DatabaseConnection) throws
    -> [ImportedEntry]
  {
    var entries: [ImportedEntry] = []
    try connection.query("SELECT version, dirty FROM schema_migrations LIMIT 1", []) { row in
      let version = row.text(0) ?? ""
      if row.int64(1) ?? 0 != 0 {
        throw ImportError.dirty(tool: ImportedTool.golangMigrate.rawValue, version: version)
      }
      entries.append(
        ImportedEntry(
          version: try Self.version(version, .golangMigrate), identifier: nil, appliedAt: nil))
    }
    return entries
  }

  /// dbmate's versions, in version order (`applied_at` only in newer dbmate versions).
  private static func dbmateEntries(_ connection: any DatabaseConnection, withTimes: Bool)
    throws -> [ImportedEntry]
  {
    let time = withTimes ? time("applied_at", connection) : "NULL"
    return try entries("SELECT version, \(time) FROM schema_migrations", .dbmate, connection)
      .sorted { ($0.version ?? 0) < ($1.version ?? 0) }
  }

  /// goose's log of applies and rollbacks: the versions whose last row says applied, in
  /// the order first applied (version 0 is goose's own initial row).
  private static func gooseEntries(_ connection: any DatabaseConnection) throws
    -> [ImportedEntry]
  {
    var latest: [Int64: (applied: Bool, at: String?)] = [:]
    var order: [Int64] = []
    try connection.query(
      "SELECT version_id, is_applied, \(time("tstamp", connection)) FROM goose_db_version "
        + "ORDER BY id", []
    ) { row in
      let version = row.int64(0) ?? 0
      guard version != 0 else { return }  // goose's own initial row
      if latest[version] == nil { order.append(version) }
      latest[version] = ((row.int64(1) ?? 0) != 0, appliedAt(row, 2, connection))
    }
    return order.compactMap { version in
      guard let state = latest[version], state.applied else { return nil }
      return ImportedEntry(
        version: MigrationVersion(version), identifier: nil, appliedAt: state.at)
    }
  }

  /// sqlx's migrations, refused when one did not succeed.
  private static func sqlxEntries(_ connection: any DatabaseConnection) throws
    -> [ImportedEntry]
  {
    var entries: [ImportedEntry] = []
    try connection.query(
      "SELECT version, \(time("installed_on", connection)), success FROM _sqlx_migrations "
        + "ORDER BY version", []
    ) { row in
      if row.int64(2) ?? 1 == 0 {
        throw ImportError.dirty(tool: ImportedTool.sqlx.rawValue, version: row.text(0) ?? "?")
      }
      entries.append(try Self.entry(row, tool: .sqlx, connection))
    }
    return entries
  }

  /// GRDB's identifiers, in the order it registered them.
  private static func grdbEntries(_ connection: any DatabaseConnection) throws
    -> [ImportedEntry]
  {
    var entries: [ImportedEntry] = []
    try connection.query("SELECT identifier FROM grdb_migrations ORDER BY rowid", []) {
      entries.append(ImportedEntry(version: nil, identifier: $0.text(0), appliedAt: nil))
    }
    return entries
  }

  /// Drizzle's rows: the SHA-256 of each file's text. Drizzle's `id SERIAL` is no rowid
  /// alias on SQLite and stays NULL: the rowid is the order it inserted the rows in. On
  /// PostgreSQL it is a real `serial`, and `created_at` a `bigint` of milliseconds.
  private static func drizzleEntries(_ connection: any DatabaseConnection, table: String)
    throws -> [ImportedEntry]
  {
    var entries: [ImportedEntry] = []
    let sql =
      connection.engine == .postgres
      ? "SELECT hash, created_at, 'integer' FROM \(table) ORDER BY id"
      : "SELECT hash, created_at, typeof(created_at) FROM \(table) ORDER BY rowid"
    try connection.query(sql, []) { row in
      entries.append(
        ImportedEntry(
          version: nil, identifier: nil, appliedAt: Self.javaScriptTime(row, 1, type: 2),
          checksum: row.text(0) ?? ""))
    }
    return entries
  }

  /// The table each tool keeps its history in, on `engine`.
  static func table(of tool: ImportedTool, on engine: DatabaseEngine = .sqlite) -> String {
    switch tool {
    case .golangMigrate, .dbmate: return "schema_migrations"
    case .goose: return "goose_db_version"
    case .sqlx: return "_sqlx_migrations"
    case .diesel: return "__diesel_schema_migrations"
    case .flyway: return "flyway_schema_history"
    case .grdb: return "grdb_migrations"
    case .prisma: return "_prisma_migrations"
    case .drizzle:
      return engine == .postgres ? "drizzle.__drizzle_migrations" : "__drizzle_migrations"
    case .liquibase: return "databasechangelog"
    case .alembic: return "alembic_version"
    // Sqitch keeps its registry in a schema of its own on PostgreSQL; on SQLite in a
    // file of its own (`sqitch.db`), so `changes` is found only where that registry
    // shares the application's file.
    case .sqitch: return engine == .postgres ? "sqitch.changes" : "changes"
    }
  }

  /// Whether `columns` are those `tool` writes. golang-migrate and dbmate both name their
  /// table `schema_migrations`; golang-migrate's `dirty` column tells them apart.
  static func isLaidOut(as tool: ImportedTool, _ columns: Set<String>) -> Bool {
    let required: Set<String>
    switch tool {
    case .golangMigrate: required = ["version", "dirty"]
    case .dbmate: return columns.contains("version") && !columns.contains("dirty")
    case .goose: required = ["id", "version_id", "is_applied", "tstamp"]
    case .sqlx: required = ["version", "installed_on", "success"]
    case .diesel: required = ["version", "run_on"]
    case .flyway: required = ["installed_rank", "version", "type", "installed_on", "success"]
    case .grdb: required = ["identifier"]
    case .prisma:
      required = [
        "id", "checksum", "migration_name", "started_at", "finished_at", "rolled_back_at",
      ]
    case .drizzle: required = ["id", "hash", "created_at"]
    case .liquibase:
      required = ["id", "author", "filename", "dateexecuted", "orderexecuted", "exectype"]
    case .alembic: required = ["version_num"]
    case .sqitch: required = ["change_id", "change", "project", "committed_at"]
    }
    return required.isSubset(of: columns)
  }

  /// Flyway's applied versions, read in `installed_rank` order: an undo row (`UNDO_SQL`,
  /// `UNDO_JDBC`, ...) or the `DELETE` row `flyway repair` writes for a migration it marks
  /// deleted takes its version back out; `SCHEMA` rows and repeatable migrations (no
  /// version) are not migrations SchemaLedger can match.
  private static func flywayEntries(_ connection: any DatabaseConnection) throws
    -> [ImportedEntry]
  {
    var applied: [(version: String, appliedAt: String?, baseline: Bool)] = []
    try connection.query(
      """
      SELECT version, \(time("installed_on", connection)), success, type
      FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank
      """, []
    ) { row in
      let version = row.text(0) ?? ""
      let type = row.text(3) ?? ""
      guard type != "SCHEMA" else { return }
      if row.int64(2) ?? 1 == 0 {
        throw ImportError.dirty(tool: ImportedTool.flyway.rawValue, version: version)
      }
      applied.removeAll { $0.version == version }
      guard type != "DELETE", !type.hasPrefix("UNDO_") else { return }
      applied.append((version, appliedAt(row, 1, connection), type.hasSuffix("BASELINE")))
    }
    return try applied.map {
      var entry = ImportedEntry(
        version: try Self.version($0.version, .flyway), identifier: nil, appliedAt: $0.appliedAt)
      entry.includesEarlierVersions = $0.baseline  // a baseline stands for all before it
      return entry
    }
  }

  /// Prisma's applied migrations, read in the order it inserted the rows: the latest row
  /// of a migration name decides. A row is applied when it has `finished_at` and no
  /// `rolled_back_at`; one with neither is a migration that failed or stopped half-way
  /// (Prisma itself refuses to deploy past it), and is refused. A name whose latest row is
  /// rolled back is not applied (`prisma migrate deploy` would run it again).
  private static func prismaEntries(_ connection: any DatabaseConnection) throws
    -> [ImportedEntry]
  {
    var latest: [String: (position: Int, finished: Bool, rolledBack: Bool, at: String?)] = [:]
    var position = 0
    // On PostgreSQL the times are `timestamptz` and the rows have no rowid: read in the
    // order they started.
    let sql =
      connection.engine == .postgres
      ? """
      SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL,
        \(time("finished_at", connection)), 'integer'
      FROM _prisma_migrations ORDER BY started_at, id
      """
      : """
      SELECT migration_name, finished_at IS NOT NULL, rolled_back_at IS NOT NULL,
        finished_at, typeof(finished_at)
      FROM _prisma_migrations ORDER BY rowid
      """
    try connection.query(sql, []) { row in
      position += 1
      latest[row.text(0) ?? ""] = (
        position, (row.int64(1) ?? 0) != 0, (row.int64(2) ?? 0) != 0,
        Self.javaScriptTime(row, 3, type: 4)
      )
    }
    let rows = latest.sorted { $0.value.position < $1.value.position }
    if let failed = rows.first(where: { !$0.value.finished && !$0.value.rolledBack }) {
      throw ImportError.dirty(tool: ImportedTool.prisma.rawValue, version: failed.key)
    }
    return rows.filter { !$0.value.rolledBack }.map {
      ImportedEntry(version: nil, identifier: $0.key, appliedAt: $0.value.at)
    }
  }

  /// A time as Prisma and Drizzle write it on SQLite: milliseconds since the epoch (an
  /// integer, from JavaScript's `Date` or Prisma's engine), or text (`2024-01-01 09:00:00`,
  /// ISO-8601) from other versions. `nil` when the column is NULL or unreadable. `type` is
  /// the column holding SQLite's `typeof()` of the time.
  private static func javaScriptTime(_ row: any SQLRow, _ column: Int, type: Int) -> String? {
    switch row.text(type) {
    case "integer":
      return row.int64(column).flatMap(Timestamp.format(millisecondsSinceEpoch:))
    case "real":
      guard let value = row.double(column), value.magnitude < 1e15 else { return nil }
      return Timestamp.format(millisecondsSinceEpoch: Int64(value.rounded(.down)))
    case "text":
      return row.text(column).flatMap(Timestamp.parse)
    default:
      return nil
    }
  }

  private static func columns(of table: String, in connection: any DatabaseConnection) throws
    -> Set<String>
  {
    // Lower-cased: Liquibase writes DATABASECHANGELOG's columns in upper case on SQLite.
    Set(try connection.columnNames(of: table).map { $0.lowercased() })
  }

  /// An entry from a row whose column 0 is the version and column 1 the time applied.
  private static func entry(
    _ row: any SQLRow, tool: ImportedTool, _ connection: any DatabaseConnection
  ) throws -> ImportedEntry {
    ImportedEntry(
      version: try version(row.text(0) ?? "", tool), identifier: nil,
      appliedAt: appliedAt(row, 1, connection))
  }

  /// A version: digits (dashes, as in diesel's `2024-03-13-170000`, are ignored), or
  /// Flyway's parts (`1.10`).
  private static func version(_ text: String, _ tool: ImportedTool) throws -> MigrationVersion {
    guard let version = MigrationVersion(text) else {
      throw ImportError.unreadableVersion(tool: tool.rawValue, value: text)
    }
    return version
  }
}
