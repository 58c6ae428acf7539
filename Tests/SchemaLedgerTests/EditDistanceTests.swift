import Testing

@testable import SchemaLedger

@Suite("Edit distance")
struct EditDistanceTests {
  @Test(
    "known distances",
    arguments: [
      ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("dwon", "down", 2),
      ("dryrun", "dry-run", 1), ("apply", "apply", 0),
    ])
  func known(a: String, b: String, distance: Int) {
    #expect(EditDistance.between(a, b) == distance)
  }
}
