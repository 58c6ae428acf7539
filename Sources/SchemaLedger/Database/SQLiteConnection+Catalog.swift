/// The catalog of a SQLite database: `sqlite_master` and `pragma_table_info`.
extension SQLiteConnection {
  /// Objects with a `CREATE` statement (automatic indexes have none) whose names do not
  /// start with `sqlite_` (SQLite's own), selected by `filter`, ordered by name.
  public func catalogObjects(_ filter: CatalogFilter) throws -> [CatalogObject] {
    var objects: [CatalogObject] = []
    try query(
      """
      SELECT type, name, tbl_name, sql FROM sqlite_master
      WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
        AND name \(filter.wantsMatches ? "LIKE" : "NOT LIKE") ? ESCAPE '\\'
      ORDER BY name
      """, [.text(filter.likePattern)]
    ) { objects.append(CatalogObject(row: $0)) }
    return objects
  }

  /// The column names of `table` (`pragma_table_info`), in order.
  public func columnNames(of table: String) throws -> [String] {
    var names: [String] = []
    try query("SELECT name FROM pragma_table_info(?)", [.text(table)]) {
      names.append($0.text(0) ?? "")
    }
    return names
  }
}
