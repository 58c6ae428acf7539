import Foundation
import Testing

@testable import SchemaLedger

@Suite("Numeric options: refused or clamped, never a crash", .timeLimit(.minutes(3)))
struct NumericOptionTests {
  @Test("--lock-timeout 1e16, on the command line or from the environment, is refused")
  func hugeLockTimeout() throws {
    try withFixture { fixture in
      try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
      let option = try fixture.cli(["apply", "--lock-timeout", "1e16"])
      #expect(option.exited)
      #expect(option.status == 64)
      #expect(option.stderr.contains("Error: --lock-timeout "))
      #expect(option.stderr.contains("'1e16'"))
      #expect(option.stderr.contains("86400"))
      let environment = try ToolProcess.run(
        ["status", "-d", fixture.databasePath, "-m", fixture.migrations.path],
        in: fixture.directory, environment: ["SCHEMALEDGER_LOCK_TIMEOUT": "1e16"])
      #expect(environment.exited)
      #expect(environment.status == 64)
      #expect(environment.stderr.contains("SCHEMALEDGER_LOCK_TIMEOUT"))
      #expect(environment.stderr.contains("'1e16'"))
      #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
    }
  }

  @Test("the library clamps a huge, infinite or NaN lock timeout instead of crashing")
  func libraryClamps() throws {
    for timeout in [1e16, 1e300, Double.infinity, -Double.infinity, Double.nan, -1] {
      try withFixture { fixture in
        try fixture.migration("001_a.sql", "CREATE TABLE a (x);")
        try fixture.ledger { $0.lockTimeout = timeout }.migrate()
        #expect(try fixture.schemaObjects() == ["table a"])
      }
    }
  }

  @Test(
    "counts and event numbers are whole numbers in range, named when refused",
    arguments: [
      (["rollback", "--steps=+3"], "--steps needs a number ≥ 1, not '+3'."),
      (["rollback", "--steps=3.5"], "--steps needs a number ≥ 1, not '3.5'."),
      (
        ["rollback", "--steps=99999999999999999999"],
        "--steps 99999999999999999999 is too large: give at most 9223372036854775807."
      ),
      (["history", "--limit= 5"], "--limit needs a number ≥ 1, not ' 5'."),
      (
        ["history", "--limit=99999999999999999999"],
        "--limit 99999999999999999999 is too large: give at most 9223372036854775807."
      ),
      (
        ["replay", "--at=99999999999999999999"],
        "--at 99999999999999999999 is too large: give at most 9223372036854775807."
      ),
      (
        ["apply", "--to=99999999999999999999"],
        "--to 99999999999999999999 is too large: a version part is at most 9223372036854775807."
      ),
      (["apply", "--lock-timeout=0x10"], "--lock-timeout needs a number of seconds"),
      (["apply", "--lock-timeout=1e3"], "--lock-timeout needs a number of seconds"),
    ] as [([String], String)])
  func rangeMessages(arguments: [String], message: String) throws {
    try withFixture { fixture in
      let result = try fixture.cli(arguments)
      #expect(result.exited)
      #expect(result.status == 64)
      #expect(result.stderr.contains("Error: \(message)"))
    }
  }

  /// Numbers a user or a script might pass by mistake, and numbers at the edges.
  static let values = [
    "1e16", "-1", "nan", "inf", "-inf", "1e308", "1e-300", "99999999999999999999",
    "9223372036854775807", "9223372036854775808", "0x10", " 5", "5 ", "1_000", "", "+3",
    "3.5", "0", "1", "-0", "1.", ".5", "5e", "٣", "00000000000000000000001", "86400",
    "86400.5", "2026-02-30", "2026-13-01", "2026-01-01T24:00", "2026-01-01T00:00+99:99",
    "0000-01-01T00:00+01:00", "9999-12-31T23:59-14:00",
  ]

  @Test(
    "every numeric option, given odd numbers, exits 0, 1 or 64 and never crashes",
    arguments: [
      ["apply", "--lock-timeout"], ["status", "--lock-timeout"], ["apply", "--to"],
      ["plan", "--to"], ["rollback", "--dry-run", "--steps"], ["rollback", "--dry-run", "--to"],
      ["baseline", "--reason", "r", "--to"], ["history", "--limit"], ["history", "--since"],
      ["history", "--until"], ["replay", "--at"],
    ])
  func oddNumbers(command: [String]) throws {
    try withFixture { fixture in
      try fixture.applyTwoReversible()
      let option = try #require(command.last)
      for value in Self.values {
        let result = try fixture.cli(Array(command.dropLast()) + ["\(option)=\(value)"])
        #expect(result.exited, "\(option)=\(value) crashed: \(result.stderr)")
        #expect([0, 1, 64].contains(result.status), "\(option)=\(value): \(result.stderr)")
        if result.status == 64 {
          #expect(result.stderr.hasPrefix("Error: \(option)"), "\(option)=\(value)")
          #expect(result.stderr.contains("See 'schemaledger "))
        } else if result.status == 1 {
          #expect(result.stderr.contains("Error: "), "\(option)=\(value)")
        }
      }
      let environment = try ToolProcess.run(
        ["status", "-d", fixture.databasePath, "-m", fixture.migrations.path],
        in: fixture.directory, environment: ["SCHEMALEDGER_LOCK_TIMEOUT": "1e308"])
      #expect(environment.exited && environment.status == 64)
    }
  }
}
