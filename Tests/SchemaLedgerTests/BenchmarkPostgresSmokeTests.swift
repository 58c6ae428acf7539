import Foundation
import SchemaLedger
import SchemaLedgerPostgres
import Testing

/// The PostgreSQL scenarios of the benchmark (P1 to P3) on the throwaway server, at a tiny
/// size: they run end to end, each side does the work it claims (the floor's queries are
/// counted: three per migration, one for the read), the no-op check's round trips are
/// reported, and every database the benchmark made is dropped. It asserts no timing.
@Suite(
  "Benchmark smoke test on PostgreSQL", .timeLimit(.minutes(2)),
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"))
struct BenchmarkPostgresSmokeTests {
  /// Runs the benchmark with `arguments` in a temporary folder; returns its exit status,
  /// stdout and stderr.
  private func bench(_ arguments: [String], environment extra: [String: String] = [:]) throws
    -> (status: Int32, stdout: Data, stderr: String)
  {
    try withTemporaryDirectory { directory in
      let stdoutURL = directory.appendingPathComponent("bench.out")
      let stderrURL = directory.appendingPathComponent("bench.err")
      _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
      _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
      let process = Process()
      process.executableURL = BenchmarkSmokeTests.benchmark
      process.arguments = arguments
      var environment = ProcessInfo.processInfo.environment
      environment["TMPDIR"] = directory.path
      environment["SCHEMALEDGER_BENCH_POSTGRES"] = nil
      process.environment = environment.merging(extra) { $1 }
      process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
      process.standardError = try FileHandle(forWritingTo: stderrURL)
      process.standardInput = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return (
        process.terminationStatus, try Data(contentsOf: stdoutURL),
        (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
      )
    }
  }

  private func number(_ row: [String: Any], _ key: String) -> Double? {
    (row[key] as? NSNumber)?.doubleValue
  }

  @Test("P1, P2 and P3 run at a tiny size, with counted round trips, and clean up")
  func scenarios() throws {
    let server = try PostgresServer.shared.get()
    let conninfo = server.conninfo(database: "postgres")
    // W(5) for each: 1000 × 0.005.
    let run = try bench(
      ["--json", "--scenario", "P1,P2,P3", "--repetitions", "1", "--size-scale", "0.005"],
      environment: ["SCHEMALEDGER_BENCH_POSTGRES": conninfo])
    try #require(run.status == 0, "stderr: \(run.stderr)")

    let report = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
    let settings = try #require(report["settings"] as? [String: Any])
    let postgres = try #require(settings["postgres"] as? [String: Any])
    #expect(postgres["fsync"] is String)
    #expect(postgres["synchronous_commit"] is String)
    let rows = try #require(report["scenarios"] as? [[String: Any]])
    #expect(rows.compactMap { $0["id"] as? String } == ["P1", "P2", "P3"])
    let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as? String ?? "?", $0) })

    for row in rows {
      let id = row["id"] as? String ?? "?"
      for key in ["median_s", "floor_median_s", "ratio", "round_trips", "connections"] {
        #expect((number(row, key) ?? 0) > 0, "\(id): \(key)")
      }
      #expect(row["meets_target"] is Bool, "\(id) has no verdict")
    }
    // The floor: BEGIN, the SQL, COMMIT for each of the 5 migrations, on one connection.
    let p1 = try #require(byID["P1"])
    let p2 = try #require(byID["P2"])
    let p3 = try #require(byID["P3"])
    #expect(number(p1, "floor_round_trips") == 15)
    #expect(number(p2, "floor_round_trips") == 15)
    #expect(number(p1, "floor_connections") == 1)
    // The library keeps a ledger: more than the floor's queries, at least one per step.
    #expect((number(p1, "round_trips") ?? 0) > 15)
    #expect((number(p2, "round_trips") ?? 0) > 15)
    // The no-op check is judged on round trips; the floor connects and reads one row.
    #expect(number(p3, "floor_round_trips") == 1)
    #expect(p3["target"] as? String == "≤ 2 round trips")
    #expect(
      (p3["meets_target"] as? Bool) == ((number(p3, "round_trips") ?? .infinity) <= 2))

    // Every database the run made is gone.
    let admin = try PostgresConnection(conninfo: conninfo)
    var left: [String] = []
    try admin.query(#"SELECT datname FROM pg_database WHERE datname LIKE 'slb\_%'"#, []) {
      left.append($0.text(0) ?? "")
    }
    #expect(left.isEmpty, "left behind: \(left)")
  }

  @Test("Asking for a PostgreSQL scenario without a server is a usage error naming the option")
  func withoutServer() throws {
    let run = try bench(["--scenario", "P3"])
    #expect(run.status == 64)
    #expect(run.stderr.contains("--postgres URL"))
    #expect(run.stderr.contains("SCHEMALEDGER_BENCH_POSTGRES"))
  }
}
