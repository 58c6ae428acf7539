import Foundation
import Testing

@testable import schemaledger

/// Random command lines built from the real option names, values that are odd or at the
/// edges, `--`, `=` forms and near misses. Cases come from `SeededGenerator` (SplitMix64,
/// in RollbackTests.swift): the same on every machine, so a failure is replayed by
/// running the test again.
@Suite("Fuzzing the command line", .timeLimit(.minutes(2)))
struct OptionFuzzTests {
  static var commands: [any Command.Type] { CommandLineTool.allCommands }

  /// Every option of every command, and the global ones.
  static var specs: [OptionSpec] {
    commands.flatMap { $0.options } + GlobalOptions.specs
  }

  /// Values for options and positionals: numbers odd and at the edges, times real and
  /// impossible, versions, paths, empty and special values, option look-alikes.
  static let values = [
    "0", "1", "3", "-1", "+3", "3.5", "1e16", "1e308", "nan", "inf", "0x10", " 5", "5 ",
    "1_000", "99999999999999999999", "9223372036854775807", "86400", "86401", "0.5", "",
    "2026-11-25", "2026-02-30", "2026-01-01T24:00", "2026-11-25T08:50:00+02:00",
    "2026-11-25T08:50+99:99", "0000-01-01T00:00+01:00", "1.10", "2024-03-13-170000", "1..2",
    "x.sqlite", ":memory:", "db/x.sqlite", "migrations", "nope", "-", "--", "=", "a=b", "=b",
    "NAME=", "applied", "rolled-back", "dbmate", "flyway", "sql-files", "nope-layout", "r",
    "add user", "\u{1B}[31m", "line\nbreak", "é", "001_a",
  ]

  /// Values that fit an option, by its value's placeholder, so that many command lines
  /// get past parsing and run.
  static let fitting: [String: [String]] = [
    "VERSION": ["0", "1", "2", "3"], "N": ["1", "2", "3"], "SECONDS": ["0", "0.5", "2"],
    "TIME": ["2026-11-25", "2999-01-01", "2000-01-01T00:00:00Z"],
    "SEQ|TIME": ["0", "3", "6", "7", "2999-01-01"], "TEXT": ["because"],
    "FILE": ["out.jsonl"], "NAME": ["sql-files", "dbmate"], "NAME=VALUE": ["a=b"],
    "TOOL": ["dbmate", "goose"], "OUTCOME": ["applied", "rolled-back"],
    "KIND": ["applied", "failed"], "ID": ["001_a"], "RUN_ID": ["x"],
  ]

  /// Every option name the command line knows (with the tool's own `--version`).
  static let optionNames = Array(Set(specs.map { $0.name } + ["version"])).sorted()

  static let shorts = specs.compactMap { $0.short }

  /// One random token, or an option with its value: mostly an option `command` takes,
  /// written the way its spec says; now and then anything else.
  static func tokens(
    for command: any Command.Type, using generator: inout SeededGenerator
  ) -> [String] {
    var value = values.randomElement(using: &generator)!
    // The database and the folder are the fixture's; other paths only in odd tokens.
    let own = (command.options + GlobalOptions.specs).filter {
      !["database", "migrations", "load-extension"].contains($0.name)
    }
    switch Int.random(in: 0..<20, using: &generator) {
    case 0..<14:
      let spec = own.randomElement(using: &generator)!
      if let fit = spec.valueName.flatMap({ fitting[$0] }),
        Int.random(in: 0..<5, using: &generator) != 0
      {
        value = fit.randomElement(using: &generator)!
      }
      if spec.isFlag {
        return Int.random(in: 0..<10, using: &generator) == 0
          ? ["--\(spec.name)=\(value)"] : ["--\(spec.name)"]
      }
      switch Int.random(in: 0..<10, using: &generator) {
      case 0: return ["--\(spec.name)"]  // the value is missing
      case 1..<5: return ["--\(spec.name)=\(value)"]
      case 5 where spec.short != nil: return ["-\(spec.short!)\(value)"]
      default: return ["--\(spec.name)", value]
      }
    case 14, 15: return [value]
    case 16:
      return [
        ["--", "--help", "-h", "--version", "-", "---", "--=", "-=", "-x"]
          .randomElement(using: &generator)!
      ]
    case 17: return ["--" + String(optionNames.randomElement(using: &generator)!.dropLast())]
    case 18:
      let short = shorts.randomElement(using: &generator)!
      return Bool.random(using: &generator) ? ["-\(short)", value] : ["-\(short)\(value)"]
    default: return ["--\(optionNames.randomElement(using: &generator)!)", value]
    }
  }

