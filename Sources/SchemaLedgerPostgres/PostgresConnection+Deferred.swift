import CPostgreSQL
import SchemaLedger

/// The ledger's writes go with the commit: inside a transaction in progress, an `INSERT`
/// (the events, their texts, the head anchor) is not sent on its own but kept, with its
/// values written as literals, and sent with the next statement that needs the server, as
/// one simple query: a step's events, its head anchor and its `COMMIT` cost one round
/// trip together, not four. The server runs them in order and stops at the first error,
/// which is then thrown from that call (`commit()`, most often); a rollback drops them.
extension PostgresConnection {
  /// `true` for a statement that can wait for the commit: an `INSERT` inside a
  /// transaction in progress (not one that failed).
  func defers(_ sql: String) -> Bool {
    sql.hasPrefix("INSERT") && PQtransactionStatus(handle) == PQTRANS_INTRANS
  }

  /// Keeps `sql` with `arguments` written into it as literals, for `sendDeferred`.
  func deferStatement(_ sql: String, _ arguments: [SQLValue]) throws {
    deferred.append(template(of: sql).text(literals: try arguments.map(literal)))
  }

  /// Sends the kept statements, then `last`, in one round trip; nothing when there is
  /// neither. A lost race for an event's `seq` (its primary key) is
  /// `LedgerError.concurrentAppend`, as when the `INSERT` runs on its own.
  func sendDeferred(then last: String? = nil) throws {
    guard !deferred.isEmpty || last != nil else { return }
    let batch = (deferred + (last.map { [$0] } ?? [])).joined(separator: ";\n")
    deferred.removeAll()
    do {
      try execute(batch, heartbeat: nil)
    } catch let error as PostgresError where error.isPrimaryKeyViolation {
      guard case .statementFailed(_, _, _, let detail?, _, _, _) = error,
        detail.hasPrefix("Key (seq)=(")
      else { throw error }
      let seq = Int64(detail.dropFirst("Key (seq)=(".count).prefix { $0.isNumber }) ?? 0
      throw LedgerError.concurrentAppend(database: location, seq: seq)
    }
  }

  /// `value` as an SQL literal: `NULL`, or a quoted string the server reads as the
  /// column's type, as it reads a text parameter.
  private func literal(_ value: SQLValue) throws -> String {
    guard let text = value.postgresText else { return "NULL" }
    let utf8 = Array(text.utf8)
    guard let escaped = PQescapeLiteral(handle, utf8.map { CChar(bitPattern: $0) }, utf8.count)
    else {
      throw PostgresError.connectionLost(server: location, message: Self.lastMessage(handle))
    }
    defer { PQfreemem(escaped) }
    return String(cString: escaped)
  }
}
