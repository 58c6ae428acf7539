import Foundation
import Testing

@testable import SchemaLedger

@Suite("Path names without NSString")
struct PathNameTests {
  @Test("join, folder and last component agree with NSString's answers")
  func components() {
    #expect(PathName.join("migrations", "001_a.sql") == "migrations/001_a.sql")
    #expect(PathName.join("migrations/", "001_a.sql") == "migrations/001_a.sql")
    #expect(PathName.join("", "app.sqlite") == "app.sqlite")
    #expect(PathName.join("/", "tmp") == "/tmp")
    #expect(PathName.folder(of: "/data/app.sqlite") == "/data")
    #expect(PathName.folder(of: "data/sub/app.sqlite") == "data/sub")
    #expect(PathName.folder(of: "app.sqlite") == "")
    #expect(PathName.folder(of: "/app.sqlite") == "/")
    #expect(PathName.folder(of: "/data/dir/") == "/data")
    #expect(PathName.lastComponent(of: "/data/app.sqlite") == "app.sqlite")
    #expect(PathName.lastComponent(of: "/data/dir/") == "dir")
    #expect(PathName.lastComponent(of: "app.sqlite") == "app.sqlite")
    #expect(PathName.lastComponent(of: "/") == "/")
  }

  @Test("directories, readable and writable paths are told apart")
  func fileChecks() throws {
    try withTemporaryDirectory { dir in
      let file = try dir.write("file.sql", "SELECT 1;").path
      #expect(PathName.isDirectory(dir.path))
      #expect(!PathName.isDirectory(file))
      #expect(!PathName.isDirectory(PathName.join(dir.path, "missing")))
      #expect(PathName.isReadable(file) && PathName.isWritable(dir.path))
      #expect(!PathName.isReadable(PathName.join(dir.path, "missing")))
    }
  }

  @Test("trimmedWhitespace drops spaces, tabs and line breaks at both ends only")
  func trimming() {
    #expect(" \t a b \r\n".trimmedWhitespace == "a b")
    #expect("   ".trimmedWhitespace.isEmpty)
    #expect("x".trimmedWhitespace == "x")
  }
}

@Suite("JSON values")
struct JSONValueTests {
  @Test("encoding sorts keys, keeps slashes and writes null")
  func encoding() {
    let value: JSONValue = [
      "b": "a/b", "a": [1, true, nil, 2.5], "c": JSONValue(nil as String?),
    ]
    #expect(value.encoded() == #"{"a":[1,true,null,2.5],"b":"a/b","c":null}"#)
  }

  @Test("decoding reads back what encoding wrote, integers as integers")
  func roundTrip() throws {
    let value: JSONValue = [
      "seq": 9_007_199_254_740_993, "text": "é \"quoted\"\n", "flag": false,
      "list": ["x", 1.5], "nothing": nil, "nested": ["k": -3],
    ]
    let decoded = try JSONValue.decode(value.encoded(pretty: true))
    #expect(decoded == value)
    #expect(decoded["seq"]?.integerValue == 9_007_199_254_740_993)
    #expect(decoded["flag"]?.boolValue == false)
    #expect(decoded["list"]?.arrayValue?.count == 2)
    #expect(throws: (any Error).self) { try JSONValue.decode("{not json") }
  }
}

@Suite("Timestamps")
struct TimestampTests {
  @Test("formatting gives ISO-8601 UTC with milliseconds, zero-padded")
  func format() {
    #expect(Timestamp.format(seconds: 0, milliseconds: 0) == "1970-01-01T00:00:00.000Z")
    #expect(Timestamp.format(seconds: 1_795_604_612, milliseconds: 7) == "2026-11-25T11:03:32.007Z")
    #expect(Timestamp.format(seconds: 951_782_400, milliseconds: 999) == "2000-02-29T00:00:00.999Z")
    #expect(
      Timestamp.parse(Timestamp.format(seconds: 1_795_604_612, milliseconds: 70))
        == "2026-11-25T11:03:32.070Z")
  }

  @Test("milliseconds since the epoch (Prisma's and Drizzle's times) format as ledger times")
  func millisecondsSinceEpoch() {
    #expect(Timestamp.format(millisecondsSinceEpoch: 0) == "1970-01-01T00:00:00.000Z")
    #expect(
      Timestamp.format(millisecondsSinceEpoch: 1_700_000_000_000) == "2023-11-14T22:13:20.000Z")
    #expect(
      Timestamp.format(millisecondsSinceEpoch: 1_672_531_200_123) == "2023-01-01T00:00:00.123Z")
    #expect(Timestamp.format(millisecondsSinceEpoch: -1) == "1969-12-31T23:59:59.999Z")
    #expect(Timestamp.format(millisecondsSinceEpoch: -1000) == "1969-12-31T23:59:59.000Z")
    #expect(
      Timestamp.format(millisecondsSinceEpoch: 253_402_300_799_999) == "9999-12-31T23:59:59.999Z")
    #expect(
      Timestamp.format(millisecondsSinceEpoch: -62_135_596_800_000) == "0001-01-01T00:00:00.000Z")
    #expect(Timestamp.format(millisecondsSinceEpoch: 253_402_300_800_000) == nil)
    #expect(Timestamp.format(millisecondsSinceEpoch: .min) == nil)
  }
}
