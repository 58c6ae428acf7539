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
}
