import Testing

@testable import SchemaLedger

@Suite("Migration versions")
struct MigrationVersionTests {
  // MARK: - Parsing

  @Test(
    "Version text parses into its numeric parts",
    arguments: [
      ("1", [1]),
      ("001", [1]),
      ("0", [0]),
      ("1.10", [1, 10]),
      ("1_2", [1, 2]),
      ("1.2_3", [1, 2, 3]),
      ("2024-03-13-170000", [20_240_313_170_000]),
      ("9223372036854775807", [Int64.max]),
    ] as [(String, [Int64])])
  func parses(text: String, parts: [Int64]) throws {
    let version = try #require(MigrationVersion(text))
    #expect(version.parts == parts)
  }

  @Test(
    "Text that is not digits and separators is no version",
    arguments: ["", "1..2", "a", "1.x", "1.", ".1", "_1", "1-2.3", "+1", " 1", "v1"])
  func rejects(text: String) {
    #expect(MigrationVersion(text) == nil)
  }

  @Test(
    "A part that does not fit in 64 bits is no version",
    arguments: ["9223372036854775808", "12345678901234567890", "1.99999999999999999999"])
  func overflow(text: String) {
    #expect(MigrationVersion(text) == nil)
  }

  // MARK: - Order and equality

  @Test("Parts compare numerically, one by one: 1.9 < 1.10 < 1.10.1 < 2")
  func partByPart() throws {
    let versions = try ["1.9", "1.10", "1.10.1", "2"].map { try #require(MigrationVersion($0)) }
    for (lower, higher) in zip(versions, versions.dropFirst()) {
      #expect(lower < higher)
      #expect(!(higher < lower))
    }
  }

  @Test("Sorting orders versions part by part, not as text")
  func sorting() throws {
    let texts = ["2", "1.10.1", "1.9", "1.10", "10", "1.2"]
    let sorted = try texts.map { try #require(MigrationVersion($0)) }.sorted()
    #expect(sorted.map(\.description) == ["1.2", "1.9", "1.10", "1.10.1", "2", "10"])
  }

  @Test(
    "Trailing zero parts do not count: the versions are equal",
    arguments: [("1.0", "1"), ("1.0.0", "1"), ("1_0", "1.0"), ("0.0", "0"), ("001", "1")])
  func trailingZerosEqual(left: String, right: String) throws {
    let a = try #require(MigrationVersion(left))
    let b = try #require(MigrationVersion(right))
    #expect(a == b)
    #expect(!(a < b) && !(b < a))
  }

  @Test("Equal versions with and without trailing zeros hash alike")
  func trailingZerosHash() throws {
    let a = try #require(MigrationVersion("1.0"))
    let b = try #require(MigrationVersion("1"))
    #expect(a.hashValue == b.hashValue)
    #expect(Set([a, b]).count == 1)
  }

  @Test("A zero in the middle counts: 1.0.1 is after 1 and differs from 1.1")
  func innerZeroCounts() throws {
    let middle = try #require(MigrationVersion("1.0.1"))
    #expect(MigrationVersion(1) < middle)
    #expect(middle != MigrationVersion("1.1"))
    #expect(middle < MigrationVersion("1.1")!)
  }

  @Test(
    "The repeatable non-version sorts after every version",
    arguments: [
      MigrationVersion(0), MigrationVersion(Int64.max), MigrationVersion(parts: [1, 10]),
    ])
  func repeatableSortsLast(version: MigrationVersion) {
    #expect(version < .repeatable)
    #expect(!(MigrationVersion.repeatable < version))
  }

  @Test("The repeatable non-version equals only itself")
  func repeatableEquality() {
    #expect(MigrationVersion.repeatable == .repeatable)
    #expect(!(MigrationVersion.repeatable < .repeatable))
    #expect(MigrationVersion.repeatable != MigrationVersion(0))
    #expect(MigrationVersion.repeatable.hashValue == MigrationVersion.repeatable.hashValue)
    #expect(Set([MigrationVersion.repeatable, MigrationVersion(0)]).count == 2)
  }

  // MARK: - Properties

  @Test(
    "description joins the parts with dots; a repeatable migration says so",
    arguments: [
      (MigrationVersion(3), "3"),
      (MigrationVersion("007")!, "7"),
      (MigrationVersion("1_10")!, "1.10"),
      (MigrationVersion("1.0")!, "1.0"),
      (MigrationVersion.repeatable, "repeatable"),
    ])
  func description(version: MigrationVersion, text: String) {
    #expect(version.description == text)
  }

  @Test(
    "Only versions of several parts are stored as text",
    arguments: [
      (MigrationVersion(3), nil),
      (MigrationVersion("1.10")!, "1.10"),
      (MigrationVersion("1.0")!, "1.0"),
      (MigrationVersion.repeatable, nil),
    ] as [(MigrationVersion, String?)])
  func textForStorage(version: MigrationVersion, text: String?) {
    #expect(version.textForStorage == text)
  }

  @Test("singleNumber and recorded: a number for one part, nil for several or repeatable")
  func singleNumberAndRecorded() throws {
    #expect(MigrationVersion(42).singleNumber == 42)
    #expect(try #require(MigrationVersion("1.2")).singleNumber == nil)
    #expect(MigrationVersion.repeatable.singleNumber == nil)
    #expect(MigrationVersion(42).recorded == 42)
    #expect(MigrationVersion.repeatable.recorded == nil)
  }

  // MARK: - Stored form

  @Test(
    "init(stored:text:) reads the version and version_text columns back",
    arguments: [
      (3, nil, MigrationVersion(3)),
      (nil, "1.10", MigrationVersion("1.10")),
      (5, "1.10", MigrationVersion("1.10")),  // the text, when there is one, wins
      (4, "not a version", MigrationVersion(4)),
      (nil, nil, nil),
      (-1, nil, nil),
      (nil, "not a version", nil),
    ] as [(Int64?, String?, MigrationVersion?)])
  func stored(number: Int64?, text: String?, version: MigrationVersion?) {
    #expect(MigrationVersion(stored: number, text: text) == version)
  }

  @Test(
    "The stored columns round-trip every version",
    arguments: ["1", "20240313170000", "1.10", "1.0", "1.2.3"])
  func storedRoundTrip(text: String) throws {
    let version = try #require(MigrationVersion(text))
    let back = MigrationVersion(stored: version.singleNumber, text: version.textForStorage)
    #expect(back == version)
    #expect(back?.description == version.description)
  }

  // MARK: - JSON

  @Test(
    "JSON: a number for one part, a string for several, null for repeatable",
    arguments: [
      (MigrationVersion(3), JSONValue.integer(3)),
      (MigrationVersion("1.10")!, JSONValue.string("1.10")),
      (MigrationVersion("1.0")!, JSONValue.string("1.0")),
      (MigrationVersion.repeatable, JSONValue.null),
    ])
  func json(version: MigrationVersion, json: JSONValue) {
    #expect(version.json == json)
  }

  @Test(
    "JSON round-trips every version",
    arguments: [MigrationVersion(0), MigrationVersion(Int64.max), MigrationVersion("1.10")!])
  func jsonRoundTrip(version: MigrationVersion) throws {
    let back = try #require(MigrationVersion(json: version.json))
    #expect(back == version)
    #expect(back.parts == version.parts)
  }

  @Test(
    "JSON that is no version reads as nil",
    arguments: [
      JSONValue.null, .integer(-1), .string("x"), .string(""), .bool(true), .number(1.5),
      .array([.integer(1)]),
    ])
  func jsonRejects(json: JSONValue) {
    #expect(MigrationVersion(json: json) == nil)
  }

  @Test("JSON accepts a version written as a string of one number")
  func jsonStringNumber() {
    #expect(MigrationVersion(json: .string("7")) == 7)
  }
}
