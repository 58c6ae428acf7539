import CSQLite
import FoundationEssentials

/// A connection to one SQLite database file: SchemaLedger's only door to the C API.
///
/// Not thread-safe: use one connection from one thread at a time (SchemaLedger opens its
/// own per operation). Statements used by the ledger are prepared once and cached.
public final class SQLiteConnection: DatabaseConnection {
  /// How to open the file.
  public enum Mode: Sendable {
    /// Read and write; create the file when it does not exist.
    case readWriteCreate
    /// Read and write; the file must exist. Read only when the process cannot write to
    /// the file or to its folder (see `init`).
    case existing
    /// Read only; the file must exist.
    case readOnly
  }

  let handle: OpaquePointer
  private let ownsHandle: Bool
  private var statementCache: [String: SQLiteStatement] = [:]
  /// Set on scratch copies: the file (and its journal) is deleted on close.
  var deletesFileOnClose = false
  /// Extensions loaded with `loadExtension(_:)`, loaded again into scratch databases.
  private(set) var loadedExtensions: [String] = []
  /// The authorizer that enforces a `ScriptGuard`; `nil` on a borrowed connection, whose
  /// own authorizer (GRDB installs one) SQLite offers no way to read back and restore.
  let authorizer: StatementAuthorizer?
  /// `true` once `authorizer` is installed (by the first guarded script).
  var authorizerInstalled = false
  /// The file path given at open (or the connection's main file name).
  public let location: String
  /// The busy timeout, in seconds, reported in `SQLiteError.busy`.
  public let busyTimeout: Double
  /// How an owned connection waits for another connection's lock (`nil` when borrowed:
  /// the application's busy handling stays in force).
  private let busyWait: BusyWait?

  // MARK: - Open

