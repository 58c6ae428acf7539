import FoundationEssentials

/// Opening the database, and the fast startup check that may skip reading the files.
extension SchemaMigrator {
  /// The fast startup check (`Configuration.fastStartupCheck`): the migrations folder's
  /// signature, and when it and the ledger's last `seq` are what the last up-to-date run
  /// recorded, a runner on the open database and the version then. The signature is
  /// computed on another thread while the database opens: on a large project listing the
  /// folder and SQLite parsing the schema take about as long, so the check costs little
  /// more than opening the database.
  func fastStartupCheck() throws -> StartupCheck {
    guard configuration.fastStartupCheck, case .directory(let folder) = migrations else {
      return StartupCheck()
    }
    let pending = DirectorySignature.start(directory: folder)
    guard let connection = try openExisting() else {
      return StartupCheck(signature: pending.value)
    }
    guard let signature = pending.value else { return StartupCheck() }
    let reader = reader(on: connection)
    guard let known = try reader.isKnownUpToDate(signature: signature),
      configuration.layout == nil || configuration.layout == known.layout
    else { return StartupCheck(signature: signature) }
    return StartupCheck(signature: signature, reader: reader, known: known)
  }

  /// The outcome of the fast startup check: the folder's signature (to record after a
  /// run), and when the database is known to be up to date, a reader on it and what is
  /// known.
  struct StartupCheck {
    var signature: String?
    var reader: LedgerReader?
    var known: StartupCheckRecord?
  }

  /// A reader of the ledger on `connection`, with the ledger key if one was given.
  func reader(on connection: any DatabaseConnection) -> LedgerReader {
    LedgerReader(store: LedgerStore(connection: connection, key: configuration.ledgerKey))
  }

  var runnerSettings: MigrationRunner.Settings {
    MigrationRunner.Settings(
      lockTimeout: configuration.lockTimeout, actor: configuration.actor,
      progress: configuration.progress, heartbeatInterval: configuration.heartbeatInterval,
      ledgerKey: configuration.ledgerKey, cancellation: configuration.cancellation)
  }

  func open(_ mode: OpenMode) throws -> any DatabaseConnection {
    if case .server(let server) = database { return try server.connect() }
    if case .connection(let borrowed) = database, mode != .readOnlyMemory {
      return SQLiteConnection(borrowing: borrowed.handle, busyTimeout: configuration.lockTimeout)
    }
    guard case .path(let path) = database else {
      return try SQLiteConnection(path: ":memory:")
    }
    let connection = try SQLiteConnection(
      path: mode == .readOnlyMemory ? ":memory:" : path, mode: mode.sqlite,
      busyTimeout: configuration.lockTimeout)
    for path in configuration.extensions { try connection.loadExtension(path) }
    if mode != .readOnlyMemory { try connection.setForeignKeysEnabled(true) }
    return connection
  }

  /// How the façade opens its connections.
  enum OpenMode {
    /// The database file, created when missing (writers).
    case readWriteCreate
    /// The existing database file (readers; never creates it).
    case existing
    /// An empty in-memory database standing in for a file that does not exist yet.
    case readOnlyMemory

    var sqlite: SQLiteConnection.Mode {
      self == .existing ? .existing : .readWriteCreate
    }
  }

  /// A connection to the existing file (it can roll back a crashed writer's journal), or
  /// `nil` when the database file does not exist yet. Never creates the file.
  func openExisting() throws -> (any DatabaseConnection)? {
    do {
      return try open(.existing)
    } catch SQLiteError.fileMissing {
      return nil
    }
  }
}
