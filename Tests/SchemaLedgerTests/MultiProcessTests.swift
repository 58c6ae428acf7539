import Foundation
import Testing

@testable import SchemaLedger

@Suite("Several processes, crashes", .serialized, .timeLimit(.minutes(1)))
struct MultiProcessTests {
  @Test("six processes applying at once: every migration is executed exactly once")
  func concurrentApply() throws {
    try withFixture { fixture in
      for index in 1...12 {
        let version = String(format: "%03d", index)
        try fixture.migration(
          "\(version)_t\(index).sql",
          Fixture.dbmate(
            up: """
              CREATE TABLE t\(index) (id INTEGER PRIMARY KEY, v TEXT);
              WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000)
              INSERT INTO t\(index)(v) SELECT printf('row-%d', x) FROM c;
              """,
            down: "DROP TABLE t\(index);"))
      }
      let arguments = ["apply", "-d", fixture.databasePath, "-m", fixture.migrations.path]
      let running = try (0..<6).map { _ in
        try ToolProcess.start(arguments, in: fixture.directory)
      }
      let results = running.map { $0.wait() }
      for result in results {
        #expect(result.status == 0, "stderr: \(result.stderr)")
      }
      let applied = try fixture.query(
        "SELECT migration FROM schemaledger_events WHERE kind = 'applied' ORDER BY seq")
      #expect(applied == (1...12).map { String(format: "%03d_t%d", $0, $0) })
      #expect(
        try fixture.query("SELECT count(*) FROM schemaledger_events WHERE kind = 'failed'")
          == ["0"])
      #expect(try fixture.query("SELECT count(*) FROM t12") == ["2000"])
      #expect(try fixture.schemaObjects().count == 12)
      // Exactly one process did the work; the others found everything applied.
      // (A waiter's "waiting for the run lock" line names what the holder is applying.)
      let workers = results.filter { result in
        result.stderr.split(separator: "\n").contains { $0.hasPrefix("applying ") }
      }
      #expect(workers.count >= 1)
      #expect(
        try fixture.query("SELECT count(DISTINCT run_id) FROM schemaledger_events")
          == [String(workers.count)])
      try expectIntactChain(fixture)
    }
  }

  @Test(
    "eight 'new' at once on one folder make eight files with eight versions",
    arguments: ["--sequential", "--timestamp"])
  func concurrentNew(style: String) throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let running = try (1...8).map { index in
        try ToolProcess.start(
          ["new", "step \(index)", style, "-m", fixture.migrations.path], in: fixture.directory)
      }
      let results = running.map { $0.wait() }
      for result in results {
        #expect(result.status == 0, "stderr: \(result.stderr)")
      }
      let printed = Set(results.map { $0.stdout.trimmingCharacters(in: .newlines) })
      #expect(printed.count == 8)
      let names = try FileManager.default.contentsOfDirectory(atPath: fixture.migrations.path)
      #expect(names.count == 9, "\(names.sorted())")
      let versions = Set(names.compactMap { MigrationFileName.identity(ofFile: $0)?.version })
      #expect(versions.count == 9, "\(names.sorted())")
      for path in printed {
        #expect(FileManager.default.fileExists(atPath: path))
      }
    }
  }

  @Test("a process killed mid-migration leaves no lock; the next run records it and re-applies")
  func killedMidMigration() throws {
    try withFixture { fixture in
      try fixture.migration("001_first.sql", "CREATE TABLE first (x);")
      try fixture.migration(
        "002_long.sql",
        Fixture.dbmate(
          up: """
            CREATE TABLE big (x INTEGER);
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)
            INSERT INTO big SELECT x FROM c;
            """,
          down: "DROP TABLE big;"))
      let arguments = ["apply", "-d", fixture.databasePath, "-m", fixture.migrations.path]
      let victim = try ToolProcess.start(arguments, in: fixture.directory)
      #expect(victim.waitForStderr(containing: "applying 002_long"))
      kill(victim.process.processIdentifier, SIGKILL)
      let killed = victim.wait()
      #expect(killed.status == SIGKILL)
      #expect(
        try fixture.ledgerRows() == [
          "planned 001_first", "planned 002_long", "started 001_first", "applied 001_first",
        ])

      // The fixed (short) migration; the lock needs no manual clearing.
      try fixture.migration(
        "002_long.sql",
        Fixture.dbmate(
          up: "CREATE TABLE big (x INTEGER);\nINSERT INTO big VALUES (1);",
          down: "DROP TABLE big;"))
      let rerun = try ToolProcess.run(
        arguments + ["--lock-timeout", "5"], in: fixture.directory)
      #expect(rerun.status == 0, "stderr: \(rerun.stderr)")
      #expect(rerun.stderr.contains("recorded interrupted attempt of 002_long"))
      #expect(
        try fixture.ledgerRows().suffix(4) == [
          "failed 002_long", "planned 002_long", "started 002_long", "applied 002_long",
        ])
      let interrupted = try #require(try fixture.events().first { $0.kind == .failed })
      #expect(interrupted.detail == "interrupted")
      #expect(interrupted.error?.contains("pending again") == true)
      let firstRun = try #require(try fixture.events().first?.runID)
      #expect(interrupted.runID == firstRun)
      #expect(try fixture.query("SELECT count(*) FROM big") == ["1"])
      try expectIntactChain(fixture)
    }
  }

  @Test("a waiting process names the holder and gives up after --lock-timeout")
  func lockTimeout() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_long.sql",
        """
        CREATE TABLE big (x INTEGER);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)
        INSERT INTO big SELECT x FROM c;
        """)
      let arguments = ["apply", "-d", fixture.databasePath, "-m", fixture.migrations.path]
      let holder = try ToolProcess.start(arguments, in: fixture.directory)
      defer {
        kill(holder.process.processIdentifier, SIGKILL)
        _ = holder.wait()
      }
      #expect(holder.waitForStderr(containing: "applying 001_long"))
      let waiter = try ToolProcess.run(
        arguments + ["--lock-timeout", "0.3"], in: fixture.directory)
      #expect(waiter.status == 1)
      #expect(waiter.stderr.contains("waiting for the run lock held by"))
      #expect(waiter.stderr.contains("pid \(holder.process.processIdentifier)"))
      #expect(waiter.stderr.contains("--lock-timeout"))
    }
  }

  @Test(
    "two names of one database file (a hard link, a deleted lock file) share one run lock",
    arguments: [false, true])
  func oneLockPerFile(deleteLockFile: Bool) throws {
    try withFixture { fixture in
      try fixture.migration("001_first.sql", "CREATE TABLE first (x);")
      try fixture.ledger().migrate()
      try fixture.migration(
        "002_long.sql",
        """
        CREATE TABLE big (x INTEGER);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)
        INSERT INTO big SELECT x FROM c;
        """)
      let other = fixture.directory.appendingPathComponent("other-name.sqlite").path
      #expect(link(fixture.databasePath, other) == 0)
      let holder = try ToolProcess.start(
        ["apply", "-d", fixture.databasePath, "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(holder.waitForStderr(containing: "applying 002_long"))
      let name = deleteLockFile ? fixture.databasePath : other
      if deleteLockFile { try FileManager.default.removeItem(atPath: name + "-schemaledger-lock") }
      let waiter = try ToolProcess.run(
        ["apply", "-d", name, "-m", fixture.migrations.path, "--lock-timeout", "0.3"],
        in: fixture.directory)
      #expect(waiter.status == 1, "stdout: \(waiter.stdout)")
      #expect(waiter.stderr.contains("waiting for the run lock held by"))
      #expect(waiter.stderr.contains("--lock-timeout"))
      kill(holder.process.processIdentifier, SIGKILL)
      _ = holder.wait()
      // The waiter recorded nothing: no interruption of a run that was alive.
      #expect(
        try fixture.events().map { "\($0.kind.rawValue) \($0.migration ?? "-")" } == [
          "planned 001_first", "started 001_first", "applied 001_first", "planned 002_long",
        ])
    }
  }

  @Test(
    "Ctrl-C or SIGTERM during a step: rolled back, recorded as stopped, exit 130 or 143",
    arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, Int32(143), "SIGTERM")])
  func stoppedBySignal(signalNumber: Int32, exitStatus: Int32, name: String) throws {
    try withFixture { fixture in
      try fixture.migration("001_first.sql", "CREATE TABLE first (x);")
      try fixture.migration(
        "002_long.sql",
        """
        CREATE TABLE big (x INTEGER);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)
        INSERT INTO big SELECT x FROM c;
        """)
      try fixture.migration("003_after.sql", "CREATE TABLE after (x);")
      let arguments = ["apply", "-d", fixture.databasePath, "-m", fixture.migrations.path]
      let run = try ToolProcess.start(arguments, in: fixture.directory)
      #expect(run.waitForStderr(containing: "applying 002_long"))
      kill(run.process.processIdentifier, signalNumber)
      let result = run.wait()
      #expect(result.status == exitStatus, "\(result.stderr)")
      #expect(result.stderr.contains("Stopped by \(name) during 002_long"))
      #expect(result.stderr.contains("its transaction was rolled back"))
      #expect(result.stderr.contains("Done before it: 001_first."))
      #expect(result.stderr.contains("The next 'schemaledger apply' carries on from 002_long."))
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.migration == "002_long")
      #expect(failed.detail == "stopped by the operator")
      #expect(failed.error?.contains("stopped by the operator (\(name)) while it ran") == true)
      #expect(try fixture.schemaObjects() == ["table first"])
      // Nothing is left planned: the next run records no interruption and carries on.
      try fixture.migration("002_long.sql", "CREATE TABLE big (x INTEGER);")
      let next = try ToolProcess.run(arguments, in: fixture.directory)
      #expect(next.status == 0, "\(next.stderr)")
      #expect(!next.stderr.contains("interrupted"))
      #expect(try fixture.schemaObjects() == ["table after", "table big", "table first"])
      try expectIntactChain(fixture)
    }
  }

  @Test("status answers at once while a run holds the database, naming the run and its step")
  func statusDuringLongRun() throws {
    try withFixture { fixture in
      try fixture.migration("001_first.sql", "CREATE TABLE first (x);")
      try fixture.migration(
        "002_long.sql",
        """
        CREATE TABLE big (x INTEGER);
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000)
        INSERT INTO big SELECT x FROM c;
        """)
      let run = try ToolProcess.start(
        ["apply", "-d", fixture.databasePath, "-m", fixture.migrations.path],
        in: fixture.directory)
      defer {
        kill(run.process.processIdentifier, SIGKILL)
        _ = run.wait()
      }
      #expect(run.waitForStderr(containing: "applying 002_long"))
      // The default --lock-timeout is 60 s: a status that waited would outlast the time
      // limit of this suite (1 minute); an answer proves it did not wait.
      let status = try fixture.cli(["status"])
      #expect(status.status == 0, "\(status.stderr)")
      #expect(status.stdout.contains("A run is in progress:"))
      #expect(status.stdout.contains("pid \(run.process.processIdentifier)"))
      #expect(status.stdout.contains("applying 002_long (step 2 of 2)"))
      #expect(status.stdout.contains("002_long"))
      let json = try fixture.cli(["status", "--json"])
      #expect(json.stdout.contains("\"run_in_progress\" : \""))
    }
  }

  private func expectIntactChain(_ fixture: Fixture) throws {
    var previous = LedgerEvent.genesisHash
    for event in try fixture.events() {
      #expect(event.prevHash == previous, "event #\(event.seq)")
      #expect(event.hash == event.computedHash, "event #\(event.seq)")
      previous = event.hash
    }
  }
}
