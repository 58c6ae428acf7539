import Testing

@testable import SchemaLedger

@Suite("Line diffs for messages")
struct LineDiffTests {
  @Test("One changed line, with a line of context around it")
  func oneLine() {
    let old = "CREATE TABLE a (\n  x INTEGER,\n  y TEXT\n);\n"
    let new = "CREATE TABLE a (\n  x INTEGER,\n  y TEXT NOT NULL\n);\n"
    #expect(
      LineDiff.unified(old: old, new: new)
        == ["  ...", "    x INTEGER,", "-   y TEXT", "+   y TEXT NOT NULL", "  );", "  ..."])
  }

  @Test("Added and removed lines; the same text gives no diff")
  func addedRemoved() {
    #expect(LineDiff.unified(old: "a\nb\nc", new: "a\nb\nc").isEmpty)
    #expect(LineDiff.unified(old: "a\nc", new: "a\nb\nc") == ["  a", "+ b", "  c"])
    #expect(LineDiff.unified(old: "a\nb\nc", new: "a\nc") == ["  a", "- b", "  c"])
  }

  @Test("A long diff is cut at the limit")
  func limit() {
    let old = (1...100).map(String.init).joined(separator: "\n")
    let new = (1...100).map { "x\($0)" }.joined(separator: "\n")
    let diff = LineDiff.unified(old: old, new: new, limit: 5)
    #expect(diff.count == 6)
    #expect(diff.last == "  ...")
  }
}
