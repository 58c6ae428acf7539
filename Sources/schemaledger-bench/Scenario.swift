/// One measured row of the report. S3 and S6 each measure two things, so they have two
/// rows (`S3` and `S3.process`, `S6` and `S6.history`) that share the scenario id. S1 to
/// S6 run on SQLite; P1 to P3 on a PostgreSQL server, only when one is given
/// (`--postgres URL`).
struct Scenario: Sendable {
  /// The row id: `S2`, `S3.process`.
  let id: String
  /// The scenario of docs/performance.md it belongs to: `S3`.
  let scenario: String
  /// What the measured side does, at `sizes`.
  let title: String
  /// What the floor does.
  let floor: String
  /// Issue 7's target (P1 to P3: the PostgreSQL benchmark issue's).
  let target: Target

  /// `true` for the PostgreSQL rows (P1 to P3), which need a server.
  var needsPostgres: Bool { scenario.hasPrefix("P") }

  /// The ids `--scenario` accepts.
  static let scenarioIDs = ["S1", "S2", "S3", "S4", "S5", "S6", "P1", "P2", "P3"]

  /// Every row, in report order, at the given sizes.
  static func all(_ sizes: WorkloadSizes) -> [Scenario] {
    [
      Scenario(
        id: "S1", scenario: "S1", title: "migrate() W(\(sizes.s1Migrations)) into a new file",
        floor: "same SQL, one transaction per migration",
        target: Target(maxRatio: 1.15)),
      Scenario(
        id: "S2", scenario: "S2", title: "migrate() W(\(sizes.s2Migrations)) into a new file",
        floor: "same SQL, one transaction per migration",
        target: Target(maxRatio: 1.10, maxRSSMiB: 24, reference: ("migrator", 1))),
      Scenario(
        id: "S3", scenario: "S3",
        title: "migrate() with nothing pending, W(\(sizes.s3Migrations)) applied",
        floor: "open the database, read one row",
        target: Target(maxSeconds: 0.005)),
      Scenario(
        id: "S3.process", scenario: "S3",
        title: "`schemaledger status` process, W(\(sizes.s3Migrations)) applied",
        floor: "a process that opens the database and reads one row",
        target: Target(maxRatio: 2)),
      Scenario(
        id: "S4", scenario: "S4",
        title: "rollback(.all, rehearse: false) of W(\(sizes.s4Migrations))",
        floor: "same down SQL, newest first, one transaction each",
        target: Target(maxRatio: 1.25)),
      Scenario(
        id: "S5", scenario: "S5", title: "migrate() D (\(sizes.s5Rows) rows, then update all)",
        floor: "same SQL, one transaction per migration",
        target: Target(maxRatio: 1.02)),
      Scenario(
        id: "S6", scenario: "S6",
        title: "ledgerState(): replay \(LedgerShape(events: sizes.s6Events).totalEvents) events",
        floor: "SELECT every non-SQL column of every event",
        target: Target(maxSeconds: 1, maxRSSMiB: 64)),
      Scenario(
        id: "S6.history", scenario: "S6",
        title: "history(migration:) of one migration in that ledger",
        floor: "SELECT every column of that migration's events",
        target: Target(maxSeconds: 0.020)),
      Scenario(
        id: "P1", scenario: "P1",
        title: "PostgreSQL: migrate() W(\(sizes.p1Migrations)) into a new database",
        floor: "same SQL through libpq, BEGIN … COMMIT per migration",
        target: Target(maxRatio: 1.15)),
      Scenario(
        id: "P2", scenario: "P2",
        title: "PostgreSQL: rollback(.all, rehearse: false) of W(\(sizes.p2Migrations))",
        floor: "same down SQL through libpq, newest first, one transaction each",
        target: Target(maxRatio: 1.15)),
      Scenario(
        id: "P3", scenario: "P3",
        title: "PostgreSQL: migrate() with nothing pending, W(\(sizes.p3Migrations)) applied",
        floor: "connect through libpq, read one row",
        target: Target(maxRoundTrips: 2)),
    ]
  }
}
