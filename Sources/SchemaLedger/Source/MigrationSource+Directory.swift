import FoundationEssentials

extension MigrationSource {
  /// Reads every migration in `directory`, by the rules of its layout: detected from the
  /// folder (`MigrationLayout`), or `options.layout`. Every entry is a migration, a file
  /// known to be no migration (a README, a journal), or it is reported: a `.sql` file or
  /// a folder of `.sql` files that fits no layout is an error, and so is a folder mixing
  /// layouts without `options.layout`. A name holding a control character is refused
  /// before anything else is looked at. Every file is read and checked before this
  /// returns; all problems found are thrown together.
  ///
  /// `directory` is used as given in messages (`migrations/0003_users.sql:12`).
  public init(directory: String, options: SourceOptions = SourceOptions()) throws {
    guard PathName.isDirectory(directory) else {
      throw MigrationSourceError.directoryMissing(path: directory)
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    } catch {
      throw MigrationSourceError.unreadable(file: directory, reason: "cannot list the folder")
    }
    let visible = names.filter { !$0.hasPrefix(".") }
    // Refused before anything is classified: no message may print such a name as it is.
    try Self.throwIfAny(
      visible.filter(PathName.hasControlCharacters).map {
        .controlCharacters(path: PathName.join(directory, $0))
      })
    let entries = visible.map { FolderEntry(name: $0, in: directory) }
    let layout = try options.layout ?? Self.detectLayout(entries)
    var reader = FolderReader(directory: directory, layout: layout, options: options)
    reader.read(entries)
    try Self.throwIfAny(reader.errors)
    try self.init(
      migrations: reader.migrations, layout: layout, ignoredFiles: reader.ignored,
      unknownEntries: reader.unknown)
  }

  /// The one layout the entries imply (`sql-files` for a folder with no migration yet).
  /// Files named like SQL-files migrations belong to Drizzle when `meta/_journal.json` is
  /// there. Throws `mixedLayouts` naming one entry of each of the first two layouts.
  static func detectLayout(_ entries: [FolderEntry]) throws -> MigrationLayout {
    let drizzle = entries.contains { if case .drizzleMeta = $0.role { true } else { false } }
    var found: [(layout: MigrationLayout, path: String)] = []
    for entry in entries {
      guard var layout = entry.layout else { continue }
      if drizzle, layout == .sqlFiles, case .sqlFile(_, .single) = entry.role {
        layout = .drizzle
      }
      if !found.contains(where: { $0.layout == layout }) { found.append((layout, entry.path)) }
    }
    if found.count > 1 {
      throw MigrationSourceError.mixedLayouts(
        found[0].layout, path: found[0].path, found[1].layout, otherPath: found[1].path)
    }
    return found.first?.layout ?? .sqlFiles
  }
}
