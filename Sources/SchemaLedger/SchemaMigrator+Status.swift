import FoundationEssentials

extension SchemaMigrator {
  /// Every migration's state, source and ledger side by side. Read-only, no lock, and no
  /// wait behind a run: when another process holds the run lock, the report names it
  /// (`activeRun`, with the step it is running), the ledger is read without waiting for
  /// SQLite's write lock, and when the run's step holds the database (a long data
  /// migration writing), the report says the ledger cannot be read now
  /// (`isLedgerReadable` false) instead of waiting for the step to end.
  public func status() throws -> MigrationStatusReport {
    guard let holder = activeRun() else { return try readStatus() }
    var impatient = configuration
    impatient.lockTimeout = 0
    do {
      var report = try SchemaMigrator(
        database: database, migrations: migrations, configuration: impatient
      ).readStatus()
      report.activeRun = holder
      return report
    } catch let error as SQLiteError {
      guard case .busy = error else { throw error }
      return MigrationStatusReport(activeRun: holder, source: try source())
    }
  }

  /// `true` on a database server, where reads never wait for a writer's lock.
  var isServer: Bool {
    if case .server = database { return true }
    return false
  }

  /// The engine the database runs on, known without connecting.
  var engine: DatabaseEngine {
    if case .server(let server) = database { return server.engine }
    return .sqlite
  }

  /// Who holds the run lock now and what they are doing (the holder's note), or `nil`
  /// when nobody does, or when that cannot be told (a folder where the lock file cannot
  /// be created holds no running runner). Probes the lock without waiting and without
  /// opening the database, so a run's open transaction cannot make it wait.
  public func activeRun() -> String? {
    if case .server(let server) = database { return server.activeRun() }
    guard case .path(let path) = database, databaseExists, !path.hasPrefix("file:"),
      // Not a database file (a FIFO would block the probe): the read that follows names it.
      (try? DatabasePathCheck.check(path, creating: false)) != nil
    else { return nil }
    return FileRunLock.holder(databasePath: path, path: path + "-schemaledger-lock")
  }

  /// The status, read with the configured waits (see `status()`).
  ///
  /// With `fastStartupCheck`, when the folder and the ledger are exactly as the last
  /// up-to-date run recorded them, every migration is known to be applied and unchanged,
  /// and the report is built from the ledger without reading the files.
  func readStatus() throws -> MigrationStatusReport {
    let check = try fastStartupCheck()
    if let reader = check.reader, let known = check.known {
      return MigrationStatusReport(upToDate: try reader.currentState(), check: known)
    }
    let source = try self.source()
    let state = try ledgerState()
    // A folder where the lock file cannot be created (read-only) holds no running runner.
    let running = state.unfinishedAttempts.isEmpty ? false : (try? isRunInProgress()) ?? false
    var report = MigrationStatusReport(source: source, state: state, runInProgress: running)
    if let connection = try openExisting() {
      let auditor = LedgerAuditor(connection: connection)
      let edited = Set(try auditor.downSectionEdited(state: state, source: source))
      for index in report.entries.indices
      where [.applied, .drifted].contains(report.entries[index].state) {
        report.entries[index].downSectionEdited = edited.contains(report.entries[index].id)
      }
    }
    return report
  }

}
