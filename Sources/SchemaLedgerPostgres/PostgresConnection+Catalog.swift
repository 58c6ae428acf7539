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

  /// The application's schema from the catalogs, one row per object with the statement
  /// that creates it, stable across runs and server restarts (no OIDs, no sequence
  /// values, no extension versions): extensions; enum and domain types; sequences;
  /// functions and procedures; tables (columns with type, collation when not the type's
  /// own, identity or generation, `NOT NULL`, default; constraints by name); indexes
  /// (not those a constraint made: the constraint names them); views and materialized
  /// views; triggers. Objects an extension made are its own, not listed. An object
  /// outside the schema `public` (and the ledger's) is named `schema.name`.
  private static func catalogQuery(schemaCondition: String, nameCondition: String) -> String {
    let qualified = { (name: String) in
      "CASE WHEN n.nspname IN ('public', ?1) THEN \(name) ELSE n.nspname || '.' || \(name) END"
    }
    let notFromExtension = { (catalog: String, oid: String) in
      """
      NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '\(catalog)'::regclass
        AND e.objid = \(oid) AND e.deptype = 'e')
      """
    }
    return """
      SELECT type, name, tbl, definition FROM (
        SELECT 'extension' AS type, x.extname AS name, x.extname AS tbl,
          'CREATE EXTENSION ' || quote_ident(x.extname) || ' SCHEMA ' || quote_ident(n.nspname)
            AS definition
        FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
        WHERE x.extname <> 'plpgsql' AND \(schemaCondition)
        UNION ALL
        SELECT 'type', \(qualified("t.typname")), t.typname,
          CASE t.typtype WHEN 'e' THEN
            'CREATE TYPE ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
              || ' AS ENUM (' || coalesce((SELECT string_agg(quote_literal(l.enumlabel), ', '
                ORDER BY l.enumsortorder) FROM pg_enum l WHERE l.enumtypid = t.oid), '') || ')'
          ELSE
            'CREATE DOMAIN ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' AS '
              || format_type(t.typbasetype, t.typtypmod)
              || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
              || coalesce(' DEFAULT ' || t.typdefault, '')
              || coalesce((SELECT string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' '
                || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
                FROM pg_constraint k WHERE k.contypid = t.oid), '')
          END
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('e', 'd') AND \(schemaCondition)
          AND \(notFromExtension("pg_type", "t.oid"))
        UNION ALL
        SELECT 'sequence', \(qualified("c.relname")), c.relname,
          'CREATE SEQUENCE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            || ' AS ' || format_type(q.seqtypid, NULL) || ' INCREMENT BY ' || q.seqincrement
            || ' MINVALUE ' || q.seqmin || ' MAXVALUE ' || q.seqmax || ' START WITH '
            || q.seqstart || ' CACHE ' || q.seqcache
            || CASE WHEN q.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END
        FROM pg_sequence q JOIN pg_class c ON c.oid = q.seqrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(schemaCondition) AND \(notFromExtension("pg_class", "c.oid"))
          -- an identity column's sequence is part of its table
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
            AND e.objid = c.oid AND e.deptype = 'i')
        UNION ALL
        SELECT 'function',
          \(qualified("p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'")),
          p.proname, pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE p.prokind IN ('f', 'p') AND \(schemaCondition)
          AND \(notFromExtension("pg_proc", "p.oid"))
        UNION ALL
        SELECT 'table', \(qualified("c.relname")), c.relname,
          'CREATE TABLE ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' ('
            || coalesce((SELECT string_agg(quote_ident(a.attname) || ' '
              || format_type(a.atttypid, a.atttypmod)
              || CASE WHEN a.attcollation <> ty.typcollation
                THEN ' COLLATE ' || quote_ident(co.collname) ELSE '' END
              || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY'
                WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END
              || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
              || CASE WHEN a.attgenerated = 's'
                THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                ELSE coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') END, ', '
              ORDER BY a.attnum)
              FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
                LEFT JOIN pg_collation co ON co.oid = a.attcollation
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
            || coalesce((SELECT string_agg(', CONSTRAINT ' || quote_ident(k.conname) || ' '
              || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
              FROM pg_constraint k WHERE k.conrelid = c.oid), '')
            || ')' AS definition
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND \(schemaCondition)
          AND \(notFromExtension("pg_class", "c.oid"))
        UNION ALL
        SELECT 'index', \(qualified("c.relname")), t.relname, pg_get_indexdef(c.oid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE \(schemaCondition) AND NOT EXISTS (SELECT 1 FROM pg_constraint k
          WHERE k.conindid = c.oid AND k.conrelid = t.oid AND k.contype IN ('p', 'u', 'x'))
          AND \(notFromExtension("pg_class", "c.oid"))
        UNION ALL
        SELECT 'view', \(qualified("c.relname")), c.relname,
          CASE c.relkind WHEN 'm' THEN 'CREATE MATERIALIZED VIEW ' ELSE 'CREATE VIEW ' END
            || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' AS '
            || regexp_replace(pg_get_viewdef(c.oid), ';\\s*$', '')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND \(schemaCondition)
          AND \(notFromExtension("pg_class", "c.oid"))
        UNION ALL
        SELECT 'trigger', \(qualified("g.tgname")), t.relname, pg_get_triggerdef(g.oid)
        FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE NOT g.tgisinternal AND \(schemaCondition)
      ) AS objects
      WHERE name \(nameCondition) ?2 ESCAPE '\\'
      ORDER BY name, type
      """
  }
}
