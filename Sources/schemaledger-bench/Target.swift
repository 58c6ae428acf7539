/// A scenario's target from issue 7 (P1 to P3: the PostgreSQL benchmark issue's): a ratio
/// to its floor, an absolute time or a number of round trips to the server, and optionally
/// a peak-RSS ceiling.
struct Target: Sendable {
  /// The highest acceptable ratio of the median to the floor's median.
  var maxRatio: Double?
  /// The highest acceptable median, in seconds.
  var maxSeconds: Double?
  /// The highest acceptable peak RSS of the measured side, in MiB.
  var maxRSSMiB: Double?
  /// A reference the measured side must not be slower than (median over its median at
  /// most `ratio`): S2's one-row migrator.
  var reference: (label: String, maxRatio: Double)?
  /// The most queries the measured side may send to the server (`round_trips`, counted by
  /// `PostgresTraffic`; connection start-ups are reported apart).
  var maxRoundTrips: Int?

  /// As issue 7 writes it: `≤ 1.10× floor, RSS ≤ 24 MiB`.
  var text: String {
    var parts: [String] = []
    if let maxRatio { parts.append("≤ \(Self.trimmed(maxRatio))× floor") }
    if let maxSeconds {
      parts.append(
        maxSeconds < 1
          ? "≤ \(Self.trimmed(maxSeconds * 1000)) ms" : "≤ \(Self.trimmed(maxSeconds)) s"
      )
    }
    if let reference {
      parts.append("≤ \(Self.trimmed(reference.maxRatio))× \(reference.label)")
    }
    if let maxRoundTrips { parts.append("≤ \(maxRoundTrips) round trips") }
    if let maxRSSMiB { parts.append("RSS ≤ \(Self.trimmed(maxRSSMiB)) MiB") }
    return parts.joined(separator: ", ")
  }

  /// Whether the figures meet every part of the target.
  func isMet(
    median: Double, ratio: Double, peakRSSMiB: Double, referenceRatio: Double? = nil,
    roundTrips: Double? = nil
  ) -> Bool {
    if let maxRoundTrips, (roundTrips ?? .infinity) > Double(maxRoundTrips) { return false }
    if let maxRatio, ratio > maxRatio { return false }
    if let reference, let referenceRatio, referenceRatio > reference.maxRatio { return false }
    if let maxSeconds, median > maxSeconds { return false }
    if let maxRSSMiB, peakRSSMiB > maxRSSMiB { return false }
    return true
  }

  private static func trimmed(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
