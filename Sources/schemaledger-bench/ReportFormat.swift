import Foundation

/// The report: a table for people, JSON for tools.
enum ReportFormat {
  /// `0.42 ms`, `12.3 ms`, `1.234 s`.
  static func duration(_ seconds: Double) -> String {
    if seconds < 0.001 { return String(format: "%.3f ms", seconds * 1000) }
    if seconds < 1 { return String(format: "%.2f ms", seconds * 1000) }
    return String(format: "%.3f s", seconds)
  }

  /// The human report: settings, then one row per scenario.
  static func table(_ results: [ScenarioResult], settings: BenchSettings) -> String {
    var lines = settings.header
    lines.append("")
    let header = [
      "ID", "WHAT", "MEDIAN", "MIN", "MAX", "FLOOR", "RATIO", "PEAK RSS", "TARGET", "MET",
    ]
    let rows = results.map { result -> [String] in
      [
        result.scenario.id, result.scenario.title, duration(result.measured.median),
        duration(result.measured.min), duration(result.measured.max),
        duration(result.floor.median), String(format: "%.3f×", result.ratio),
        String(format: "%.1f MiB", result.peakRSSMiB), result.scenario.target.text,
        result.meetsTarget ? "yes" : "NO",
      ]
    }
    lines.append(contentsOf: align([header] + rows))
    let notes = results.flatMap { result -> [String] in
      var notes = result.references.sorted { $0.key < $1.key }.map { name, summary in
        "\(result.scenario.id): \(name) median \(duration(summary.median)); measured is "
          + String(
            format: "%.2f×", summary.median > 0 ? result.measured.median / summary.median : 0)
          + " of it"
      }
      if result.isNoisy {
        notes.append(
          "\(result.scenario.id): noisy (slowest run over 1.5× the fastest); ratio of the "
            + String(format: "fastest runs: %.3f×", result.ratioOfMinimums))
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
  static func json(_ results: [ScenarioResult], settings: BenchSettings) throws -> String {
    let scenarios = results.map { result -> [String: Any] in
      var row: [String: Any] = [
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
      }
      for (name, value) in result.values where name != "vmhwm_kib" {
        row[name] = value
      }
      if let hwm = result.values["vmhwm_kib"] {
        row["child_vmhwm_mib"] = MemoryUsage.mebibytes(Int(hwm))
      }
      return row
    }
    let data = try JSONSerialization.data(
      withJSONObject: ["settings": settings.json, "scenarios": scenarios],
      options: [.prettyPrinted, .sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }

  /// Pads every column to its widest cell.
  private static func align(_ rows: [[String]]) -> [String] {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      zip(row, widths).map { cell, width in
        cell + String(repeating: " ", count: width - cell.count)
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
  }
}
