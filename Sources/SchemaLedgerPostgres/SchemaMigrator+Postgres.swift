import SchemaLedger

extension SchemaMigrator.Database {
  /// A PostgreSQL database: `url` is a `postgres://` or `postgresql://` URL, or libpq's
  /// `key=value` parameters, completed by the `PG*` environment variables and service
  /// files. The ledger lives in `ledgerSchema`. A step waits at most `lockTimeout`
  /// seconds for a lock another session holds. A connection is opened for each call.
  public static func postgres(
    url: String, ledgerSchema: String = "schemaledger", runLockLease: Double = 10,
    lockTimeout: Double = 5
  ) -> Self {
    .server(
      SchemaMigrator.DatabaseServer(
        engine: .postgres, location: PostgresURL.redacted(url),
        connect: {
          try PostgresConnection(
            conninfo: url, ledgerSchema: ledgerSchema, runLockLease: runLockLease,
            lockTimeout: lockTimeout)
        },
        activeRun: {
          try? PostgresRunLock.holder(
            on: PostgresConnection(conninfo: url, ledgerSchema: ledgerSchema))
        }))
  }
}

/// Connection strings for PostgreSQL, as `DATABASE_URL` holds them.
public enum PostgresURL {
  /// The schemes read as a PostgreSQL URL.
  public static let schemes = ["postgres", "postgresql"]

  /// `true` when `text` is a PostgreSQL URL.
  public static func isPostgres(_ text: String) -> Bool {
    guard let colon = text.firstIndex(of: ":") else { return false }
    return schemes.contains(text[..<colon].lowercased())
  }

  /// `url` without its password (`postgres://app:secret@db/x` → `postgres://app@db/x`;
  /// `password=...` parameters removed), for messages: a password is never printed or
  /// recorded.
  public static func redacted(_ url: String) -> String {
    var text = url
    if let slashes = text.firstRange(of: "://"),
      let at = text[slashes.upperBound...].firstIndex(of: "@"),
      let colon = text[slashes.upperBound..<at].firstIndex(of: ":")
    {
      text.removeSubrange(colon..<at)
    }
    guard text.contains("://") else {
      // key=value parameters
      return text.split(separator: " ").filter { !$0.lowercased().hasPrefix("password=") }
        .joined(separator: " ")
    }
    guard let question = text.firstIndex(of: "?") else { return text }
    let query = text[text.index(after: question)...].split(separator: "&")
      .filter { !$0.lowercased().hasPrefix("password=") }.joined(separator: "&")
    return String(text[..<question]) + (query.isEmpty ? "" : "?" + query)
  }
}
