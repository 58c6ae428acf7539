/// The work one child process does, named on its command line:
/// `schemaledger-bench --internal-child KIND key=value ...`.
///
/// Running every repetition in its own process gives each scenario its own peak RSS (read
/// by the parent with `wait4`) and keeps one scenario's allocations from warming the next.
enum ChildTask: String, CaseIterable, Sendable {
  /// Floor: run a workload's up SQL, one transaction per migration.
  case floorApply = "floor-apply"
  /// Reference of S1 and S2: a one-row migrator (GRDB's `DatabaseMigrator`): each
  /// migration's SQL and one bookkeeping row, one transaction per migration.
  case migratorApply = "migrator-apply"
  /// Measured: `migrate()` on the migration files.
  case measuredApply = "measured-apply"
  /// Floor: the down SQL, newest first, one transaction each.
  case floorRollback = "floor-rollback"
  /// Measured: `rollback(.all, rehearse: false)`.
  case measuredRollback = "measured-rollback"
  /// Floor of S3: open the database and read one row.
  case floorReadOneRow = "floor-read-one-row"
  /// Measured S3: `migrate()` when nothing is pending (first call of the process).
  case measuredStartupCheck = "measured-startup-check"
  /// Floor of S6: SELECT every non-SQL column of every event.
  case floorReplay = "floor-replay"
  /// Measured S6: `ledgerState()`.
  case measuredReplay = "measured-replay"
  /// Floor of S6.history: SELECT every column of one migration's events.
  case floorHistory = "floor-history"
  /// Measured S6.history: `history(HistoryFilter(migration:))`.
  case measuredHistory = "measured-history"
  /// Setup: apply W(N) with `migrate()` (S3's database, S4's template).
  case setupApplied = "setup-applied"
  /// Setup: apply W(N) with the floor (S4's floor template).
  case setupFloorApplied = "setup-floor-applied"
  /// Setup: build S6's ledger.
  case setupLedger = "setup-ledger"
  /// PostgreSQL floor (P1, and P2's template): W(`count`)'s up SQL through libpq, one
  /// transaction per migration.
  case postgresFloorApply = "pg-floor-apply"
  /// PostgreSQL measured (P1, and the fixtures of P2 and P3): `migrate()`.
  case postgresMeasuredApply = "pg-measured-apply"
  /// PostgreSQL floor of P2: the down SQL through libpq, newest first, one transaction each.
  case postgresFloorRollback = "pg-floor-rollback"
  /// PostgreSQL measured P2: `rollback(.all, rehearse: false)`.
  case postgresMeasuredRollback = "pg-measured-rollback"
  /// PostgreSQL floor of P3: connect and read one row.
  case postgresFloorReadOneRow = "pg-floor-read-one-row"
  /// PostgreSQL measured P3: `migrate()` when nothing is pending, with its round trips.
  case postgresMeasuredNoOpCheck = "pg-measured-noop-check"
  /// For profiling by hand: write W(`count`) into `migrations=` (docs/performance.md).
  case writeWorkload = "write-workload"
  /// By hand: the database file after one migration of `megabytes=` MB of SQL, applied by
  /// `migrate()` and by the floor, in `dir=` (docs/performance.md, ledger size).
  case sizeProbe = "size-probe"

  /// Runs the task with its `key=value` arguments and returns what to report.
  func run(_ arguments: [String: String]) throws -> ChildResult {
    let input = ChildArguments(values: arguments)
    var result: ChildResult
    switch self {
    case .floorApply: result = try FloorRuns.apply(input)
    case .migratorApply: result = try FloorRuns.migratorApply(input)
    case .measuredApply: result = try MeasuredRuns.apply(input)
    case .floorRollback: result = try FloorRuns.rollback(input)
    case .measuredRollback: result = try MeasuredRuns.rollback(input)
    case .floorReadOneRow: result = try FloorRuns.readOneRow(input)
    case .measuredStartupCheck: result = try MeasuredRuns.startupCheck(input)
    case .floorReplay: result = try FloorRuns.replay(input)
    case .measuredReplay: result = try MeasuredRuns.replay(input)
    case .floorHistory: result = try FloorRuns.history(input)
    case .measuredHistory: result = try MeasuredRuns.history(input)
    case .sizeProbe: result = try FixtureSetup.sizeProbe(input)
    case .postgresFloorApply: result = try PostgresFloorRuns.apply(input)
    case .postgresMeasuredApply: result = try PostgresMeasuredRuns.apply(input)
    case .postgresFloorRollback: result = try PostgresFloorRuns.rollback(input)
    case .postgresMeasuredRollback: result = try PostgresMeasuredRuns.rollback(input)
    case .postgresFloorReadOneRow: result = try PostgresFloorRuns.readOneRow(input)
    case .postgresMeasuredNoOpCheck: result = try PostgresMeasuredRuns.noOpCheck(input)
    case .setupApplied, .setupFloorApplied, .setupLedger, .writeWorkload:
      result = try FixtureSetup.run(self, input)
    }
    result.values["vmhwm_kib"] = Double(MemoryUsage.peakKiB())
    return result
  }
}

/// A child's `key=value` arguments, with typed accessors that name what is missing.
struct ChildArguments {
  let values: [String: String]

  /// The text of `key`.
  func text(_ key: String) throws -> String {
    guard let value = values[key] else { throw BenchError.usage("missing \(key)=...") }
    return value
  }

  /// The integer of `key`.
  func integer(_ key: String) throws -> Int {
    guard let value = Int(try text(key)) else { throw BenchError.usage("\(key) is not a number") }
    return value
  }

  /// The database path (`db=`; on PostgreSQL, the connection parameters).
  var database: String { get throws { try text("db") } }

  /// The migrations folder (`migrations=`).
  var migrations: String { get throws { try text("migrations") } }
}