  /// Checks the path (`DatabasePathCheck`: a regular file, or a name a new one can have),
  /// opens it with `sqlite3_open_v2`, extended result codes on and a bounded busy
  /// timeout, then probes it (`SELECT count(*) FROM sqlite_master`) so a file that is not
  /// a database is reported with its path.
  ///
  /// An existing file whose folder the process cannot write to is opened read-only,
  /// whatever the mode: SQLite could not create its journal there, so nothing could be
  /// written anyway, and a read-write connection would try to roll back a crashed
  /// writer's hot journal, writing the database file and then failing to delete the
  /// journal ("disk I/O error"). Read-only, SQLite refuses to read past a hot journal
  /// instead (`SQLiteError.hotJournal`), and never reports what the journal would undo.
  public init(path: String, mode: Mode = .readWriteCreate, busyTimeout: Double = 30) throws {
    let isFile = path != ":memory:" && !path.isEmpty && !path.hasPrefix("file:")
    var readOnly = mode == .readOnly
    if isFile {
      try DatabasePathCheck.check(path, creating: mode == .readWriteCreate)
      let folder = PathName.folder(of: path)
      if !PathName.isWritable(folder.isEmpty ? "." : folder) {
        guard FileManager.default.fileExists(atPath: path) else {
          throw SQLiteError.readOnly(path: path)  // a new file cannot be created there
        }
        readOnly = true
      }
    }
    var flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
    if readOnly {
      flags |= SQLITE_OPEN_READONLY
    } else {
      flags |= SQLITE_OPEN_READWRITE | (mode == .readWriteCreate ? SQLITE_OPEN_CREATE : 0)
    }
    var db: OpaquePointer?
    let code = sqlite3_open_v2(path, &db, flags, nil)
    guard code == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
      let extended = db.map { sqlite3_extended_errcode($0) } ?? code
      sqlite3_close_v2(db)
      throw SQLiteError.cannotOpen(path: path, code: extended, message: message)
    }
    handle = db
    ownsHandle = true
    authorizer = StatementAuthorizer(handle: db)
    location = path
    self.busyTimeout = busyTimeout
    let busyWait = BusyWait(timeout: busyTimeout)
    self.busyWait = busyWait
    sqlite3_extended_result_codes(db, 1)
    // The probe does not wait: a file that a writer holds locked is a database, and the
    // caller decides how to wait for it (a runner waits for the run lock, and says so).
    sqlite3_busy_timeout(db, 0)
    do {
      try probe()
      busyWait.install(on: db)
    } catch SQLiteError.busy {
      busyWait.install(on: db)
    } catch {
      statementCache.removeAll()
      BusyWait.uninstall(from: db)
      sqlite3_close_v2(db)
      throw error
    }
  }

  /// Wraps a connection the application already owns (GRDB or any other wrapper).
  ///
  /// SchemaLedger uses it as it is (the app's registered functions, pragmas and busy
  /// handling stay in force) and never closes it.
  public init(borrowing handle: OpaquePointer, busyTimeout: Double = 30) {
    self.handle = handle
    ownsHandle = false
    authorizer = nil
    self.busyTimeout = busyTimeout
    busyWait = nil
    let name = sqlite3_db_filename(handle, "main").map { String(cString: $0) } ?? ""
    location = name.isEmpty ? ":memory:" : name
  }

  deinit {
    statementCache.removeAll()
    if ownsHandle {
      BusyWait.uninstall(from: handle)
      sqlite3_close_v2(handle)
    }
    if deletesFileOnClose {
      for suffix in ["", "-journal", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: location + suffix)
      }
    }
  }

  private func probe() throws {
    do {
      try query("SELECT 1 FROM sqlite_master LIMIT 1", []) { _ in }
    } catch SQLiteError.statementFailed(let code, let message, _, _)
      where code & 0xff == SQLITE_NOTADB || code & 0xff == SQLITE_CORRUPT
    {
      throw SQLiteError.notADatabase(path: location, code: code, message: message)
    }
  }

  // MARK: - Configure

  /// Each wait for a lock another connection holds ends after `busyTimeout` seconds with
  /// `SQLiteError.busy` (`BusyWait`). No effect on a borrowed handle, whose busy handling
  /// is the application's.
  public func reportLockWaits(every interval: Double, _ report: ((Double) -> Void)?) {
    busyWait?.heartbeatInterval = interval
    busyWait?.report = report
  }

  /// Loads a SQLite extension (`sqlite3_load_extension`), enabling loading for the call only.
  public func loadExtension(_ path: String) throws {
    _ = schemaledger_enable_load_extension(handle, 1)
    defer { _ = schemaledger_enable_load_extension(handle, 0) }
    var message: UnsafeMutablePointer<CChar>?
    let code = sqlite3_load_extension(handle, path, nil, &message)
    guard code == SQLITE_OK else {
      let text = message.map { String(cString: $0) } ?? "error \(code)"
      sqlite3_free(message)
      throw SQLiteError.extensionFailed(path: path, message: text)
    }
    loadedExtensions.append(path)
  }

  /// `true` when SQLite opened the main database read-only (`sqlite3_db_readonly`) or
  /// its folder does not accept new files (the rollback journal and the run lock).
  /// Nothing: a SQLite step's transaction runs with the connection's settings.
  public var stepSettings: String? { nil }

  /// The file or its folder is read-only.
  public var readOnlyError: any DatabaseError { SQLiteError.readOnly(path: location) }

  public var isReadOnly: Bool {
    if sqlite3_db_readonly(handle, "main") == 1 { return true }
    guard location != ":memory:", !location.hasPrefix("file:") else { return false }
    let folder = PathName.folder(of: location)
    return !PathName.isWritable(folder.isEmpty ? "." : folder)
  }

  /// The main database file's absolute path as SQLite resolved it (`sqlite3_db_filename`),
  /// or `location` when it has none (an in-memory database).
  var fileName: String {
    let name = sqlite3_db_filename(handle, "main").map { String(cString: $0) } ?? ""
    return name.isEmpty ? location : name
  }

  /// `true` unless the connection is in autocommit mode (`sqlite3_get_autocommit`).
  public var isInTransaction: Bool {
    sqlite3_get_autocommit(handle) == 0
  }

  // MARK: - Use

  public func execute(_ sql: String, _ arguments: [SQLValue]) throws {
    let statement = try cachedStatement(sql)
    try statement.bind(arguments)
    try statement.forEachRow { _ in }
  }

  public func query(
    _ sql: String, _ arguments: [SQLValue], _ row: (any SQLRow) throws -> Void
  ) throws {
    let statement = try cachedStatement(sql)
    try statement.bind(arguments)
    try statement.forEachRow(row)
  }

  /// `sqlite3_interrupt`: the running statement fails with `SQLITE_INTERRUPT` (documented
  /// as safe to call from another thread while the connection is open).
  public func interrupt() {
    sqlite3_interrupt(handle)
  }

  public func beginImmediate() throws {
    try execute("BEGIN IMMEDIATE")
  }

  public func commit() throws {
    try execute("COMMIT")
  }

  public func rollback() {
    if isInTransaction {
      _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
    }
  }

  public func foreignKeysEnabled() throws -> Bool {
    var enabled = false
    try query("PRAGMA foreign_keys", []) { enabled = $0.int64(0) == 1 }
    return enabled
  }

  public func setForeignKeysEnabled(_ enabled: Bool) throws {
    try execute(enabled ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF")
  }

  public func foreignKeyViolations() throws -> [String] {
    var violations: [String] = []
    try query("PRAGMA foreign_key_check", []) { row in
      let table = row.text(0) ?? "?"
      let rowid = row.int64(1).map(String.init) ?? "?"
      let parent = row.text(2) ?? "?"
      violations.append("\(table) rowid \(rowid) references a missing row in \(parent)")
    }
    return violations
  }

  private func cachedStatement(_ sql: String) throws -> SQLiteStatement {
    if let statement = statementCache[sql] { return statement }
    let statement = try SQLiteStatement(connection: self, sql: sql, persistent: true)
    statementCache[sql] = statement
    return statement
  }

}
