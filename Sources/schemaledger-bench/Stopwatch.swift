import Glibc

/// The benchmark's clock: `clock_gettime(CLOCK_MONOTONIC)`, in seconds.
enum Stopwatch {
  /// A monotonic instant, in nanoseconds.
  static func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
  }

  /// Seconds elapsed since `start` (a `now()` value).
  static func seconds(since start: UInt64) -> Double {
    Double(now() &- start) / 1e9
  }

  /// Runs `body` and returns its result with the seconds it took.
  static func time<T>(_ body: () throws -> T) rethrows -> (result: T, seconds: Double) {
    let start = now()
    let result = try body()
    return (result, seconds(since: start))
  }
}
