import FoundationEssentials

/// One generated migration of the workloads of docs/performance.md.
struct WorkloadMigration: Sendable {
  /// `0001_create_t1`.
  let id: String
  /// Its version (`1`).
  let version: Int64
  /// The up SQL, exactly as the floor runs it.
  let up: String
  /// The down SQL, or `nil` for an up-only migration.
  let down: String?

  /// The migration file (dbmate markers), as SchemaLedger reads it.
  var fileName: String { id + ".sql" }

  /// The file's contents: the same statements as `up` and `down` under their markers.
  var fileContents: String {
    var text = "-- migrate:up\n" + up + "\n"
    if let down { text += "\n-- migrate:down\n" + down + "\n" }
    return text
  }
}

/// The benchmark's workloads, generated (docs/performance.md, "The workloads").
enum Workload {
  /// W(N): `count` small schema migrations, `0001_create_t1` ... (version i creates `t_i`
  /// with an index and ten rows; its down drops it).
  static func smallMigrations(count: Int, from first: Int = 1) -> [WorkloadMigration] {
    (first..<(first + count)).map { i in
      WorkloadMigration(
        id: "\(zeroPadded(i, width: 4))_create_t\(i)", version: Int64(i),
        up: """
          CREATE TABLE t_\(i) (id INTEGER PRIMARY KEY, name TEXT NOT NULL, \
          created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
          CREATE INDEX t_\(i)_name ON t_\(i)(name);
          INSERT INTO t_\(i)(name) VALUES \
          ('a'),('b'),('c'),('d'),('e'),('f'),('g'),('h'),('i'),('j');
          """,
        down: "DROP TABLE t_\(i);")
    }
  }

  /// W(N) on PostgreSQL (P1 to P3): the same tables, indexes and rows, with one change:
  /// the `INSERT` names the ids (`(1,'a'),...,(10,'j')`, the ids SQLite assigns). SQLite's
  /// `INTEGER PRIMARY KEY` is the rowid and numbers new rows by itself; on PostgreSQL it is
  /// a plain column and the workload's `INSERT` fails on its `NOT NULL`. Naming the ids
  /// keeps the `CREATE TABLE` and `CREATE INDEX` exactly as written, without the sequence
  /// an identity or `serial` column would add.
  static func postgresMigrations(count: Int) -> [WorkloadMigration] {
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
    let rows = names.enumerated().map { "(\($0.offset + 1),'\($0.element)')" }
      .joined(separator: ",")
    return smallMigrations(count: count).map { migration in
      let i = migration.version
      let up = migration.up.split(separator: "\n").dropLast().joined(separator: "\n")
      return WorkloadMigration(
        id: migration.id, version: i,
        up: up + "\nINSERT INTO t_\(i)(id, name) VALUES \(rows);", down: migration.down)
    }
  }

  /// D: one large data migration (`rows` rows; docs/performance.md says 1,000,000) and an update
  /// of every row. Both up-only.
  static func dataMigrations(rows: Int) -> [WorkloadMigration] {
    [
      WorkloadMigration(
        id: "0001_create_big", version: 1,
        up: """
          CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT);
          WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < \(rows))
          INSERT INTO big(v) SELECT printf('row-%d', x) FROM c;
          """,
        down: nil),
      WorkloadMigration(
        id: "0002_upper_big", version: 2, up: "UPDATE big SET v = upper(v);", down: nil),
    ]
  }

  /// Writes each migration's file into `directory` (created when missing).
  static func write(_ migrations: [WorkloadMigration], to directory: String) throws {
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true)
    for migration in migrations {
      try Data(migration.fileContents.utf8).write(
        to: URL(fileURLWithPath: directory).appendingPathComponent(migration.fileName))
    }
  }

  /// `7` as `0007` for width 4.
  static func zeroPadded(_ value: Int, width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
