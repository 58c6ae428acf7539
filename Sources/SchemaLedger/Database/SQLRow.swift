/// One result row, valid only inside the closure that receives it.
///
/// Columns are addressed by their zero-based position in the `SELECT` list.
public protocol SQLRow {
  /// The column as an integer, or `nil` when it is `NULL`.
  func int64(_ column: Int) -> Int64?
  /// The column as a double, or `nil` when it is `NULL`.
  func double(_ column: Int) -> Double?
  /// The column as text, or `nil` when it is `NULL`.
  func text(_ column: Int) -> String?
  /// The column's UTF-8 bytes without copying them, or `nil` when it is `NULL`. Valid
  /// only until the row changes: copy what you keep.
  func textBytes(_ column: Int) -> UnsafeBufferPointer<UInt8>?
}
