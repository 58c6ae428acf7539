import FoundationEssentials

/// Reading Drizzle Kit folders and their journal.
extension FolderReader {
  /// `NNNN_name.sql` files in the order of `meta/_journal.json`, up only; each journal
  /// entry needs its file and each file its entry. The version is the entry's position.
  mutating func readDrizzle(_ entries: [FolderEntry]) {
    let journalPath = PathName.join(PathName.join(directory, "meta"), "_journal.json")
    var files: [String: FolderEntry] = [:]
    for entry in entries {
      switch entry.role {
      case .drizzleMeta: ignored.append(entry.path)
      case .sqlFile(_, .single): files[entry.name] = entry
      default: skip(entry)
      }
    }
    let tags: [String]
    do {
      tags = try Self.journalTags(journalPath)
    } catch let error as MigrationSourceError {
      errors.append(error)
      return
    } catch {
      errors.append(.journal(file: journalPath, message: "\(error)"))
      return
    }
    for (position, tag) in tags.enumerated() {
      guard let entry = files.removeValue(forKey: tag + ".sql") else {
        errors.append(
          .journal(
            file: journalPath,
            message: "entry \(position) ('\(tag)') has no file \(tag).sql in the folder"))
        continue
      }
      wholeFile(
        entry.path,
        identity: MigrationFileParser.Identity(
          id: tag, version: MigrationVersion(Int64(position)),
          name: String(tag.drop { $0 != "_" }.dropFirst())))
    }
    for entry in files.values.sorted(by: { $0.name < $1.name }) {
      errors.append(
        .journal(
          file: entry.path,
          message: "not listed in meta/_journal.json, so Drizzle would never run it"))
    }
  }

  /// The `tag` of each entry of a Drizzle journal, in its order.
  static func journalTags(_ path: String) throws -> [String] {
    let text = try readText(path)
    guard let journal = try? JSONValue.decode(text), case .array(let entries)? = journal["entries"]
    else {
      throw MigrationSourceError.journal(file: path, message: "not a Drizzle journal (no entries)")
    }
    return try entries.enumerated().map { index, entry in
      guard let tag = entry["tag"]?.stringValue, !tag.isEmpty else {
        throw MigrationSourceError.journal(file: path, message: "entry \(index) has no tag")
      }
      return tag
    }
  }
}
