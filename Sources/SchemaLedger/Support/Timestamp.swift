import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Wall-clock timestamps for events (UTC, milliseconds, ISO-8601) and a monotonic clock
/// for durations.
enum Timestamp {
  /// Now, as `2026-11-25T08:50:12.123Z`.
  static func now() -> String {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return format(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec / 1_000_000))
  }

  /// Formats a Unix time as ISO-8601 UTC with milliseconds.
  static func format(seconds: Int, milliseconds: Int) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    func pad(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
      + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
      + ".\(pad(Int32(milliseconds), 3))Z"
  }

  /// A monotonic instant in nanoseconds, for measuring durations.
  static func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }

  /// Whole milliseconds elapsed since `start` (a `monotonicNanoseconds()` value).
  static func millisecondsSince(_ start: UInt64) -> Int64 {
    Int64((monotonicNanoseconds() &- start) / 1_000_000)
  }
}
