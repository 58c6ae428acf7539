import SchemaLedger

/// The catalog of a PostgreSQL database, from the system catalogs: the ledger's objects
/// are those of the ledger schema, the application's those of every other schema but the
/// server's own (`pg_catalog`, `information_schema`, `pg_toast`).
extension PostgresConnection {
  public func catalogObjects(_ filter: CatalogFilter) throws -> [CatalogObject] {
    let schemaCondition =
      filter.wantsMatches
      ? "n.nspname = ?1"
      : "n.nspname <> ?1 AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        + "AND n.nspname NOT LIKE 'pg\\_%'"
    let sql = Self.catalogQuery(
      schemaCondition: schemaCondition, nameCondition: filter.wantsMatches ? "LIKE" : "NOT LIKE")
    var objects: [CatalogObject] = []
    try query(sql, [.text(ledgerSchema), .text(filter.likePattern)]) {
      objects.append(CatalogObject(row: $0))
    }
    return objects
  }

  public func columnNames(of table: String) throws -> [String] {
    let name =
      PostgresStatement.ledgerObjects.contains(table)
      ? PostgresStatement.quoted(ledgerSchema) + "." + PostgresStatement.quoted(table) : table
    var names: [String] = []
    try run(
      """
      SELECT attname FROM pg_attribute
      WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
      """, [.text(name)]
    ) { names.append($0.text(0) ?? "") }
    return names
  }

  /// Tables (with their columns, defaults and constraints), indexes, views and triggers,
  /// each with a definition built from the catalogs, ordered by name.
  private static func catalogQuery(schemaCondition: String, nameCondition: String) -> String {
    """
    SELECT type, name, tbl, definition FROM (
      SELECT 'table' AS type, c.relname AS name, c.relname AS tbl,
        'CREATE TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ('
          || coalesce((SELECT string_agg(quote_ident(a.attname) || ' '
            || format_type(a.atttypid, a.atttypmod)
            || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
            || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''), ', '
            ORDER BY a.attnum)
            FROM pg_attribute a LEFT JOIN pg_attrdef d
              ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
          || coalesce((SELECT string_agg(', CONSTRAINT ' || quote_ident(k.conname) || ' '
            || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
            FROM pg_constraint k WHERE k.conrelid = c.oid), '')
          || ')' AS definition
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND \(schemaCondition)
      UNION ALL
      SELECT 'index', c.relname, t.relname, pg_get_indexdef(c.oid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE \(schemaCondition)
      UNION ALL
      SELECT 'view', c.relname, c.relname,
        'CREATE VIEW ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' AS '
          || pg_get_viewdef(c.oid)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND \(schemaCondition)
      UNION ALL
      SELECT 'trigger', g.tgname, t.relname, pg_get_triggerdef(g.oid)
      FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE NOT g.tgisinternal AND \(schemaCondition)
    ) AS objects
    WHERE name \(nameCondition) ?2 ESCAPE '\\'
    ORDER BY name, type
    """
  }
}
