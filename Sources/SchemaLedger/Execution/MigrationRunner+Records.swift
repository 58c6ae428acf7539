import FoundationEssentials

extension MigrationRunner {
  /// Appends events that record a decision without running SQL (baseline, import,
  /// resolve, accept): under the run lock, after recording interrupted attempts, all in
  /// one transaction. `build` sees the fresh state and the run id and returns the events;
  /// it may throw to refuse before anything is written.
  func record(_ build: (LedgerState, String) throws -> [LedgerEvent]) throws -> [LedgerEvent] {
    // Refuse a ledger this build cannot use before creating the run-lock file.
    if !connection.isReadOnly { _ = try currentState() }
    return try withRunLock { runID, _ in
      let events = try build(projection.state, runID)
      guard !events.isEmpty else { return [] }
      let fingerprint = try SchemaSnapshot.read(from: connection).fingerprint
      var stamped = events
      stamped[stamped.count - 1].schemaFingerprint = fingerprint
      return try commit(stamped)
    }
  }
}
