/// A value bound to a statement parameter or read from a column.
///
/// Values are always bound, never interpolated into SQL text.
public enum SQLValue: Sendable, Equatable {
  /// SQL `NULL`.
  case null
  /// A 64-bit signed integer.
  case integer(Int64)
  /// A double-precision float.
  case real(Double)
  /// UTF-8 text.
  case text(String)
}

extension SQLValue {
  /// `.text(value)`, or `.null` when `value` is `nil`.
  static func text(_ value: String?) -> SQLValue {
    value.map { .text($0) } ?? .null
  }

  /// `.integer(value)`, or `.null` when `value` is `nil`.
  static func integer(_ value: Int64?) -> SQLValue {
    value.map { .integer($0) } ?? .null
  }
}
