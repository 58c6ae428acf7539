/// How big each scenario's workload is. The full run uses the sizes of docs/performance.md; `--quick`
/// uses smaller ones and `--size-scale` multiplies whichever is chosen (the smoke test
/// runs a tiny fraction). Targets are judged at any size, but only the official sizes
/// count (`isOfficial`).
struct WorkloadSizes: Sendable, Equatable {
  /// S1: migrations in W(N).
  var s1Migrations: Int
  /// S2: migrations in W(N).
  var s2Migrations: Int
  /// S3: migrations applied before the startup check.
  var s3Migrations: Int
  /// S4: migrations applied, then rolled back.
  var s4Migrations: Int
  /// S5: rows of workload D.
  var s5Rows: Int
  /// S6: events in the ledger (at least).
  var s6Events: Int
  /// P1 (PostgreSQL): migrations in W(N).
  var p1Migrations: Int
  /// P2 (PostgreSQL): migrations applied, then rolled back.
  var p2Migrations: Int
  /// P3 (PostgreSQL): migrations applied before the no-op check.
  var p3Migrations: Int

  /// docs/performance.md: W(100), W(1000), W(1000), W(1000), 1,000,000 rows,
  /// 1,000,000 events; on PostgreSQL W(1000) three times.
  static let full = WorkloadSizes(
    s1Migrations: 100, s2Migrations: 1000, s3Migrations: 1000, s4Migrations: 1000,
    s5Rows: 1_000_000, s6Events: 1_000_000, p1Migrations: 1000, p2Migrations: 1000,
    p3Migrations: 1000)

  /// `--quick`: under a minute on 2 cores.
  static let quick = WorkloadSizes(
    s1Migrations: 100, s2Migrations: 200, s3Migrations: 200, s4Migrations: 200,
    s5Rows: 100_000, s6Events: 100_000, p1Migrations: 200, p2Migrations: 200,
    p3Migrations: 200)

  /// Every size multiplied by `factor`, never below a size that still exercises the path.
  func scaled(by factor: Double) -> WorkloadSizes {
    func scale(_ value: Int, minimum: Int) -> Int {
      Swift.max(minimum, Int((Double(value) * factor).rounded()))
    }
    return WorkloadSizes(
      s1Migrations: scale(s1Migrations, minimum: 2), s2Migrations: scale(s2Migrations, minimum: 2),
      s3Migrations: scale(s3Migrations, minimum: 2), s4Migrations: scale(s4Migrations, minimum: 2),
      s5Rows: scale(s5Rows, minimum: 100), s6Events: scale(s6Events, minimum: 1000),
      p1Migrations: scale(p1Migrations, minimum: 2), p2Migrations: scale(p2Migrations, minimum: 2),
      p3Migrations: scale(p3Migrations, minimum: 2))
  }

  /// `true` at the sizes of docs/performance.md.
  var isOfficial: Bool { self == .full }

  /// For the settings: each size by name.
  var dictionary: [String: Int] {
    [
      "S1_migrations": s1Migrations, "S2_migrations": s2Migrations,
      "S3_migrations": s3Migrations, "S4_migrations": s4Migrations, "S5_rows": s5Rows,
      "S6_events": s6Events, "P1_migrations": p1Migrations, "P2_migrations": p2Migrations,
      "P3_migrations": p3Migrations,
    ]
  }
}
