import Foundation
import Testing

@testable import SchemaLedger

@Suite("Times given on the command line", .timeLimit(.minutes(1)))
struct TimestampParseTests {
  @Test(
    "real dates and times are accepted, in the ledger's form",
    arguments: [
      ("2026-11-25", "2026-11-25T00:00:00.000Z"),
      ("2024-02-29", "2024-02-29T00:00:00.000Z"),
      ("2000-02-29", "2000-02-29T00:00:00.000Z"),
      ("2026-01-31T23:59:59.999Z", "2026-01-31T23:59:59.999Z"),
      ("2026-04-30 08:50", "2026-04-30T08:50:00.000Z"),
      ("2026-11-25T08:50:12.5", "2026-11-25T08:50:12.500Z"),
      ("2026-11-25T08:50:12.123456z", "2026-11-25T08:50:12.123Z"),
      ("2026-11-25T10:50:00+02:00", "2026-11-25T08:50:00.000Z"),
      ("2026-11-25T08:50:00-0130", "2026-11-25T10:20:00.000Z"),
      ("2026-11-25T08:50:00+14:00", "2026-11-24T18:50:00.000Z"),
      ("2026-11-25T08:50:00-12:59", "2026-11-25T21:49:00.000Z"),
      ("0000-01-01", "0000-01-01T00:00:00.000Z"),
      ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59.000Z"),
      ("  2026-11-25  ", "2026-11-25T00:00:00.000Z"),
    ])
  func accepted(text: String, expected: String) {
    #expect(Timestamp.parse(text) == expected)
  }

  @Test(
    "impossible dates, times and offsets are refused",
    arguments: [
      "2026-02-29", "2100-02-29", "2026-02-30", "2026-04-31", "2026-06-31", "2026-09-31",
      "2026-11-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "2026-01-01T24:00",
      "2026-01-01T23:60", "2026-01-01T23:59:60", "2026-01-01T23:59:99", "2026-01-01T08:00+99:99",
      "2026-01-01T08:00+15:00", "2026-01-01T08:00-14:60", "2026-01-01T08:00+1400x",
      "0000-01-01T00:00+01:00", "9999-12-31T23:59-14:00", "2026-1-01", "2026-01-01T8:00",
      "2026-01-01T08:00:", "2026-01-01T08:00:00.", "2026-01-01T", "+2026-01-01", "",
    ])
  func refused(text: String) {
    #expect(Timestamp.parse(text) == nil, "\(text)")
  }

  @Test("history and replay refuse an impossible date as a usage error naming the option")
  func commandLine() throws {
    try withFixture { fixture in
      for (arguments, option) in [
        (["history", "--since", "2026-02-30"], "--since"),
        (["history", "--until", "2026-13-01"], "--until"),
        (["replay", "--at", "2026-01-01T24:00"], "--at"),
        (["history", "--since", "2026-01-01T08:00+99:99"], "--since"),
      ] {
        let result = try fixture.cli(arguments)
        #expect(result.status == 64, "\(arguments)")
        #expect(result.stderr.hasPrefix("Error: \(option) needs "), "\(arguments)")
        #expect(result.stderr.contains("'\(arguments[2])'"))
      }
    }
  }
}
