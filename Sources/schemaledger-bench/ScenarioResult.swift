/// The figures of one report row.
struct ScenarioResult {
  let scenario: Scenario
  /// The measured side's repetitions.
  let measured: Summary
  /// The floor's repetitions.
  let floor: Summary
  /// The highest `ru_maxrss` of the measured side over its repetitions, in KiB.
  let peakRSSKiB: Int
  /// The same for the floor.
  let floorPeakRSSKiB: Int
  /// Further comparisons (S3.process: the other floor process), by name.
  let references: [String: Summary]
  /// Medians of figures the children reported (`warm_s`), by name.
  let values: [String: Double]
  /// Seconds the scenario's setup took (not judged).
  let setupSeconds: Double

  /// The measured median over the floor median.
  var ratio: Double { floor.median > 0 ? measured.median / floor.median : 0 }

  /// The fastest measured run over the fastest floor run: the estimate least disturbed by
  /// a noisy disk (a shared machine's fsync latency varies from run to run).
  var ratioOfMinimums: Double { floor.min > 0 ? measured.min / floor.min : 0 }

  /// `true` when either side's slowest run took over 1.5× its fastest: the machine was
  /// busy, and the medians deserve a second run.
  var isNoisy: Bool {
    measured.max > 1.5 * measured.min || floor.max > 1.5 * floor.min
  }

  /// Peak RSS of the measured side, in MiB.
  var peakRSSMiB: Double { MemoryUsage.mebibytes(peakRSSKiB) }

  /// The measured median over the median of the reference `label`, or `nil`.
  func ratio(to label: String) -> Double? {
    guard let reference = references[label], reference.median > 0 else { return nil }
    return measured.median / reference.median
  }

  /// Whether issue 7's target is met.
  var meetsTarget: Bool {
    scenario.target.isMet(
      median: measured.median, ratio: ratio, peakRSSMiB: peakRSSMiB,
      referenceRatio: scenario.target.reference.flatMap { ratio(to: $0.label) },
      roundTrips: values["round_trips"])
  }
}
