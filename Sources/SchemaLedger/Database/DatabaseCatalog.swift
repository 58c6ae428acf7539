/// How a database describes its own objects: the one place that reads an engine's system
/// tables (SQLite's `sqlite_master` and `pragma_table_info`), so that recognising a ledger,
/// checking its append-only guards, the schema fingerprint, reconstruction and the
/// importers stay the same on every engine.
public protocol DatabaseCatalog {
  /// The tables, indexes, views and triggers of the main schema that `filter` selects,
  /// ordered by name. The engine's internal objects (SQLite's `sqlite_*`, its automatic
  /// indexes) are never listed.
  func catalogObjects(_ filter: CatalogFilter) throws -> [CatalogObject]

  /// The column names of `table`, in order; none when there is no such table.
  func columnNames(of table: String) throws -> [String]
}

/// Which objects `DatabaseCatalog.catalogObjects(_:)` lists.
public enum CatalogFilter: Sendable, Equatable {
  /// Only those whose name starts with the prefix (the ledger's own objects).
  case named(prefix: String)
  /// All but those whose name starts with the prefix (the application's schema).
  case notNamed(prefix: String)

  /// The prefix, as a `LIKE` pattern (with `ESCAPE '\'`) matching the names that start
  /// with it: its `%`, `_` and `\` escaped.
  package var likePattern: String {
    let prefix: String
    switch self {
    case .named(let text), .notNamed(let text): prefix = text
    }
    var pattern = ""
    for character in prefix {
      if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
      pattern.append(character)
    }
    return pattern + "%"
  }

  /// `true` for `.named`: the names that match are wanted.
  package var wantsMatches: Bool {
    if case .named = self { return true }
    return false
  }
}

/// One object of a database's schema, as its catalog describes it.
public struct CatalogObject: Sendable, Equatable {
  /// `table`, `index`, `view` or `trigger`.
  public var type: String
  /// Its name.
  public var name: String
  /// The table an index or trigger belongs to (a table's or view's own name otherwise).
  public var table: String
  /// The statement that creates it, as the engine states it.
  public var definition: String

  /// An object of `type` named `name` on `table`, created by `definition`.
  public init(type: String, name: String, table: String, definition: String) {
    self.type = type
    self.name = name
    self.table = table
    self.definition = definition
  }

  /// The object a catalog query's row describes: type, name, table, definition.
  package init(row: any SQLRow) {
    self.init(
      type: row.text(0) ?? "", name: row.text(1) ?? "", table: row.text(2) ?? "",
      definition: row.text(3) ?? "")
  }
}
