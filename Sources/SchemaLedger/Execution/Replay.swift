/// A point in the ledger to replay to.
public enum ReplayPoint: Sendable, Equatable {
  /// After the event with this `seq`; a `seq` past the ledger's last event is refused
  /// (`LedgerError.pastEnd`).
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
  /// `true` when no event comes after the point: the state is the current one (always,
  /// without a point; with a time, when no event was recorded after it).
  public var isAtEnd = true
}
