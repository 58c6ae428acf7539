/// Median, minimum and maximum of a scenario's repetitions, in seconds.
struct Summary: Sendable, Equatable {
  /// Each repetition's time, in the order measured.
  let samples: [Double]

  /// The middle sample (the mean of the two middle ones for an even count).
  var median: Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// The fastest sample.
  var min: Double { samples.min() ?? 0 }

  /// The slowest sample.
  var max: Double { samples.max() ?? 0 }
}
