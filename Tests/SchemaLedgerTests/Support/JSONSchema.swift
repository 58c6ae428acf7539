import Foundation

/// A small schema for the tool's `--json` outputs (docs/json.md), checked against what
/// `JSONSerialization` parses: exact keys per object, a type per value.
indirect enum JSONSchema: Sendable {
  case string
  case integer
  case bool
  /// This exact string.
  case exactly(String)
  /// A migration version: a number (one part), a string of several parts (`"1.10"`), or
  /// `null` (repeatable).
  case version
  /// A UTC ISO-8601 time (`2026-11-25T08:50:12.123Z`).
  case time
  /// `{user, host, pid}`.
  case actor
  case optional(JSONSchema)
  case array(JSONSchema)
  /// An object with exactly these keys.
  case object([String: JSONSchema])
  /// Any of these.
  case oneOf([JSONSchema])

  /// The ways `value` (at `path`) differs from the schema; empty when it fits.
  func issues(_ value: Any, at path: String = "$") -> [String] {
    switch self {
    case .string: return value is String ? [] : ["\(path): not a string: \(value)"]
    case .integer: return JSONSchema.isInteger(value) ? [] : ["\(path): not an integer: \(value)"]
    case .bool: return JSONSchema.isBool(value) ? [] : ["\(path): not a boolean: \(value)"]
    case .exactly(let text):
      return value as? String == text ? [] : ["\(path): not \"\(text)\": \(value)"]
    case .version:
      if value is NSNull || JSONSchema.isInteger(value) { return [] }
      guard let text = value as? String, text.contains("."),
        text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({
          !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber)
        })
      else { return ["\(path): not a version (number, \"1.10\" or null): \(value)"] }
      return []
    case .time:
      guard let text = value as? String, JSONSchema.parseTime(text) != nil else {
        return ["\(path): not a UTC ISO-8601 time: \(value)"]
      }
      return []
    case .actor:
      return JSONSchema.object(["user": .string, "host": .string, "pid": .integer])
        .issues(value, at: path)
    case .optional(let schema):
      return value is NSNull ? [] : schema.issues(value, at: path)
    case .array(let element):
      guard let array = value as? [Any] else { return ["\(path): not an array: \(value)"] }
      return array.enumerated().flatMap { element.issues($1, at: "\(path)[\($0)]") }
    case .object(let members):
      guard let object = value as? [String: Any] else {
        return ["\(path): not an object: \(value)"]
      }
      let keys = Set(object.keys)
      let expected = Set(members.keys)
      var found: [String] = []
      if keys != expected {
        found.append(
          "\(path): keys \(keys.sorted()), expected \(expected.sorted()): "
            + "extra \(keys.subtracting(expected).sorted()), "
            + "missing \(expected.subtracting(keys).sorted())")
      }
      for (key, schema) in members.sorted(by: { $0.key < $1.key }) {
        if let member = object[key] { found += schema.issues(member, at: "\(path).\(key)") }
      }
      return found
    case .oneOf(let schemas):
      if schemas.contains(where: { $0.issues(value, at: path).isEmpty }) { return [] }
      return ["\(path): fits none of the shapes: \(value)"]
    }
  }

  /// `JSONSerialization`'s booleans are a class of their own (`true` is also the
  /// number 1 to `as?`): compare with the class it gives `true`.
  private static let booleanClass = ObjectIdentifier(
    type(of: try! JSONSerialization.jsonObject(with: Data("true".utf8), options: .fragmentsAllowed))
  )

  static func isBool(_ value: Any) -> Bool { ObjectIdentifier(type(of: value)) == booleanClass }

  static func isInteger(_ value: Any) -> Bool {
    guard !isBool(value), let number = value as? NSNumber else { return false }
    return Double(number.int64Value) == number.doubleValue
  }

  /// The time of a UTC ISO-8601 string with a `Z` (fractional seconds or not), or `nil`.
  static func parseTime(_ text: String) -> Date? {
    guard text.hasSuffix("Z") else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
  }

  /// What the vocabulary says of any key, wherever it appears in `value`: no
  /// `outside_transaction`; `transactional` a boolean (or `null`); every `_at` a UTC
  /// ISO-8601 time (or `null`); `actor` and `applied_by` actor objects (or `null`);
  /// `version` and `current_version` versions; no string that looks like an option
  /// (`--to 3`) where a value is meant (`target`).
  static func vocabularyIssues(_ value: Any, at path: String = "$") -> [String] {
    if let array = value as? [Any] {
      return array.enumerated().flatMap { vocabularyIssues($1, at: "\(path)[\($0)]") }
    }
    guard let object = value as? [String: Any] else { return [] }
    var found: [String] = []
    for (key, member) in object.sorted(by: { $0.key < $1.key }) {
      let here = "\(path).\(key)"
      switch key {
      case "outside_transaction": found.append("\(here): the other polarity of transactional")
      case "transactional": found += JSONSchema.optional(.bool).issues(member, at: here)
      case "actor", "applied_by": found += JSONSchema.optional(.actor).issues(member, at: here)
      case "version", "current_version": found += JSONSchema.version.issues(member, at: here)
      case "target" where member is String: found.append("\(here): a target as flag text")
      case _ where key.hasSuffix("_at"):
        found += JSONSchema.optional(.time).issues(member, at: here)
      default: break
      }
      found += vocabularyIssues(member, at: here)
    }
    return found
  }
}

/// `text` parsed with `JSONSerialization` as one JSON object.
func jsonObject(_ text: String) throws -> [String: Any] {
  guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
  else { throw JSONSchemaError.notAnObject(text) }
  return object
}

/// Output that is not one JSON object.
enum JSONSchemaError: Error {
  case notAnObject(String)
}
