/// A migration's version: one number (`3`, `20261125093000`), or several numbers compared
/// part by part, as Flyway writes them (`1.10` comes after `1.9`). Repeatable migrations
/// have no version (`MigrationVersion.repeatable`) and sort after every versioned one.
///
/// Parts are compared numerically, so `001` and `1` are the same version, and trailing
/// zero parts do not count: `1.0` is the same version as `1`, as in Flyway.
public struct MigrationVersion: Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByIntegerLiteral
{
  /// The numbers, most significant first; empty for a repeatable migration.
  public let parts: [Int64]

  /// A version of one or more parts. Every part must be zero or more.
  public init(parts: [Int64]) {
    precondition(!parts.isEmpty && parts.allSatisfy { $0 >= 0 }, "a version has parts ≥ 0")
    self.parts = parts
  }

  /// A single-number version.
  public init(_ number: Int64) {
    self.init(parts: [number])
  }

  /// A single-number version, for literals (`migrate(to: 3)`).
  public init(integerLiteral value: Int64) {
    self.init(value)
  }

  private init(repeatable: Void) {
    parts = []
  }

  /// The "version" of a repeatable migration: none. Sorts after every versioned migration.
  public static let repeatable = MigrationVersion(repeatable: ())

  /// Parses `1`, `003`, `1.10`, `1_2` (Flyway's separators `.` and `_`) and a diesel
  /// timestamp `2024-03-13-170000` (dashes are ignored when there is a single part).
  /// `nil` when the text is not digits and separators, does not start with a digit (so
  /// `-1` is no version, not version 1), or a part does not fit in 64 bits.
  public init?(_ text: some StringProtocol) {
    guard let first = text.utf8.first, first >= 0x30, first <= 0x39 else { return nil }
    let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
      .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
    var parts: [Int64] = []
    for piece in pieces {
      let digits = pieces.count == 1 ? String(piece.filter { $0 != "-" }) : String(piece)
      guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
        let number = Int64(digits)
      else { return nil }
      parts.append(number)
    }
    guard !parts.isEmpty else { return nil }
    self.parts = parts
  }

  /// The version as events record it: `nil` for a repeatable migration.
  public var recorded: MigrationVersion? { isRepeatable ? nil : self }

  /// `true` for the repeatable migrations' non-version.
  public var isRepeatable: Bool { parts.isEmpty }

  /// The number when the version has exactly one part (how format 1 stored every version).
  public var singleNumber: Int64? { parts.count == 1 ? parts[0] : nil }

  /// The parts without trailing zero parts (`1.0` → `1`), for comparing.
  private var significantParts: ArraySlice<Int64> {
    var end = parts.count
    while end > 1, parts[end - 1] == 0 { end -= 1 }
    return parts[0..<end]
  }

  /// `1`, `1.10`; `repeatable` for a repeatable migration.
  public var description: String {
    isRepeatable ? "repeatable" : parts.map(String.init).joined(separator: ".")
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.isRepeatable == rhs.isRepeatable && lhs.significantParts == rhs.significantParts
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(isRepeatable)
    for part in significantParts { hasher.combine(part) }
  }

  public static func < (lhs: Self, rhs: Self) -> Bool {
    if lhs.isRepeatable || rhs.isRepeatable { return !lhs.isRepeatable && rhs.isRepeatable }
    let left = lhs.parts
    let right = rhs.parts
    for index in 0..<max(left.count, right.count) {
      let a = index < left.count ? left[index] : 0
      let b = index < right.count ? right[index] : 0
      if a != b { return a < b }
    }
    return false
  }
}

extension MigrationVersion {
  /// The ledger's `version_text` column: the version when it has several parts (`1.10`),
  /// which the `INTEGER` column `version` cannot hold; `nil` otherwise.
  var textForStorage: String? {
    parts.count > 1 ? description : nil
  }

  /// The version stored in the ledger's `version` and `version_text` columns, or `nil`
  /// when both are `NULL` (run events, repeatable migrations).
  init?(stored number: Int64?, text: String?) {
    if let text, let version = MigrationVersion(text) {
      self = version
    } else if let number, number >= 0 {
      self.init(number)
    } else {
      return nil
    }
  }
}

extension MigrationVersion {
  /// JSON: a number for a one-number version (as format 1 wrote it), a string (`"1.10"`)
  /// for a version of several parts, `null` for a repeatable migration.
  package var json: JSONValue {
    if isRepeatable { return .null }
    return singleNumber.map(JSONValue.integer) ?? .string(description)
  }

  /// Reads `json`'s form back; `nil` for `null` or anything else.
  package init?(json: JSONValue) {
    if let number = json.integerValue, number >= 0 {
      self.init(number)
    } else if let text = json.stringValue, let version = MigrationVersion(text) {
      self = version
    } else {
      return nil
    }
  }
}
