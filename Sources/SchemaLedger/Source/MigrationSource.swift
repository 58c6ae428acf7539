import FoundationEssentials

/// The migrations an application ships: read from a folder or given in memory, parsed
/// and validated as a whole before anything runs.
public struct MigrationSource: Sendable {
  /// The migrations, sorted by version.
  public let migrations: [Migration]
  /// Files in the folder that were not migrations and were skipped (`README.md`), or
  /// `.sql` files whose name has no version, which the operator may want to know about.
  public let ignoredFiles: [String]

  /// Validates `migrations` as a set (versions unique) and sorts them by version.
  public init(migrations: [Migration], ignoredFiles: [String] = []) throws {
    var byVersion: [Int64: [Migration]] = [:]
    for migration in migrations { byVersion[migration.version, default: []].append(migration) }
    let duplicates = byVersion.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
    let errors = duplicates.map { version, clash in
      MigrationSourceError.duplicateVersion(
        version: version, files: clash.map(\.upLocation.file).sorted())
    }
    if errors.count == 1 { throw errors[0] }
    if errors.count > 1 { throw MigrationSourceError.several(errors) }
    self.migrations = try DependencyGraph.resolve(migrations.sorted { $0.version < $1.version })
    self.ignoredFiles = ignoredFiles
  }

  /// Parses in-memory migrations: each `(fileName, contents)` as if it were a single
  /// migration file of that name (`0001_users.sql`), for apps that embed their SQL.
  public init(files: [(name: String, contents: String)]) throws {
    var migrations: [Migration] = []
    var errors: [MigrationSourceError] = []
    for (name, contents) in files {
      guard let identity = MigrationFileName.identity(ofFile: name) else {
        errors.append(
          .badDirective(
            file: name, line: 1, message: "the name must look like VERSION_name.sql"))
        continue
      }
      guard identity.version >= 0 else {
        errors.append(.versionTooLong(file: name))
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

  /// The migration with this id, or with this version when `idOrVersion` is digits.
  public func migration(_ idOrVersion: String) -> Migration? {
    if let version = Int64(idOrVersion) {
      return migrations.first { $0.version == version }
    }
    return migrations.first { $0.id == idOrVersion }
  }

  static func throwIfAny(_ errors: [MigrationSourceError]) throws {
    if errors.count == 1 { throw errors[0] }
    if errors.count > 1 { throw MigrationSourceError.several(errors) }
  }
}
