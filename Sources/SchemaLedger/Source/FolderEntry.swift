import FoundationEssentials

/// One entry of a migrations folder, classified by its name (and, for a folder, the
/// names inside it): which layout it belongs to, or what else it is. Nothing is read but
/// names.
struct FolderEntry {
  /// What the entry is.
  enum Role {
    /// A `.sql` file with a migration name (`MigrationFileName`).
    case sqlFile(MigrationFileParser.Identity, MigrationFileName.Kind)
    /// A migration file or folder name whose version does not fit in 64 bits.
    case versionTooLong
    /// A diesel folder: `VERSION_name/` with `up.sql`.
    case dieselFolder(MigrationFileParser.Identity)
    /// A Prisma folder: `NAME/` with `migration.sql`; the identity when the name starts
    /// with a version (Prisma's timestamp).
    case prismaFolder(MigrationFileParser.Identity?)
    /// Prisma's `migration_lock.toml`.
    case prismaLock
    /// Drizzle's `meta/` folder with `_journal.json`.
    case drizzleMeta
    /// A file SchemaLedger knows to skip: READMEs, `atlas.sum`, notes.
    case companion
    /// A `.sql` file, or a folder holding `.sql` files, that is no migration of any
    /// layout; `looksLike` says what it resembles.
    case unknownSQL(looksLike: String?)
    /// Anything else (a Go migration, a data file): not SQL, reported and skipped.
    case other
  }

  let name: String
  let path: String
  let role: Role

  /// Classifies the entry `name` of `directory`.
  init(name: String, in directory: String) {
    self.name = name
    path = PathName.join(directory, name)
    role =
      PathName.isDirectory(path)
      ? Self.folderRole(name, path: path) : Self.fileRole(name)
  }

  /// The layout the entry's presence implies; `nil` for entries every layout may hold
  /// (companions, repeatable migrations) and for entries of none.
  var layout: MigrationLayout? {
    switch role {
    case .sqlFile(_, let kind):
      switch kind {
      case .single, .up, .down: return .sqlFiles
      case .flywayVersioned, .flywayUndo: return .flyway
      case .repeatable: return nil
      }
    case .dieselFolder: return .diesel
    case .prismaFolder, .prismaLock: return .prisma
    case .drizzleMeta: return .drizzle
    case .versionTooLong, .companion, .unknownSQL, .other: return nil
    }
  }

  // MARK: - Files

  private static func fileRole(_ name: String) -> Role {
    switch MigrationFileName.parse(file: name) {
    case .migration(let identity, let kind)?: return .sqlFile(identity, kind)
    case .versionTooLong?: return .versionTooLong
    case .malformed(let hint)?: return .unknownSQL(looksLike: hint)
    case nil: break
    }
    let lower = name.lowercased()
    if lower == "migration_lock.toml" { return .prismaLock }
    if lower.hasSuffix(".sql") { return .unknownSQL(looksLike: resemblance(ofFile: name)) }
    if companionNames.contains(lower) || companionPrefixes.contains(where: lower.hasPrefix)
      || companionSuffixes.contains(where: lower.hasSuffix)
    {
      return .companion
    }
    return .other
  }

  private static let companionNames: Set<String> = ["atlas.sum"]
  private static let companionPrefixes = ["readme", "license", "changelog"]
  private static let companionSuffixes = [".md", ".txt", ".rst"]

  /// What a `.sql` file that is no migration looks like, to say in the error.
  private static func resemblance(ofFile name: String) -> String? {
    let stem = String(name.dropLast(4))
    if name == "migration.sql" { return "a Prisma migration.sql outside its NAME/ folder" }
    if name == "up.sql" || name == "down.sql" {
      return "a diesel \(name) outside its VERSION_name/ folder"
    }
    if let first = stem.first, "VUR".contains(first), stem.contains("_") {
      return "a Flyway migration, but Flyway names need two underscores (V1__name.sql)"
    }
    if stem.first?.isNumber == true {
      return "a migration without a name after its version (write VERSION_name.sql)"
    }
    return nil
  }

  // MARK: - Folders

  private static func folderRole(_ name: String, path: String) -> Role {
    let inside = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
    let match = MigrationFileName.parse(folder: name)
    if inside.contains("up.sql") {
      switch match {
      case .migration(let identity, _)?: return .dieselFolder(identity)
      case .versionTooLong?: return .versionTooLong
      case .malformed(let hint)?: return .unknownSQL(looksLike: hint)
      case nil: return .unknownSQL(looksLike: "a diesel folder, but its name has no version")
      }
    }
    if inside.contains("migration.sql") {
      switch match {
      case .migration(let identity, _)?: return .prismaFolder(identity)
      case .versionTooLong?: return .versionTooLong
      case .malformed(let hint)?: return .unknownSQL(looksLike: hint)
      case nil: return .prismaFolder(nil)
      }
    }
    if name == "meta", inside.contains("_journal.json") { return .drizzleMeta }
    if name == "meta", inside.contains(where: { $0.hasSuffix("_snapshot.json") }) {
      return .unknownSQL(looksLike: "Drizzle's meta folder, but it has no _journal.json")
    }
    guard inside.contains(where: { $0.lowercased().hasSuffix(".sql") }) else { return .other }
    if inside.contains("down.sql") {
      return .unknownSQL(looksLike: "a diesel folder, but it has down.sql and no up.sql")
    }
    if match != nil {
      return .unknownSQL(
        looksLike: "a Prisma or diesel migration folder, but it has no migration.sql "
          + "(Prisma) or up.sql (diesel)")
    }
    return .unknownSQL(looksLike: "a folder of SQL files, but not a migration folder")
  }
}
