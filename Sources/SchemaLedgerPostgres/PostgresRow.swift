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

  func int64(_ column: Int) -> Int64? {
    text(column).flatMap { Int64($0) }
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
