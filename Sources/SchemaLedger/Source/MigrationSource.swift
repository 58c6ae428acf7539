import FoundationEssentials

/// The migrations an application ships: read from a folder or given in memory, parsed
/// and validated as a whole before anything runs.
public struct MigrationSource: Sendable {
  /// The migrations, sorted by version (repeatable migrations last, by name).
  public let migrations: [Migration]
  /// The layout the migrations were read as (`sql-files` for in-memory sources).
  public let layout: MigrationLayout
  /// Entries of the folder that are not migrations and were skipped: known companions
  /// (`README.md`, `atlas.sum`, a Drizzle journal) and `unknownEntries`.
  public let ignoredFiles: [String]
  /// Entries SchemaLedger does not know (not SQL: a Go migration, a data file), skipped;
  /// the command-line tool warns about each.
  public let unknownEntries: [String]

  /// Validates `migrations` as a set (versions and ids unique) and sorts them by version,
  /// repeatable migrations last by id.
  public init(
    migrations: [Migration], layout: MigrationLayout = .sqlFiles, ignoredFiles: [String] = [],
    unknownEntries: [String] = []
  ) throws {
    var byVersion: [MigrationVersion: [Migration]] = [:]
    for migration in migrations {
      let key = migration.isRepeatable ? nil : migration.version
      if let key { byVersion[key, default: []].append(migration) }
    }
    var repeatableIDs: [String: [Migration]] = [:]
    for migration in migrations where migration.isRepeatable {
      repeatableIDs[migration.id, default: []].append(migration)
    }
    let duplicates = byVersion.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
    var errors = duplicates.map { version, clash in
      MigrationSourceError.duplicateVersion(
        version: version, files: clash.map(\.upLocation.file).sorted())
    }
    for (_, clash) in repeatableIDs.sorted(by: { $0.key < $1.key }) where clash.count > 1 {
      errors.append(
        .duplicateVersion(version: .repeatable, files: clash.map(\.upLocation.file).sorted()))
    }
    try Self.throwIfAny(errors)
    self.migrations = try DependencyGraph.resolve(
      migrations.sorted { ($0.version, $0.id) < ($1.version, $1.id) })
    self.layout = layout
    self.ignoredFiles = ignoredFiles
    self.unknownEntries = unknownEntries
  }

  /// Parses in-memory migrations: each `(fileName, contents)` as if it were a single
  /// migration file of that name (`0001_users.sql`), for apps that embed their SQL.
  public init(files: [(name: String, contents: String)]) throws {
    var migrations: [Migration] = []
    var errors: [MigrationSourceError] = []
    for (name, contents) in files {
      if PathName.hasControlCharacters(name) {
        errors.append(.controlCharacters(path: name))
        continue
      }
      if case .versionTooLong? = MigrationFileName.parse(file: name) {
        errors.append(.versionTooLong(file: name))
        continue
      }
      guard let identity = MigrationFileName.identity(ofFile: name) else {
        errors.append(
          .badDirective(
            file: name, line: 1, message: "the name must look like VERSION_name.sql"))
        continue
      }
      do {
        let text = try SourceText.decode(Array(contents.utf8), file: name)
        migrations.append(
          try MigrationFileParser(file: name, identity: identity).parseSingleFile(text))
      } catch let error as MigrationSourceError {
        errors.append(error)
      }
    }
    try Self.throwIfAny(errors)
    try self.init(migrations: migrations)
  }

  /// The migration with this id, or with this version when `idOrVersion` is a version
  /// (`3`, `1.10`).
  public func migration(_ idOrVersion: String) -> Migration? {
    if let byID = migrations.first(where: { $0.id == idOrVersion }) { return byID }
    guard let version = MigrationVersion(idOrVersion) else { return nil }
    return migrations.first { !$0.isRepeatable && $0.version == version }
  }

  static func throwIfAny(_ errors: [MigrationSourceError]) throws {
    if errors.count == 1 { throw errors[0] }
    if errors.count > 1 { throw MigrationSourceError.several(errors) }
  }
}
