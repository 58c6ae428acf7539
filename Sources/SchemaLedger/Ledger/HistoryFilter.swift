/// Which events `history` returns. Every field narrows the selection; the default
/// selects every event.
public struct HistoryFilter: Sendable, Equatable {
  /// Only events of this migration id.
  public var migration: String?
  /// Only events of these kinds (any kind when empty).
  public var kinds: [EventKind] = []
  /// Only events of this run.
  public var runID: String?
  /// Only events recorded at or after this time (ISO-8601 UTC, compared as text).
  public var since: String?
  /// Only events recorded before this time (ISO-8601 UTC, compared as text).
  public var until: String?
  /// At most this many events: the most recent ones, still returned oldest first.
  public var limit: Int?
  /// Only events up to and including this `seq`.
  public var throughSeq: Int64?

  /// Every event.
  public init(
    migration: String? = nil, kinds: [EventKind] = [], runID: String? = nil,
    since: String? = nil, until: String? = nil, limit: Int? = nil, throughSeq: Int64? = nil
  ) {
    self.migration = migration
    self.kinds = kinds
    self.runID = runID
    self.since = since
    self.until = until
    self.limit = limit
    self.throughSeq = throughSeq
  }

  /// The `WHERE` clause (with `?` placeholders) and its arguments.
  var whereClause: (sql: String, arguments: [SQLValue]) {
    var conditions: [String] = []
    var arguments: [SQLValue] = []
    if let migration {
      conditions.append("migration = ?")
      arguments.append(.text(migration))
    }
    if !kinds.isEmpty {
      conditions.append("kind IN (" + kinds.map { _ in "?" }.joined(separator: ", ") + ")")
      arguments += kinds.map { .text($0.rawValue) }
    }
    if let runID {
      conditions.append("run_id = ?")
      arguments.append(.text(runID))
    }
    if let since {
      conditions.append("recorded_at >= ?")
      arguments.append(.text(since))
    }
    if let until {
      conditions.append("recorded_at < ?")
      arguments.append(.text(until))
    }
    if let throughSeq {
      conditions.append("seq <= ?")
      arguments.append(.integer(throughSeq))
    }
    return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
  }
}
