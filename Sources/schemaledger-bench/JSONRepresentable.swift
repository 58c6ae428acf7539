import SchemaLedger

/// Values the JSON report is built from, turned into the library's `JSONValue`.
protocol JSONRepresentable {
  var jsonValue: JSONValue { get }
}

extension JSONValue {
  /// An object from a dictionary of report values.
  init(_ members: [String: any JSONRepresentable]) {
    self = .object(members.mapValues(\.jsonValue))
  }
}

extension String: JSONRepresentable { var jsonValue: JSONValue { .string(self) } }
extension Bool: JSONRepresentable { var jsonValue: JSONValue { .bool(self) } }
extension Int: JSONRepresentable { var jsonValue: JSONValue { .integer(Int64(self)) } }
extension Double: JSONRepresentable { var jsonValue: JSONValue { .number(self) } }

extension Array: JSONRepresentable where Element: JSONRepresentable {
  var jsonValue: JSONValue { .array(map(\.jsonValue)) }
}

extension Dictionary: JSONRepresentable where Key == String, Value: JSONRepresentable {
  var jsonValue: JSONValue { .object(mapValues(\.jsonValue)) }
}

extension JSONValue: JSONRepresentable { var jsonValue: JSONValue { self } }
