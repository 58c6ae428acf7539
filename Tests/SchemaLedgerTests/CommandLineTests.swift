import Foundation
import Testing

@testable import SchemaLedger

@Suite("The schemaledger command", .timeLimit(.minutes(1)))
struct CommandLineTests {
  @Test("apply prints one line per migration with its duration, then a summary")
  func applyOutput() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      let result = try fixture.cli(["apply"])
      #expect(result.status == 0)
      let lines = result.stderr.split(separator: "\n").map(String.init)
      #expect(lines.count == 4)
      #expect(lines[0] == "creating new database \(fixture.databasePath)")
      #expect(lines[1].hasPrefix("applying 001_a ... ok (") && lines[1].hasSuffix(" ms)"))
      #expect(lines[2].hasPrefix("applying 002_b ... ok ("))
      // The head to keep as an anchor: the ledger's last event.
      let last = try #require(try fixture.events().last)
      #expect(lines[3] == "ledger head: \(last.seq):\(last.hash)")
      #expect(result.stdout.contains("Applied 2 migrations in"))
      #expect(result.stdout.contains("the database is at version 2."))
      #expect(!result.stderr.contains("\u{1B}["))  // NO_COLOR is set by the harness
      let again = try fixture.cli(["apply"])
      #expect(again.status == 0)
      #expect(again.stdout == "Nothing to apply; the database is at version 2.\n")
      #expect(again.stderr.isEmpty)
    }
  }

  @Test("a failing migration exits 1 with file, line, and what to do on stderr")
  func applyFailure() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration(
        "002_b.sql", "-- migrate:up\nCREATE TABLE b (x);\nINSERT INTO nope VALUES (1);\n")
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("applying 002_b ... FAILED"))
      #expect(result.stderr.contains("Error: "))
      #expect(result.stderr.contains("002_b.sql:3: no such table: nope (SQLITE_ERROR)"))
      #expect(result.stderr.contains("1 migration applied before it stay applied"))
      #expect(result.stderr.contains("run 'schemaledger apply' again"))
      #expect(!result.stderr.contains("Usage:"))
      #expect(try fixture.schemaObjects() == ["table a"])
    }
  }

  @Test("a broken file is reported before anything is applied")
  func brokenFile() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "-- migrate:up\nCREATE TABLE b (x);\n-- migrate:dwon\n")
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("002_b.sql:3: '-- migrate:dwon' looks like a section marker"))
      #expect(result.stderr.contains("Nothing was applied"))
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("status --exit-code exits 3 while anything is pending, 0 once up to date")
  func statusExitCode() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let pending = try fixture.cli(["status", "--exit-code"])
      #expect(pending.status == 3)
      #expect(pending.stdout.contains("001_a"))
      #expect(pending.stdout.contains("pending"))
      #expect(try fixture.cli(["status"]).status == 0)
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
      _ = try fixture.cli(["apply"])
      let current = try fixture.cli(["status", "--exit-code"])
      #expect(current.status == 0)
      #expect(current.stdout.contains("applied"))
    }
  }

  @Test("status prints an aligned table, non-ASCII names included, and names missing files")
  func statusTable() throws {
    try withFixture { fixture in
      try fixture.migration("001_café.sql", "CREATE TABLE a (x);")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      _ = try fixture.cli(["apply"])
      try FileManager.default.removeItem(at: fixture.migrations.appendingPathComponent("002_b.sql"))
      let lines = try fixture.cli(["status"]).stdout.split(separator: "\n").map(String.init)
      #expect(lines.first?.hasPrefix("VERSION  MIGRATION  STATE") == true)
      let column = try #require(lines.first?.range(of: "STATE")).lowerBound
      let offset = lines[0].distance(from: lines[0].startIndex, to: column)
      for line in lines[1...2] {
        #expect(line.count > offset)
        #expect(
          line.dropFirst(offset).hasPrefix("applied")
            || line.dropFirst(offset).hasPrefix("missing file"))
      }
      #expect(lines[1].hasPrefix("1        001_café   applied"))
    }
  }

  @Test("status, history and apply print JSON that parses")
  func json() throws {
    try withFixture { fixture in
      try fixture.migration(
        "001_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "DROP TABLE a;"))
      let applied = try fixture.cli(["apply", "--json"])
      let report = try #require(
        try JSONSerialization.jsonObject(with: Data(applied.stdout.utf8)) as? [String: Any])
      #expect(report["current_version"] as? Int == 1)
      let status = try fixture.cli(["status", "--json"])
      let statusObject = try #require(
        try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
      let migrations = try #require(statusObject["migrations"] as? [[String: Any]])
      #expect(migrations.first?["state"] as? String == "applied")
      let history = try fixture.cli(["history", "--json"])
      let historyObject = try #require(
        try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
      let events = try #require(historyObject["events"] as? [[String: Any]])
      #expect(events.map { $0["kind"] as? String } == ["planned", "started", "applied"])
      #expect(events.last?["down_sql"] as? String == "DROP TABLE a;\n")
      #expect((events.last?["hash"] as? String)?.count == 64)
    }
  }

  @Test("plan and apply --dry-run show the SQL and write nothing")
  func dryRun() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      for arguments in [["plan"], ["apply", "--dry-run"]] {
        let result = try fixture.cli(arguments)
        #expect(result.status == 0)
        #expect(
          result.stdout.contains("Plan: apply 1 migration (layout sql-files). Nothing was written.")
        )
        #expect(result.stdout.contains("    CREATE TABLE a (x);"))
      }
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("history lists events with kind, migration, actor and duration")
  func history() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      _ = try fixture.cli(["apply"])
      let result = try fixture.cli(["history"])
      #expect(result.status == 0)
      let lines = result.stdout.split(separator: "\n")
      #expect(lines.first?.hasPrefix("SEQ") == true)
      #expect(lines.count == 4)
      #expect(
        lines[3].contains("applied") && lines[3].contains("001_a") && lines[3].contains(" ms"))
    }
  }

  @Test("new creates the next file in the folder's style")
  func new() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let result = try fixture.cli(["new", "Add Email"])
      #expect(result.status == 0)
      let path = result.stdout.trimmingCharacters(in: .newlines)
      #expect(path.hasSuffix("migrations/002_add_email.sql"))
      #expect(
        try String(contentsOfFile: path, encoding: .utf8)
          == "-- migrate:up\n\n\n-- migrate:down\n\n")
    }
  }

  @Test(
    "usage errors exit 64 with the message, the usage line and where to look",
    arguments: [
      (["apply", "--dryrun"], "Unknown option '--dryrun'. Did you mean '--dry-run'?", "apply"),
      (["aply"], "Unknown command 'aply'. Did you mean 'apply'?", nil),
      (["apply", "--to"], "Option '--to' needs a value (VERSION).", "apply"),
      (
        ["apply", "--to", "abc"],
        "--to needs a migration version (digits, or parts such as 1.10), not 'abc'.", "apply"
      ),
      (["status", "extra"], "Unexpected argument 'extra'.", "status"),
      (["new"], "Give exactly one NAME for the migration.", "new"),
      (["apply", "--lock-timeout", "soon"], "--lock-timeout needs a number of seconds", "apply"),
      (
        ["apply", "--to=-1"],
        "--to needs a migration version (digits, or parts such as 1.10), not '-1'.", "apply"
      ),
      (
        ["rollback", "--to=-1"],
        "--to needs a migration version (digits, or parts such as 1.10), not '-1'.", "rollback"
      ),
      (
        ["plan", "--to=-3"],
        "--to needs a migration version (digits, or parts such as 1.10), not '-3'.", "plan"
      ),
    ] as [([String], String, String?)])
  func usageErrors(arguments: [String], message: String, command: String?) throws {
    try withTemporaryDirectory { directory in
      let result = try ToolProcess.run(arguments + ["-d", "x.sqlite"], in: directory)
      #expect(result.status == 64)
      #expect(result.stderr.contains("Error: \(message)"))
      #expect(result.stderr.contains("Usage: schemaledger "))
      let see = command.map { "See 'schemaledger \($0) --help'." } ?? "See 'schemaledger --help'."
      #expect(result.stderr.contains(see))
      #expect(result.stdout.isEmpty)
    }
  }

  @Test("no database given is a usage error naming both ways to give it")
  func noDatabase() throws {
    try withTemporaryDirectory { directory in
      let result = try ToolProcess.run(["status"], in: directory)
      #expect(result.status == 64)
      #expect(result.stderr.contains("--database PATH or --url sqlite:PATH"))
      #expect(result.stderr.contains("SCHEMALEDGER_DATABASE or DATABASE_URL"))
    }
  }

  @Test("the environment supplies --database and --migrations")
  func environment() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let result = try ToolProcess.run(
        ["apply"], in: fixture.directory,
        environment: [
          "SCHEMALEDGER_DATABASE": fixture.databasePath,
          "SCHEMALEDGER_MIGRATIONS": fixture.migrations.path,
        ])
      #expect(result.status == 0)
      #expect(try fixture.schemaObjects() == ["table a"])
    }
  }

  @Test(
    "every command has --help with the standard headings, exit 0, on stdout",
    arguments: ["apply", "plan", "status", "history", "new"])
  func help(command: String) throws {
    try withTemporaryDirectory { directory in
      for arguments in [[command, "--help"], [command, "-h"], ["help", command]] {
        let result = try ToolProcess.run(arguments, in: directory)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("OVERVIEW: "))
        #expect(result.stdout.contains("USAGE: schemaledger \(command)"))
        #expect(result.stdout.contains("OPTIONS:"))
        #expect(result.stdout.contains("--database PATH"))
        #expect(result.stderr.isEmpty)
      }
    }
  }

  @Test("the tool's help lists the commands; --version prints the version")
  func toolHelp() throws {
    try withTemporaryDirectory { directory in
      let help = try ToolProcess.run(["--help"], in: directory)
      #expect(help.status == 0)
      #expect(help.stdout.contains("COMMANDS:"))
      for command in ["apply", "plan", "status", "history", "new"] {
        #expect(help.stdout.contains("  \(command) "))
      }
      let version = try ToolProcess.run(["--version"], in: directory)
      #expect(version.status == 0)
      #expect(version.stdout == "0.1.0\n")
    }
  }

  @Test("a database path that is not a database is named in the error")
  func notADatabase() throws {
    try withFixture { fixture in
      try fixture.directory.write("app.sqlite", String(repeating: "hello\n", count: 200))
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(result.stderr.contains("'\(fixture.databasePath)' is not a SQLite database"))
    }
  }
}
