/// A point in the ledger to replay to.
public enum ReplayPoint: Sendable, Equatable {
  /// After the event with this `seq`.
  case seq(Int64)
  /// After the last event recorded at or before this time (`Timestamp.parse` form).
  case time(String)
}

/// The state (and optionally the schema) as it was at a point of the ledger.
public struct Replay: Sendable, Equatable {
  /// The projection stopped at the point.
  public var state: LedgerState
  /// The application schema reconstructed from the recorded SQL, when asked for.
  public var schema: SchemaSnapshot?
  /// Things the reconstruction could not reproduce (partly applied migrations).
  public var notes: [String]
}
