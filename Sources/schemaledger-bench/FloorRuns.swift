import CSQLite
import Glibc

/// The floor side of every scenario, run in a child process: the same SQL through the
/// same sqlite3 C API, one transaction per migration, no ledger, no files (docs/performance.md).
/// The SQL is generated in memory before the clock starts.
enum FloorRuns {
  /// S1, S2 (`workload=small count=N`) and S5 (`workload=data rows=R`): open, run each
  /// migration's up SQL in its own transaction, close.
  static func apply(_ input: ChildArguments) throws -> ChildResult {
    let migrations =
      try input.text("workload") == "data"
      ? Workload.dataMigrations(rows: try input.integer("rows"))
      : Workload.smallMigrations(count: try input.integer("count"))
    let path = try input.database
    let (_, seconds) = try Stopwatch.time {
      let database = try FloorDatabase(path: path)
      for migration in migrations { try database.executeInTransaction(migration.up) }
      database.close()
    }
    return ChildResult(
      seconds: seconds, values: ["db_bytes": fileSize(path)],
      notes: ["journal_mode": try journalMode(path)])
  }

  /// S1, S2 (the `migrator` reference): what GRDB's `DatabaseMigrator` does, through the
  /// same C API: create `grdb_migrations` and read the identifiers applied, then per
  /// migration one transaction holding its SQL and one bookkeeping row
  /// (`INSERT INTO grdb_migrations (identifier) VALUES (?)`, one statement prepared once
  /// and reused, as GRDB's statement cache does). No history, no hash, no lock.
  static func migratorApply(_ input: ChildArguments) throws -> ChildResult {
    let migrations = Workload.smallMigrations(count: try input.integer("count"))
    let path = try input.database
    let (_, seconds) = try Stopwatch.time {
      let database = try FloorDatabase(path: path)
      try database.execute(
        "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
      let applied = try database.scan("SELECT identifier FROM grdb_migrations").rows
      let insert = try database.prepare(
        "INSERT INTO grdb_migrations (identifier) VALUES (?)")
      defer { sqlite3_finalize(insert) }
      for migration in migrations.dropFirst(applied) {
        try database.execute("BEGIN IMMEDIATE")
        do {
          try database.execute(migration.up)
          try database.run(insert, binding: migration.id)
          try database.execute("COMMIT")
        } catch {
          try? database.execute("ROLLBACK")
          throw error
        }
      }
      database.close()
    }
    return ChildResult(
      seconds: seconds, values: ["db_bytes": fileSize(path)],
      notes: ["journal_mode": try journalMode(path)])
  }

  /// The size of the file at `path` in bytes (0 when missing).
  static func fileSize(_ path: String) -> Double {
    var status = stat()
    return stat(path, &status) == 0 ? Double(status.st_size) : 0
  }

  /// S4: the down SQL of W(N), newest first, one transaction each.
  static func rollback(_ input: ChildArguments) throws -> ChildResult {
    let downs = Workload.smallMigrations(count: try input.integer("count")).reversed()
      .compactMap(\.down)
    let path = try input.database
    let (_, seconds) = try Stopwatch.time {
      let database = try FloorDatabase(path: path, create: false)
      for down in downs { try database.executeInTransaction(down) }
      database.close()
    }
    return ChildResult(seconds: seconds, notes: ["journal_mode": try journalMode(path)])
  }

  /// S3: open the database, read one row of the newest table, close.
  static func readOneRow(_ input: ChildArguments) throws -> ChildResult {
    let path = try input.database
    let sql = "SELECT id, name FROM \(try input.text("table")) ORDER BY id LIMIT 1"
    let (rows, seconds) = try Stopwatch.time {
      let database = try FloorDatabase(path: path, create: false)
      defer { database.close() }
      return try database.scan(sql).rows
    }
    guard rows == 1 else { throw BenchError.unexpected("S3 floor read \(rows) rows") }
    return ChildResult(seconds: seconds)
  }

  /// S6: open, SELECT every column the projection needs (all but the SQL texts and, from
  /// format 3, their addresses) of every event in seq order, reading each value, close.
  static func replay(_ input: ChildArguments) throws -> ChildResult {
    let path = try input.database
    let sqlColumns: Set<String> = ["sql", "down_sql", "sql_hash", "down_sql_hash"]
    let columns = try eventColumns(path).filter { !sqlColumns.contains($0) }
    let sql =
      "SELECT \(columns.joined(separator: ", ")) FROM schemaledger_events ORDER BY seq"
    let (rows, seconds) = try Stopwatch.time {
      let database = try FloorDatabase(path: path, create: false)
      defer { database.close() }
      return try database.scan(sql).rows
    }
    let expected = try input.integer("events")
    guard rows == expected else {
      throw BenchError.unexpected("S6 floor read \(rows) rows, expected \(expected)")
    }
    return ChildResult(seconds: seconds)
  }

  /// S6.history: open, SELECT every column of one migration's events in seq order, close.
  static func history(_ input: ChildArguments) throws -> ChildResult {
    let path = try input.database
    let migration = try input.text("migration")
    let columns = try eventColumns(path)
    let sql =
      "SELECT \(columns.joined(separator: ", ")) FROM schemaledger_events "
      + "WHERE migration = ?1 ORDER BY seq"
    let (rows, seconds) = try Stopwatch.time {
      let database = try FloorDatabase(path: path, create: false)
      defer { database.close() }
      return try database.scan(sql, parameter: migration).rows
    }
    let expected = try input.integer("expect")
    guard rows == expected else {
      throw BenchError.unexpected("S6.history floor read \(rows) rows, expected \(expected)")
    }
    return ChildResult(seconds: seconds)
  }

  /// `PRAGMA journal_mode` of the file after a run (a fresh connection sees what persists:
  /// `delete` unless someone switched the file to WAL).
  static func journalMode(_ path: String) throws -> String {
    let database = try FloorDatabase(path: path, create: false)
    defer { database.close() }
    return try database.text("PRAGMA journal_mode") ?? "?"
  }

  private static func eventColumns(_ path: String) throws -> [String] {
    let database = try FloorDatabase(path: path, create: false)
    defer { database.close() }
    return try database.columns(of: "schemaledger_events")
  }
}
