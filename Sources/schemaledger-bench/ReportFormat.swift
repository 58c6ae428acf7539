import FoundationEssentials
import SchemaLedger

/// The report: a table for people, JSON for tools.
enum ReportFormat {
  /// `0.42 ms`, `12.3 ms`, `1.234 s`.
  static func duration(_ seconds: Double) -> String {
    if seconds < 0.001 { return fixed(seconds * 1000, 3) + " ms" }
    if seconds < 1 { return fixed(seconds * 1000, 2) + " ms" }
    return fixed(seconds, 3) + " s"
  }

  /// `value` rounded to `decimals` places, as `printf("%.Nf")` would print it.
  static func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled.isFinite, scaled < 1e15 else { return String(value) }
    let digits = String(Int64(scaled))
    let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
    let sign = value < 0 && scaled > 0 ? "-" : ""
    guard decimals > 0 else { return sign + padded }
    return sign + padded.dropLast(decimals) + "." + padded.suffix(decimals)
  }

  /// `1,234,567 bytes`.
  static func size(_ bytes: Double) -> String {
    count(bytes) + " bytes"
  }

  /// `1,234,567`.
  static func count(_ value: Double) -> String {
    var digits = String(Int64(value))
    var grouped = ""
    while digits.count > 3 {
      grouped = "," + digits.suffix(3) + grouped
      digits.removeLast(3)
    }
    return digits + grouped
  }

  /// The human report: settings, then one row per scenario.
  static func table(_ results: [ScenarioResult], settings: BenchSettings) -> String {
    var lines = settings.header
    lines.append("")
    // ROUND TRIPS (queries sent to the server) only when a PostgreSQL row is there.
    let showsRoundTrips = results.contains { $0.values["round_trips"] != nil }
    let header =
      ["ID", "WHAT", "MEDIAN", "MIN", "MAX", "FLOOR", "RATIO", "PEAK RSS"]
      + (showsRoundTrips ? ["ROUND TRIPS"] : []) + ["TARGET", "MET"]
    let rows = results.map { result -> [String] in
      [
        result.scenario.id, result.scenario.title, duration(result.measured.median),
        duration(result.measured.min), duration(result.measured.max),
        duration(result.floor.median), fixed(result.ratio, 3) + "×",
        fixed(result.peakRSSMiB, 1) + " MiB",
      ] + (showsRoundTrips ? [result.values["round_trips"].map { count($0) } ?? ""] : [])
        + [result.scenario.target.text, result.meetsTarget ? "yes" : "NO"]
    }
    lines.append(contentsOf: align([header] + rows))
    let notes = results.flatMap { result -> [String] in
      var notes = result.references.sorted { $0.key < $1.key }.map { name, summary in
        "\(result.scenario.id): \(name) median \(duration(summary.median)); measured is "
          + fixed(summary.median > 0 ? result.measured.median / summary.median : 0, 2)
          + "× of it"
      }
      if result.isNoisy {
        notes.append(
          "\(result.scenario.id): noisy (slowest run over 1.5× the fastest); ratio of the "
            + "fastest runs: \(fixed(result.ratioOfMinimums, 3))×")
      }
      if let bytes = result.values["db_bytes"] {
        let others = ["floor", "migrator"].compactMap { label in
          result.values[label + "_db_bytes"].map { "\(label) \(size($0))" }
        }
        notes.append(
          "\(result.scenario.id): database file after the run \(size(bytes))"
            + (others.isEmpty ? "" : " (" + others.joined(separator: ", ") + ")"))
      }
      if let queries = result.values["round_trips"] {
        let floorQueries = result.values["floor_round_trips"].map { count($0) } ?? "?"
        notes.append(
          "\(result.scenario.id): the library sent \(count(queries)) queries on "
            + "\(count(result.values["connections"] ?? 0)) connections; the floor "
            + "\(floorQueries) on \(count(result.values["floor_connections"] ?? 0))")
      }
      if let warm = result.values["warm_s"] {
        notes.append(
          "\(result.scenario.id): a second call in the same process takes \(duration(warm))")
      }
      return notes
    }
    if !notes.isEmpty {
      lines.append("")
      lines.append(contentsOf: notes)
    }
    return lines.joined(separator: "\n")
  }

  /// The JSON report: `{"settings": {...}, "scenarios": [{...}, ...]}`.
  static func json(_ results: [ScenarioResult], settings: BenchSettings) -> String {
    let scenarios = results.map { result -> JSONValue in
      var row: [String: any JSONRepresentable] = [
        "id": result.scenario.id,
        "scenario": result.scenario.scenario,
        "title": result.scenario.title,
        "floor": result.scenario.floor,
        "repetitions": result.measured.samples.count,
        "median_s": result.measured.median,
        "min_s": result.measured.min,
        "max_s": result.measured.max,
        "samples_s": result.measured.samples,
        "floor_median_s": result.floor.median,
        "floor_min_s": result.floor.min,
        "floor_max_s": result.floor.max,
        "floor_samples_s": result.floor.samples,
        "ratio": result.ratio,
        "ratio_of_minimums": result.ratioOfMinimums,
        "noisy": result.isNoisy,
        "peak_rss_mib": result.peakRSSMiB,
        "floor_peak_rss_mib": MemoryUsage.mebibytes(result.floorPeakRSSKiB),
        "target": result.scenario.target.text,
        "meets_target": result.meetsTarget,
        "setup_s": result.setupSeconds,
      ]
      for (name, summary) in result.references {
        row["\(name)_median_s"] = summary.median
        if let ratio = result.ratio(to: name) { row["\(name)_ratio"] = ratio }
      }
      for (name, value) in result.values where name != "vmhwm_kib" {
        row[name] = value
      }
      if let hwm = result.values["vmhwm_kib"] {
        row["child_vmhwm_mib"] = MemoryUsage.mebibytes(Int(hwm))
      }
      return JSONValue(row)
    }
    let report: JSONValue = ["settings": JSONValue(settings.json), "scenarios": .array(scenarios)]
    return report.encoded(pretty: true)
  }

  /// Pads every column to its widest cell.
  private static func align(_ rows: [[String]]) -> [String] {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      zip(row, widths).map { cell, width in
        cell + String(repeating: " ", count: width - cell.count)
      }.joined(separator: "  ").trimmingTrailingSpaces()
    }
  }
}

extension String {
  /// The text without the spaces `align` added after its last column.
  fileprivate func trimmingTrailingSpaces() -> String {
    var result = Substring(self)
    while result.last == " " { result.removeLast() }
    return String(result)
  }
}
