import FoundationEssentials

/// Resident-set figures of the running process, read from `/proc/self/status`.
///
/// The per-scenario peak comes from `wait4` (see `ChildProcess`); these readings are for
/// the harness itself and for cross-checking a child's own view of its peak.
enum MemoryUsage {
  /// `VmRSS`: the resident set now, in KiB (0 when unreadable).
  static func currentKiB() -> Int { field("VmRSS") }

  /// `VmHWM`: the peak resident set of this process image, in KiB (0 when unreadable).
  static func peakKiB() -> Int { field("VmHWM") }

  /// KiB as MiB.
  static func mebibytes(_ kibibytes: Int) -> Double { Double(kibibytes) / 1024 }

  private static func field(_ name: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
      return 0
    }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
      let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
      return Int(digits) ?? 0
    }
    return 0
  }
}
