import Foundation
import Testing

@testable import SchemaLedger

@Suite("--database names a file", .timeLimit(.minutes(2)))
struct DatabaseOptionTests {
  /// Each command with the arguments it needs to get as far as the database.
  static let commands: [[String]] = [
    ["apply"], ["plan"], ["rollback"], ["status"], ["history"], ["replay"], ["verify"],
    ["export"], ["baseline", "--to", "1", "--reason", "r"], ["import", "--from", "dbmate"],
    ["resolve", "1", "--as", "applied", "--reason", "r"], ["accept", "1", "--reason", "r"],
    ["new", "x"],
  ]

  /// The entries of `directory` but the harness's output files.
  func entries(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { !$0.hasPrefix(".") }.sorted()
  }

  @Test(
    "an empty --database or :memory: is a usage error for every command; nothing is written",
    arguments: commands)
  func refused(command: [String]) throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      for value in ["", ":memory:"] {
        let result = try ToolProcess.run(
          command + ["--database=\(value)", "-m", fixture.migrations.path], in: fixture.directory)
        #expect(result.exited)
        #expect(result.status == 64, "\(command) --database='\(value)': \(result.stderr)")
        #expect(result.stderr.hasPrefix("Error: --database '\(value)' "))
        #expect(result.stderr.contains("thrown away"))
        #expect(result.stderr.contains("See 'schemaledger \(command[0]) --help'."))
        #expect(result.stdout.isEmpty)
        #expect(try entries(fixture.directory) == ["migrations"])
        #expect(try entries(fixture.migrations) == ["001_a.sql"])
      }
    }
  }

  @Test("SCHEMALEDGER_DATABASE=:memory: is refused naming the variable; empty means unset")
  func environment() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let memory = try ToolProcess.run(
        ["apply", "-m", fixture.migrations.path], in: fixture.directory,
        environment: ["SCHEMALEDGER_DATABASE": ":memory:"])
      #expect(memory.status == 64)
      #expect(memory.stderr.hasPrefix("Error: SCHEMALEDGER_DATABASE ':memory:' "))
      #expect(memory.stderr.contains("thrown away"))
      let empty = try ToolProcess.run(
        ["apply", "-m", fixture.migrations.path], in: fixture.directory,
        environment: ["SCHEMALEDGER_DATABASE": ""])
      #expect(empty.status == 64)
      #expect(empty.stderr.contains("No database given."))
      #expect(try entries(fixture.directory) == ["migrations"])
    }
  }
}