  /// A random command line: usually a command first, then up to 5 tokens.
  static func arguments(using generator: inout SeededGenerator) -> [String] {
    let command = commands.randomElement(using: &generator)!
    var arguments: [String] = []
    switch Int.random(in: 0..<20, using: &generator) {
    case 0: break
    case 1: arguments.append(["help", "aply", "status"].randomElement(using: &generator)!)
    default: arguments.append(command.name)
    }
    if !command.arguments.isEmpty, Int.random(in: 0..<4, using: &generator) != 0 {
      arguments.append(["1", "2", "001_a", "add user", "x"].randomElement(using: &generator)!)
    }
    for _ in 0..<Int.random(in: 0...4, using: &generator) {
      arguments += tokens(for: command, using: &generator)
    }
    return arguments
  }

  /// A random environment of the tool's variables.
  static func environment(using generator: inout SeededGenerator) -> [String: String] {
    var environment: [String: String] = [:]
    for variable in GlobalOptions.specs.compactMap({ $0.environment })
    where Int.random(in: 0..<4, using: &generator) == 0 {
      environment[variable] = values.randomElement(using: &generator)!
    }
    return environment
  }

  /// Runs `body`: it returns, or throws a usage error with a message (or, for a file
  /// option, an error naming the file); anything else is a bug.
  static func expectUsageErrorAtMost(
    _ what: String, case number: Int, command: String, _ body: () throws -> Void
  ) {
    do {
      try body()
    } catch let error as UsageError {
      #expect(!error.message.isEmpty, "case \(number): \(what)")
      #expect(error.command == command, "case \(number): \(what): \(error.message)")
    } catch let error as InputFileError {
      // A file option naming a file that cannot be used: a runtime error naming it.
      #expect(error.description.contains(error.path), "case \(number): \(what)")
    } catch {
      Issue.record("case \(number): \(what) threw \(error)")
    }
  }

  @Test("5000 random command lines parse, or fail as usage errors, in every check")
  func inProcess() {
    var generator = SeededGenerator(seed: 0xC11_0001)
    for number in 0..<5000 {
      let command = Self.commands.randomElement(using: &generator)!
      var arguments: [String] = []
      for _ in 0..<Int.random(in: 0...8, using: &generator) {
        arguments += Self.tokens(for: command, using: &generator)
      }
      let environment = Self.environment(using: &generator)
      var parsed: ParsedArguments?
      Self.expectUsageErrorAtMost("parse \(arguments)", case: number, command: command.name) {
        parsed = try ArgumentParser.parse(
          arguments, specs: command.options + GlobalOptions.specs, command: command.name,
          environment: environment)
      }
      guard let parsed else { continue }
      let context = CommandContext(
        arguments: parsed, terminal: Terminal(environment: ["NO_COLOR": "1"]),
        commandName: command.name)
      let checks: [(String, () throws -> Void)] = [
        ("database", { try context.checkDatabaseOption() }),
        ("ledger", { _ = try context.ledger() }),
        ("to", { _ = try context.version("to") }),
        ("steps", { _ = try context.count("steps") }),
        ("limit", { _ = try context.count("limit") }),
        ("since", { _ = try context.time("since") }),
        ("until", { _ = try context.time("until") }),
        ("layout", { _ = try context.layout() }),
        ("placeholders", { _ = try context.placeholders() }),
        ("reason", { _ = try context.reason() }),
      ]
      for (name, check) in checks {
        Self.expectUsageErrorAtMost(
          "\(name) of \(arguments)", case: number, command: command.name, check)
      }
    }
  }

  @Test("200 random command lines run by the tool exit 0, 1, 3 or 64, never by a signal")
  func binary() throws {
    var generator = SeededGenerator(seed: 0xC11_0002)
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      for number in 0..<200 {
        var arguments = Self.arguments(using: &generator)
        if Int.random(in: 0..<4, using: &generator) != 0 {
          arguments += ["-d", fixture.databasePath, "-m", fixture.migrations.path]
        }
        let result = try ToolProcess.run(
          arguments, in: fixture.directory,
          environment: Self.environment(using: &generator))
        let what = "case \(number): \(arguments)"
        #expect(result.exited, "\(what) crashed: \(result.stderr)")
        #expect([0, 1, 3, 64].contains(result.status), "\(what): \(result.stderr)")
        if result.status == 1 || (result.status == 64 && !arguments.isEmpty) {
          #expect(result.stderr.hasPrefix("Error: "), "\(what): \(result.stderr)")
        }
        if result.status == 64, !arguments.isEmpty {
          #expect(result.stderr.contains("See 'schemaledger "), "\(what): \(result.stderr)")
        }
      }
    }
  }
}
