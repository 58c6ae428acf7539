import Testing

@testable import SchemaLedger

@Suite("Texts the projection keeps")
struct TextInternerTests {
  @Test("the same bytes get the same number and one String, through growth and collisions")
  func numbering() {
    var texts = TextInterner()
    var numbers: [String: Int32] = [:]
    let names = (0..<5_000).map { "\($0 % 7 == 0 ? "" : "migration_")\($0)" } + [""]
    for name in names { numbers[name] = texts.number(of: name) }
    #expect(texts.count == names.count)
    #expect(Set(numbers.values).count == names.count)
    for name in names.shuffled() {
      #expect(texts.number(of: name) == numbers[name])
      #expect(texts[numbers[name]!] == name)
    }
    #expect(texts.count == names.count)
  }

  @Test("a column's repeated text is found without adding it again")
  func columnCache() {
    var texts = TextInterner()
    func number(_ text: String, column: Int) -> Int32 {
      var copy = text
      return copy.withUTF8 { texts.number(of: UnsafeRawBufferPointer($0), column: column) }
    }
    let run = number("run-1", column: 3)
    #expect(number("run-1", column: 3) == run)
    #expect(number("run-2", column: 3) != run)
    #expect(number("run-1", column: 4) == run)
    #expect(texts.count == 2)
  }

  @Test("inline texts read back what they were given, short or long")
  func inlineText() {
    let time = "2026-11-25T08:50:12.123Z"
    let long = String(repeating: "é", count: 40)
    #expect(InlineText(time).string == time)
    #expect(InlineText(long).string == long)
    #expect(InlineText().string.isEmpty)
    #expect(InlineText(time) == InlineText(time) && InlineText(time) != InlineText(long))
  }
}
