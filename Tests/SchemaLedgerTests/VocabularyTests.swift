import Foundation
import Testing

@testable import SchemaLedger

/// The words users of dbmate, goose, golang-migrate and Flyway reach for.
@Suite("The vocabulary of the tools people come from")
struct VocabularyTests {
  @Test("up and migrate apply; info is status; create is new", arguments: ["up", "migrate"])
  func aliases(word: String) throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      let applied = try fixture.cli([word])
      #expect(applied.status == 0, "\(applied.stderr)")
      #expect(try fixture.schemaObjects() == ["table a", "table b"])
      let info = try fixture.cli(["info"])
      #expect(info.stdout.contains("Database at version 2; 0 pending."))
      let created = try ToolProcess.run(
        ["create", "add_c", "-m", fixture.migrations.path], in: fixture.directory)
      #expect(created.status == 0)
      #expect(created.stdout.contains("003_add_c.sql"))
      let help = try ToolProcess.run(["--help"], in: fixture.directory)
      #expect(help.stdout.contains("(also: up, migrate)"))
      let aliasHelp = try ToolProcess.run(["help", "up"], in: fixture.directory)
      #expect(aliasHelp.stdout.contains("USAGE: schemaledger apply"))
      #expect(aliasHelp.stdout.contains("ALIASES: up, migrate"))
    }
  }

  @Test("down rolls back one migration only, and refuses --all")
  func down() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let result = try fixture.cli(["down"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try fixture.schemaObjects() == ["table a"])
      let all = try fixture.cli(["down", "--all"])
      #expect(all.status == 64)
      #expect(try fixture.schemaObjects() == ["table a"])
    }
  }

  @Test("redo rolls back the newest migration and applies its file again")
  func redo() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      try fixture.migration(
        "002_b.sql", Fixture.dbmate(up: "CREATE TABLE b (y);", down: "DROP TABLE b;"))
      // The edited file is drift for apply; redo is the loop that runs it again knowingly,
      // so the edit must be accepted first.
      try fixture.ledger().accept("002_b", reason: "editing while writing", includingDown: true)
      let result = try fixture.cli(["redo"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("Redid 002_b"))
      #expect(
        try fixture.query("SELECT sql FROM sqlite_master WHERE name = 'b'")
          == ["CREATE TABLE b (y)"])
      let kinds = try fixture.events().suffix(2).map(\.kind)
      #expect(kinds == [.started, .applied])
    }
  }

  @Test("redo with a folder it cannot apply refuses before rolling anything back")
  func redoRefusesFirst() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let before = try fixture.events().count
      _ = try fixture.cli(["new", "add_user"])
      let result = try fixture.cli(["redo"])
      #expect(result.status == 1)
      #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
      #expect(result.stderr.contains("not written yet"))
      #expect(try fixture.events().count == before)
      #expect(try fixture.schemaObjects().contains("table b"))
    }
  }

  @Test("redo --json reports both runs in the shared vocabulary")
  func redoJSON() throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let result = try fixture.cli(["redo", "--json"])
      #expect(result.status == 0, "\(result.stderr)")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
      #expect(Set(object.keys) == ["format", "rolled_back", "applied"])
      #expect(object["format"] as? Int == 1)
      let applied = try #require(object["applied"] as? [String: Any])
      #expect((applied["steps"] as? [[String: Any]])?.first?["migration"] as? String == "002_b")
    }
  }

  @Test("version prints the database's version, or none")
  func version() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      #expect(try fixture.cli(["version"]).stdout == "none\n")
      try fixture.cli(["apply"]).expectSuccess()
      #expect(try fixture.cli(["version"]).stdout == "2\n")
      #expect(try fixture.cli(["version", "--json"]).stdout.contains("\"current_version\" : 2"))
    }
  }

  @Test(
    "--url and DATABASE_URL take dbmate's and goose's URL forms",
    arguments: ["sqlite:app.sqlite", "sqlite3:app.sqlite", "file:app.sqlite?mode=rwc"])
  func urls(url: String) throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      let result = try ToolProcess.run(
        ["apply", "--url", url, "-m", fixture.migrations.path], in: fixture.directory)
      #expect(result.status == 0, "\(result.stderr)")
      #expect(try fixture.schemaObjects() == ["table a", "table b"])
      let viaEnvironment = try ToolProcess.run(
        ["status", "-m", fixture.migrations.path], in: fixture.directory,
        environment: ["DATABASE_URL": url])
      #expect(viaEnvironment.stdout.contains("Database at version 2"))
    }
  }

  @Test("An absolute sqlite:/// URL, an unknown scheme, and a URL given as --database")
  func urlForms() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      let absolute = try ToolProcess.run(
        ["apply", "--url", "sqlite://" + fixture.databasePath, "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(absolute.status == 0, "\(absolute.stderr)")
      let unknown = try ToolProcess.run(
        ["status", "--url", "mysql://db/app", "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(unknown.status == 64)
      #expect(unknown.stderr.contains("Known schemes: sqlite:, sqlite3:, file:"))
      // A URL given to --database is read as a URL, never as a file of that name.
      let named = try ToolProcess.run(
        ["apply", "-d", "sqlite:other.sqlite", "-m", fixture.migrations.path],
        in: fixture.directory)
      #expect(named.status == 0)
      #expect(
        FileManager.default.fileExists(
          atPath: fixture.directory.appendingPathComponent("other.sqlite").path))
      #expect(
        !FileManager.default.fileExists(
          atPath: fixture.directory.appendingPathComponent("sqlite:other.sqlite").path))
    }
  }

  @Test("--quiet prints nothing on success; --verbose prints every event")
  func quietVerbose() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let quiet = try fixture.cli(["apply", "--quiet"])
      #expect(quiet.status == 0)
      #expect(quiet.stderr == "creating new database \(fixture.databasePath)\n")
      try fixture.migration("002_b.sql", "CREATE TABLE b (x);")
      let verbose = try fixture.cli(["apply", "--verbose"])
      #expect(verbose.stderr.contains("event #"))
      #expect(verbose.stderr.contains(" applied 002_b"))
      #expect(try fixture.cli(["apply", "-q", "-v"]).status == 64)
    }
  }

  @Test("completion scripts list the commands and their options; bash accepts its script")
  func completion() throws {
    try withTemporaryDirectory { directory in
      for shell in ["bash", "zsh", "fish"] {
        let result = try ToolProcess.run(["completion", shell], in: directory)
        #expect(result.status == 0)
        #expect(result.stdout.contains("rollback") && result.stdout.contains("no-rehearse"))
      }
      let script = try directory.write(
        "completion.bash", try ToolProcess.run(["completion", "bash"], in: directory).stdout)
      let bash = Process()
      bash.executableURL = URL(fileURLWithPath: "/bin/bash")
      bash.arguments = ["-c", "source '\(script.path)' && complete -p schemaledger"]
      bash.standardOutput = FileHandle.nullDevice
      try bash.run()
      bash.waitUntilExit()
      #expect(bash.terminationStatus == 0)
      #expect(try ToolProcess.run(["completion", "tcsh"], in: directory).status == 64)
    }
  }

  @Test("help help explains help")
  func helpHelp() throws {
    try withTemporaryDirectory { directory in
      let result = try ToolProcess.run(["help", "help"], in: directory)
      #expect(result.status == 0)
      #expect(result.stdout.contains("USAGE: schemaledger help [<command>]"))
    }
  }

  @Test("schema writes the canonical schema; schema --check finds a difference")
  func schemaFile() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      try fixture.cli(["apply"]).expectSuccess()
      let file = fixture.directory.appendingPathComponent("schema.sql").path
      #expect(try fixture.cli(["schema", "--output", file]).status == 0)
      let text = try String(contentsOfFile: file, encoding: .utf8)
      #expect(text == "CREATE TABLE a (x);\nCREATE TABLE b (x);\n")
      #expect(try fixture.cli(["schema"]).stdout == text)
      let same = try fixture.cli(["schema", "--check", file])
      #expect(same.status == 0, "\(same.stdout)")
      try SQLiteConnection(path: fixture.databasePath).execute("CREATE INDEX a_x ON a(x)")
      let differs = try fixture.cli(["schema", "--check", file])
      #expect(differs.status == 3)
      #expect(differs.stdout.contains("The database differs from \(file)"))
      #expect(differs.stdout.contains("added index a_x"))
      #expect(!differs.stdout.contains("The ledger's replay differs"))
    }
  }
}
