/// The catalog of a SQLite database: `sqlite_master` and `pragma_table_info`.
extension SQLiteConnection {
  /// Objects with a `CREATE` statement (automatic indexes have none) whose names do not
  /// start with `sqlite_` (SQLite's own), selected by `filter`, ordered by name.
  public func catalogObjects(_ filter: CatalogFilter) throws -> [CatalogObject] {
    let condition: String
    let prefix: String
    switch filter {
    case .named(let wanted):
      condition = "name LIKE ? ESCAPE '\\'"
      prefix = wanted
    case .notNamed(let unwanted):
      condition = "name NOT LIKE ? ESCAPE '\\'"
      prefix = unwanted
    }
    var objects: [CatalogObject] = []
    try query(
      """
      SELECT type, name, tbl_name, sql FROM sqlite_master
      WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND \(condition)
      ORDER BY name
      """, [.text(Self.likePattern(prefix: prefix))]
    ) { row in
      objects.append(
        CatalogObject(
          type: row.text(0) ?? "", name: row.text(1) ?? "", table: row.text(2) ?? "",
          definition: row.text(3) ?? ""))
    }
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

  /// A `LIKE` pattern matching names that start with `prefix`, its `%`, `_` and `\`
  /// escaped with `\`.
  static func likePattern(prefix: String) -> String {
    var pattern = ""
    for character in prefix {
      if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
      pattern.append(character)
    }
    return pattern + "%"
  }
}
