import Foundation
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// The `schemaledger` tool on PostgreSQL: `--url postgres://...`, several processes at
/// once through PgBouncer in transaction pooling mode, each migration applied once.
@Suite(
  "The tool on PostgreSQL",
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"))
struct PostgresCommandLineTests {
  /// A `postgresql://` URL for a new database, through PgBouncer or straight.
  private func url(pooled: Bool) throws -> String {
    let server = try PostgresServer.shared.get()
    return server.url(database: try server.makeDatabase(), pooled: pooled)
  }

  @Test("four runners at once through PgBouncer: each migration is applied exactly once")
  func concurrentRunners() throws {
    try withTemporaryDirectory { folder in
      for index in 1...5 {
        try folder.write(
          String(format: "migrations/%03d_t%d.sql", index, index),
          "CREATE TABLE t\(index) (id bigint PRIMARY KEY);\nSELECT pg_sleep(0.05);\n")
      }
      let url = try url(pooled: true)
      let runners = try (1...4).map { _ in
        try ToolProcess.start(
          ["apply", "--url", url, "-m", folder.appendingPathComponent("migrations").path],
          in: folder)
      }
      let results = runners.map { $0.wait() }
      #expect(results.map(\.status) == [0, 0, 0, 0], "\(results.map(\.stderr))")
      let ledger = SchemaMigrator(
        database: .postgres(url: url),
        migrations: .directory(folder.appendingPathComponent("migrations").path))
      let applied = try ledger.history(HistoryFilter()).filter { $0.kind == .applied }
      #expect(applied.map { $0.migration ?? "" } == (1...5).map { "00\($0)_t\($0)" })
      #expect(try ledger.status().entries.allSatisfy { $0.state == .applied })
    }
  }

  @Test("status and history read the ledger; the password is never printed")
  func readers() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      let url = try url(pooled: false) + "&password=hunter2"
      let migrations = folder.appendingPathComponent("migrations").path
      let apply = try ToolProcess.run(["apply", "--url", url, "-m", migrations], in: folder)
      #expect(apply.status == 0, "\(apply.stderr)")
      let status = try ToolProcess.run(["status", "--url", url, "-m", migrations], in: folder)
      #expect(status.status == 0)
      #expect(status.stdout.contains("001_a"))
      let history = try ToolProcess.run(["history", "--url", url, "-m", migrations], in: folder)
      #expect(history.stdout.contains("applied"))
      for output in [apply, status, history] {
        #expect(!(output.stdout + output.stderr).contains("hunter2"))
      }
    }
  }

  @Test("apply --dry-run and --to, rollback --dry-run and rollback, through PgBouncer")
  func applyAndRollBack() throws {
    try withTemporaryDirectory { folder in
      for index in 1...3 {
        try folder.write(
          "migrations/00\(index)_t\(index).sql",
          "-- migrate:up\nCREATE TABLE t\(index) (x int);\n-- migrate:down\nDROP TABLE t\(index);\n"
        )
      }
      let url = try url(pooled: true)
      let migrations = folder.appendingPathComponent("migrations").path
      let ledger = SchemaMigrator(database: .postgres(url: url), migrations: .directory(migrations))
      let dryRun = try ToolProcess.run(
        ["apply", "--dry-run", "--url", url, "-m", migrations], in: folder)
      #expect(dryRun.status == 0, "\(dryRun.stderr)")
      #expect(dryRun.stdout.contains("001_t1") && dryRun.stdout.contains("003_t3"))
      #expect(try ledger.history(HistoryFilter()).isEmpty)
      let toTwo = try ToolProcess.run(
        ["apply", "--to", "2", "--url", url, "-m", migrations], in: folder)
      #expect(toTwo.status == 0, "\(toTwo.stderr)")
      #expect(try ledger.status().entries.map(\.state) == [.applied, .applied, .pending])
      let preview = try ToolProcess.run(
        ["rollback", "--steps", "1", "--dry-run", "--url", url, "-m", migrations], in: folder)
      #expect(preview.status == 0, "\(preview.stderr)")
      #expect(preview.stdout.contains("002_t2"))
      #expect(try ledger.status().entries.map(\.state) == [.applied, .applied, .pending])
      let rolledBack = try ToolProcess.run(
        ["rollback", "--steps", "1", "--url", url, "-m", migrations], in: folder)
      #expect(rolledBack.status == 0, "\(rolledBack.stderr)")
      #expect(try ledger.status().entries.map(\.state) == [.applied, .pending, .pending])
      #expect(
        try ledger.history(HistoryFilter()).filter { $0.kind == .rolledBack }.map(\.migration)
          == ["002_t2"])
    }
  }

  @Test("plan, status --exit-code and --json, and new work against PostgreSQL")
  func otherCommands() throws {
    try withTemporaryDirectory { folder in
      try folder.write("migrations/001_a.sql", "CREATE TABLE a (x int);")
      let url = try url(pooled: true)
      let migrations = folder.appendingPathComponent("migrations").path
      let plan = try ToolProcess.run(["plan", "--url", url, "-m", migrations], in: folder)
      #expect(plan.status == 0, "\(plan.stderr)")
      #expect(plan.stdout.contains("001_a"))
      let pending = try ToolProcess.run(
        ["status", "--exit-code", "--url", url, "-m", migrations], in: folder)
      #expect(pending.status == 3)
      _ = try ToolProcess.run(["apply", "--url", url, "-m", migrations], in: folder)
      let json = try ToolProcess.run(
        ["status", "--json", "--exit-code", "--url", url, "-m", migrations], in: folder)
      #expect(json.status == 0, "\(json.stderr)")
      #expect(json.stdout.contains("\"applied\""))
      let new = try ToolProcess.run(
        ["new", "add_b", "--url", url, "-m", migrations], in: folder)
      #expect(new.status == 0, "\(new.stderr)")
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: migrations)
          .contains { $0.hasSuffix("_add_b.sql") })
    }
  }
}
