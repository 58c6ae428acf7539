/// The ledger's own settings, one row per key in `schemaledger_meta`.
extension LedgerStore {
  /// Sets `key` to `value`, inserting or replacing the row, inside the caller's
  /// transaction. Written as an upsert (`ON CONFLICT ... DO UPDATE`), which SQLite and
  /// PostgreSQL both read the same way.
  func setMeta(_ key: String, to value: String) throws {
    try connection.execute(
      """
      INSERT INTO schemaledger_meta (key, value) VALUES (?, ?) \
      ON CONFLICT (key) DO UPDATE SET value = excluded.value
      """, [.text(key), .text(value)])
  }
}
