import Foundation
import Testing

/// The benchmark is a program, not a test: this only proves that it still runs end to end
/// (every scenario, floor and measured side, child processes, JSON) on a tiny workload.
/// It asserts no timing.
@Suite("Benchmark smoke test", .timeLimit(.minutes(2)))
struct BenchmarkSmokeTests {
  /// `schemaledger-bench`, built beside `schemaledger` in the products folder.
  static let benchmark = ToolProcess.binary.deletingLastPathComponent()
    .appendingPathComponent("schemaledger-bench")

  @Test("--quick --json on a tiny size reports all six scenarios with positive figures")
  func quickJSON() throws {
    try withTemporaryDirectory { directory in
      let stdoutURL = directory.appendingPathComponent("bench.json")
      let stderrURL = directory.appendingPathComponent("bench.err")
      _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
      _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
      let process = Process()
      process.executableURL = Self.benchmark
      process.arguments = ["--quick", "--json", "--repetitions", "1", "--size-scale", "0.02"]
      var environment = ProcessInfo.processInfo.environment
      environment["TMPDIR"] = directory.path
      // Without a server, the PostgreSQL scenarios are left out and the report says how
      // to run them.
      environment["SCHEMALEDGER_BENCH_POSTGRES"] = nil
      process.environment = environment
      process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
      process.standardError = try FileHandle(forWritingTo: stderrURL)
      process.standardInput = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
      try #require(process.terminationStatus == 0, "stderr: \(stderr)")

      let json = try JSONSerialization.jsonObject(with: Data(contentsOf: stdoutURL))
      let report = try #require(json as? [String: Any])
      let settings = try #require(report["settings"] as? [String: Any])
      #expect(settings["journal_mode"] as? String == "delete")
      #expect((settings["synchronous"] as? String)?.hasPrefix("FULL") == true)
      #expect((settings["postgres"] as? String)?.contains("--postgres URL") == true)
      let rows = try #require(report["scenarios"] as? [[String: Any]])
      let scenarios = Set(rows.compactMap { $0["scenario"] as? String })
      #expect(scenarios == ["S1", "S2", "S3", "S4", "S5", "S6"])
      #expect(
        Set(rows.compactMap { $0["id"] as? String }).isSuperset(of: ["S3.process", "S6.history"]))
      for row in rows {
        let id = row["id"] as? String ?? "?"
        for key in ["median_s", "min_s", "max_s", "floor_median_s", "ratio", "peak_rss_mib"] {
          let value = (row[key] as? NSNumber)?.doubleValue ?? 0
          #expect(value > 0, "\(id): \(key) is \(value)")
        }
        #expect(row["target"] as? String != nil, "\(id) has no target")
        #expect(row["meets_target"] is Bool, "\(id) has no verdict")
      }
    }
  }
}
