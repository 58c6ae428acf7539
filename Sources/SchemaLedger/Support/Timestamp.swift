import FoundationEssentials
import Glibc

/// Wall-clock timestamps for events (UTC, milliseconds, ISO-8601) and a monotonic clock
/// for durations.
package enum Timestamp {
  /// Now, as `2026-11-25T08:50:12.123Z`.
  package static func now() -> String {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return format(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec / 1_000_000))
  }

  /// Formats a Unix time as ISO-8601 UTC with milliseconds. Written digit by digit: every
  /// event gets one.
  static func format(seconds: Int, milliseconds: Int) -> String {
    var time = time_t(seconds)
    var parts = tm()
    gmtime_r(&time, &parts)
    var bytes = [UInt8](repeating: 0, count: 24)
    func put(_ value: Int32, _ width: Int, at offset: Int) {
      var rest = value
      for index in stride(from: offset + width - 1, through: offset, by: -1) {
        bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      }
    }
    put(parts.tm_year + 1900, 4, at: 0)
    put(parts.tm_mon + 1, 2, at: 5)
    put(parts.tm_mday, 2, at: 8)
    put(parts.tm_hour, 2, at: 11)
    put(parts.tm_min, 2, at: 14)
    put(parts.tm_sec, 2, at: 17)
    put(Int32(milliseconds), 3, at: 20)
    for (offset, separator) in [
      (4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z"),
    ] {
      bytes[offset] = UInt8(ascii: Unicode.Scalar(separator)!)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Formats milliseconds since the Unix epoch (JavaScript's `Date.now()`, how Prisma and
  /// Drizzle store times on SQLite) in the ledger's form, or `nil` outside the years 1 to
  /// 9999 that form can hold. A time before 1970 is counted back from it, as JavaScript's
  /// `Date` does (-1 is `1969-12-31T23:59:59.999Z`).
  static func format(millisecondsSinceEpoch milliseconds: Int64) -> String? {
    guard (-62_135_596_800_000...253_402_300_799_999).contains(milliseconds) else { return nil }
    let (seconds, remainder) = milliseconds.quotientAndRemainder(dividingBy: 1000)
    return remainder < 0
      ? format(seconds: Int(seconds) - 1, milliseconds: Int(remainder) + 1000)
      : format(seconds: Int(seconds), milliseconds: Int(remainder))
  }

  /// `now` in UTC as `yyyyMMddHHmmss` (`20261125085012`), the version of a new
  /// timestamped migration.
  static func versionStamp(_ now: Date) -> String {
    let ledgerForm = format(seconds: Int(now.timeIntervalSince1970.rounded(.down)), milliseconds: 0)
    return String(ledgerForm.prefix(19).filter(\.isNumber))
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

  /// Parses a user-given time into the ledger's form (`2026-11-25T08:50:12.123Z`), or
  /// `nil` when it is not one. Accepts a date (`2026-11-25`, midnight UTC), a date and
  /// time with `T` or a space, minutes or seconds, optional fraction, and `Z` or an offset
  /// (`+02:00`); without a zone the time is UTC. Only real times are accepted: the day
  /// exists in its month (leap years by the Gregorian rule), hours 00–23, minutes and
  /// seconds 00–59, offsets up to 14 hours with minutes 00–59, and the time in UTC falls in
  /// the years 0000–9999.
  package static func parse(_ text: String) -> String? {
    let bytes = Array(text.trimmedWhitespace.utf8)
    var index = 0
    func number(_ digits: Int) -> Int? {
      guard index + digits <= bytes.count else { return nil }
      var value = 0
      for byte in bytes[index..<index + digits] {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        value = value * 10 + Int(byte - 0x30)
      }
      index += digits
      return value
    }
    func expect(_ character: UInt8) -> Bool {
      guard index < bytes.count, bytes[index] == character else { return false }
      index += 1
      return true
    }
    guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D),
      let day = number(2), (1...12).contains(month),
      (1...daysIn(month: month, year: year)).contains(day)
    else { return nil }
    var hour = 0
    var minute = 0
    var second = 0
    var millisecond = 0
    var offsetSeconds = 0
    if index < bytes.count {
      guard expect(0x54) || expect(0x20) || expect(0x74), let h = number(2), expect(0x3A),
        let m = number(2), h < 24, m < 60
      else { return nil }
      hour = h
      minute = m
      if expect(0x3A) {
        guard let s = number(2), s < 60 else { return nil }
        second = s
        if expect(0x2E) {
          var digits = 0
          var fraction = 0
          while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            if digits < 3 { fraction = fraction * 10 + Int(bytes[index] - 0x30) }
            digits += 1
            index += 1
          }
          guard digits > 0 else { return nil }
          for _ in digits..<max(digits, 3) { fraction *= 10 }
          millisecond = fraction
        }
      }
      if expect(0x5A) || expect(0x7A) {
      } else if index < bytes.count {
        let sign = bytes[index] == 0x2D ? -1 : 1
        guard expect(0x2B) || expect(0x2D), let oh = number(2), oh <= 14 else { return nil }
        _ = expect(0x3A)
        guard let om = number(2), om < 60 else { return nil }
        offsetSeconds = sign * (oh * 3600 + om * 60)
      }
    }
    guard index == bytes.count else { return nil }
    var parts = tm()
    parts.tm_year = Int32(year - 1900)
    parts.tm_mon = Int32(month - 1)
    parts.tm_mday = Int32(day)
    parts.tm_hour = Int32(hour)
    parts.tm_min = Int32(minute)
    parts.tm_sec = Int32(second)
    let seconds = Int(timegm(&parts)) - offsetSeconds
    // 0000-01-01T00:00:00Z ... 9999-12-31T23:59:59Z: what the ledger's form can write.
    guard (-62_167_219_200...253_402_300_799).contains(seconds) else { return nil }
    return format(seconds: seconds, milliseconds: millisecond)
  }

  /// The number of days of `month` (1–12) in `year`, by the Gregorian calendar.
  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2:
      let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
      return leap ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
