import CPostgreSQL
import SchemaLedger

/// One row of a query's result, read as text (the server's text format).
struct PostgresRow: SQLRow {
  let result: OpaquePointer
  let row: Int32

  func text(_ column: Int) -> String? {
    guard PQgetisnull(result, row, Int32(column)) == 0 else { return nil }
    return String(cString: PQgetvalue(result, row, Int32(column)))
  }

  /// The value as an integer; a boolean (`t` / `f`, what a comparison returns) as 1 or
  /// 0, as SQLite gives it.
  func int64(_ column: Int) -> Int64? {
    switch text(column) {
    case "t": 1
    case "f": 0
    case let value?: Int64(value)
    case nil: nil
    }
  }

  func double(_ column: Int) -> Double? {
    text(column).flatMap { Double($0) }
  }

  func textBytes(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
    guard PQgetisnull(result, row, Int32(column)) == 0,
      let value = PQgetvalue(result, row, Int32(column))
    else { return nil }
    let count = Int(PQgetlength(result, row, Int32(column)))
    return UnsafeBufferPointer(
      start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: count)
  }
}
