/// A short text kept inline, without a heap allocation: the projection keeps every
/// event's time this way until the state is read. Texts over 32 bytes keep a `String`.
struct InlineText: Sendable, Equatable {
  private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var count: UInt8 = 0
  private var long: String?

  /// The empty text.
  init() {}

  /// The text of `bytes` (UTF-8).
  init(_ bytes: UnsafeRawBufferPointer) {
    if bytes.count <= 32 {
      withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
      count = UInt8(bytes.count)
    } else {
      long = String(decoding: bytes, as: UTF8.self)
    }
  }

  /// The text of `string`.
  init(_ string: String) {
    var copy = string
    self = copy.withUTF8 { InlineText(UnsafeRawBufferPointer($0)) }
  }

  var string: String {
    if let long { return long }
    return withUnsafeBytes(of: words) { String(decoding: $0.prefix(Int(count)), as: UTF8.self) }
  }

  static func == (lhs: InlineText, rhs: InlineText) -> Bool {
    lhs.string == rhs.string
  }
}
