/// Migrations registered in Swift code, one after the other, as GRDB's `DatabaseMigrator`
/// users write them: for apps that keep their SQL in string literals.
///
/// ```swift
/// var migrations = MigrationList()
/// migrations.register("create_users", up: "CREATE TABLE users (id INTEGER PRIMARY KEY);",
///                     down: "DROP TABLE users;")
/// migrations.register("add_email", up: "ALTER TABLE users ADD COLUMN email TEXT;")
/// try SchemaMigrator(database: .path(path), migrations: .source(migrations.source())).migrate()
/// ```
///
/// Order: registration order; a migration's version is its position (1, 2, ...), its id
/// the name given. Only ever add at the end: a migration registered before others that
/// already ran is older than the newest applied one and is refused as out of order. The
/// checksum is the SHA-256 of the up SQL (line endings normalised), as for a file, so
/// editing an applied migration's SQL is drift.
public struct MigrationList: Sendable {
  private var entries: [(id: String, up: String, down: String?, transactional: Bool)] = []

  /// An empty list.
  public init() {}

  /// Registers the next migration: `up` runs to apply it, `down` (when given) to roll it
  /// back; `transactional: false` runs `up` outside SchemaLedger's transaction.
  public mutating func register(
    _ id: String, transactional: Bool = true, up: String, down: String? = nil
  ) {
    entries.append((id, up, down, transactional))
  }

  /// The migrations as a source, validated like a folder. Throws `MigrationSourceError`
  /// for an empty or repeated id, invalid text, or `-- depends:` that do not resolve.
  public func source() throws -> MigrationSource {
    var migrations: [Migration] = []
    var errors: [MigrationSourceError] = []
    var seen = Set<String>()
    for (index, entry) in entries.enumerated() {
      let name = "registered migration \(index + 1) ('\(entry.id)')"
      guard !entry.id.isEmpty, !entry.id.contains(where: \.isNewline),
        seen.insert(entry.id).inserted
      else {
        errors.append(
          .badDirective(
            file: name, line: 1,
            message: "each migration needs its own non-empty, single-line id"))
        continue
      }
      do {
        migrations.append(
          try MigrationFileParser.parsePair(
            identity: MigrationFileParser.Identity(
              id: entry.id, version: MigrationVersion(Int64(index + 1)), name: entry.id),
            upFile: name, upText: try SourceText.decode(Array(entry.up.utf8), file: name),
            downFile: entry.down == nil ? nil : name,
            downText: try entry.down.map { try SourceText.decode(Array($0.utf8), file: name) },
            outsideReason: entry.transactional ? nil : "registered with transactional: false"))
      } catch let error as MigrationSourceError {
        errors.append(error)
      }
    }
    try MigrationSource.throwIfAny(errors)
    return try MigrationSource(migrations: migrations)
  }
}
