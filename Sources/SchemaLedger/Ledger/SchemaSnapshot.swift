/// The application's schema as a sorted, normalised list of objects: what `replay
/// --schema` prints, what `verify` compares, and what an event's schema fingerprint
/// hashes. The ledger's own objects and SQLite's internal ones are left out.
public struct SchemaSnapshot: Sendable, Equatable {
  /// One table, index, view or trigger.
  public struct Object: Sendable, Equatable, Hashable {
    /// `table`, `index`, `view` or `trigger`.
    public var type: String
    /// Its name.
    public var name: String
    /// Its `CREATE` statement with runs of whitespace (outside quotes) collapsed.
    public var sql: String
  }

  /// One difference between two snapshots, named by object.
  public enum Difference: Sendable, Equatable, CustomStringConvertible {
    /// In the live schema, not in the expected one (created outside SchemaLedger).
    case added(Object)
    /// In the expected schema, missing from the live one (dropped outside SchemaLedger).
    case missing(Object)
    /// In both, with different definitions.
    case changed(expected: Object, live: Object)

    /// `added table audit_copy`, `changed table users`, ...
    public var description: String {
      switch self {
      case .added(let object): return "added \(object.type) \(object.name): \(object.sql)"
      case .missing(let object): return "missing \(object.type) \(object.name)"
      case .changed(let expected, let live):
        return "changed \(live.type) \(live.name): expected \(expected.sql) — found \(live.sql)"
      }
    }
  }

  /// The objects, sorted by type (PostgreSQL's extensions, types, sequences and
  /// functions, then table, index, view, trigger) then name.
  public var objects: [Object]

  /// Sorts `objects` by type (extension, type, sequence, function, table, index, view,
  /// trigger) then name.
  public init(objects: [Object]) {
    func rank(_ type: String) -> Int {
      switch type {
      // PostgreSQL's, in the order they can be created in: what a table uses first.
      case "extension": return -4
      case "type": return -3
      case "sequence": return -2
      case "function": return -1
      case "table": return 0
      case "index": return 1
      case "view": return 2
      case "trigger": return 3
      default: return 4
      }
    }
    self.objects = objects.map { (rank($0.type), $0) }
      .sorted { ($0.0, $0.1.name) < ($1.0, $1.1.name) }
      .map(\.1)
  }

  /// The schema as DDL, one statement per line, stable and diffable.
  public var ddl: String {
    objects.map { $0.sql + ";" }.joined(separator: "\n") + (objects.isEmpty ? "" : "\n")
  }

  /// Lowercase hex SHA-256 of `ddl`.
  public var fingerprint: String { SHA256.hexDigest(ddl) }

  /// What differs between `self` (expected) and `live`, sorted by object.
  public func differences(from live: SchemaSnapshot) -> [Difference] {
    let expected = Dictionary(objects.map { ("\($0.type) \($0.name)", $0) }) { a, _ in a }
    let actual = Dictionary(live.objects.map { ("\($0.type) \($0.name)", $0) }) { a, _ in a }
    var result: [Difference] = []
    for object in live.objects {
      let key = "\(object.type) \(object.name)"
      if let wanted = expected[key] {
        if wanted.sql != object.sql { result.append(.changed(expected: wanted, live: object)) }
      } else {
        result.append(.added(object))
      }
    }
    for object in objects where actual["\(object.type) \(object.name)"] == nil {
      result.append(.missing(object))
    }
    return result
  }

  // MARK: - Reading

  /// Reads the application's schema from the connection's catalog: every object but the
  /// ledger's.
  static func read(from connection: any DatabaseConnection) throws -> SchemaSnapshot {
    let objects = try connection.catalogObjects(.notNamed(prefix: LedgerSchema.objectPrefix))
    return SchemaSnapshot(
      objects: objects.map {
        Object(
          type: $0.type, name: $0.name, sql: SQLScanner.collapsingWhitespace($0.definition))
      })
  }
}
