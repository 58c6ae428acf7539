/// The tools that name migrations rather than number them in a table of their own:
/// Liquibase (changesets in changelog files), Alembic (revision ids) and Sqitch (changes).
extension HistoryImporter {
  /// Liquibase's changelog files, in the order their first changeset ran: one entry per
  /// file (`filename` without its folder and extension), applied when its last changeset
  /// ran. A changeset recorded as `FAILED` is refused, as a half-done migration is;
  /// `MARK_RAN` (marked as run without running) counts as applied, as Liquibase counts it.
  static func liquibaseEntries(_ connection: any DatabaseConnection) throws -> [ImportedEntry] {
    var order: [String] = []
    var lastRun: [String: String?] = [:]
    try connection.query(
      """
      SELECT filename, exectype, \(time("dateexecuted", connection)), id
      FROM databasechangelog ORDER BY orderexecuted, dateexecuted
      """, []
    ) { row in
      let path = row.text(0) ?? ""
      if row.text(1)?.uppercased() == "FAILED" {
        throw ImportError.dirty(
          tool: ImportedTool.liquibase.rawValue,
          version: "\(path) (changeset \(row.text(3) ?? "?"))")
      }
      let file = path.split(separator: "/").last.map(String.init) ?? path
      let name = file.split(separator: ".").dropLast().joined(separator: ".")
      let identifier = name.isEmpty ? file : name
      if lastRun[identifier] == nil { order.append(identifier) }
      lastRun[identifier] = appliedAt(row, 2, connection)
    }
    return order.map {
      ImportedEntry(version: nil, identifier: $0, appliedAt: lastRun[$0] ?? nil)
    }
  }

  /// Alembic's current revisions (one per head): each matched to the migration whose
  /// name holds the revision id, and everything up to it counts as applied.
  static func alembicEntries(_ connection: any DatabaseConnection) throws -> [ImportedEntry] {
    var entries: [ImportedEntry] = []
    try connection.query("SELECT version_num FROM alembic_version ORDER BY version_num", []) {
      guard let revision = $0.text(0), !revision.isEmpty else { return }
      var entry = ImportedEntry(version: nil, identifier: revision, appliedAt: nil)
      entry.includesEarlierVersions = true
      entries.append(entry)
    }
    return entries
  }

  /// Sqitch's deployed changes, in the order they were deployed (a reverted change is no
  /// longer in `changes`).
  static func sqitchEntries(_ connection: any DatabaseConnection, table: String) throws
    -> [ImportedEntry]
  {
    var entries: [ImportedEntry] = []
    try connection.query(
      "SELECT change, \(time("committed_at", connection)) FROM \(table) "
        + "ORDER BY committed_at, change_id", []
    ) { row in
      entries.append(
        ImportedEntry(
          version: nil, identifier: row.text(0), appliedAt: appliedAt(row, 1, connection)))
    }
    return entries
  }
}
