import FoundationEssentials

/// Creates new migration files (`schemaledger new NAME`).
public enum MigrationFileCreator {
  /// How the new file's version is written.
  public enum VersionStyle: Sendable {
    /// The next number after the highest version, keeping the folder's zero padding.
    case sequential
    /// The current UTC time as `yyyymmddHHMMSS` (or the highest version + 1 if later).
    case timestamp
  }

  /// Creates `VERSION_name.sql` with empty up and down sections in `directory` (created
  /// when missing) and returns its path. `style` `nil` follows the folder's style.
  public static func create(
    name: String, in directory: String, style: VersionStyle?, now: Date = Date()
  ) throws -> String {
    let slug = slug(name)
    guard !slug.isEmpty else { throw MigrationSourceError.invalidName(name) }
    let manager = FileManager.default
    if !manager.fileExists(atPath: directory) {
      do {
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw MigrationSourceError.cannotCreate(file: directory, reason: "\(error)")
      }
    }
    // Names only: a half-written file in the folder must not stop the next one.
    let entries = ((try? manager.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { !$0.hasPrefix(".") }.map { FolderEntry(name: $0, in: directory) }
    let layout = (try? MigrationSource.detectLayout(entries)) ?? .sqlFiles
    guard layout == .sqlFiles || layout == .diesel else {
      throw MigrationSourceError.cannotCreate(
        file: directory,
        reason: "the folder is laid out for \(layout.rawValue), and 'new' writes "
          + "SchemaLedger's own VERSION_name.sql files; create the migration with that "
          + "tool's conventions (\(layout.shape))")
    }
    let existing = entries.compactMap { entry -> MigrationFileParser.Identity? in
      switch entry.role {
      case .sqlFile(let identity, _), .dieselFolder(let identity): return identity
      default: return nil
      }
    }.filter { $0.version.singleNumber != nil }
    let version = nextVersion(after: existing, style: style, now: now)
    let path = PathName.join(directory, "\(version)_\(slug).sql")
    guard manager.createFile(atPath: path, contents: Data(template.utf8)) else {
      throw MigrationSourceError.cannotCreate(file: path, reason: "the file could not be written")
    }
    return path
  }

  /// What a new file holds: empty up and down sections. A file still exactly this is
  /// refused as "not written yet".
  static let template = "-- migrate:up\n\n\n-- migrate:down\n\n"

  /// The version text of the next migration. Pure.
  static func nextVersion(
    after existing: [MigrationFileParser.Identity], style: VersionStyle?, now: Date
  ) -> String {
    let highest = existing.max { $0.version < $1.version }
    let highestText = highest.map { String($0.id.prefix { $0.isNumber }) } ?? ""
    let resolved = style ?? (highest != nil && highestText.count < 14 ? .sequential : .timestamp)
    switch resolved {
    case .sequential:
      let next = String((highest?.version.singleNumber ?? 0) + 1)
      let width = max(highestText.count, 3)
      return String(repeating: "0", count: max(0, width - next.count)) + next
    case .timestamp:
      let stamp = Timestamp.versionStamp(now)
      if let highest = highest?.version.singleNumber, let value = Int64(stamp), value <= highest {
        return String(highest + 1)
      }
      return stamp
    }
  }

  /// `Add User-Email` → `add_user_email`.
  static func slug(_ name: String) -> String {
    var result = ""
    for scalar in name.lowercased().unicodeScalars {
      if scalar.isASCII, scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        result.unicodeScalars.append(scalar)
      } else if !result.isEmpty, !result.hasSuffix("_") {
        result += "_"
      }
    }
    while result.hasSuffix("_") { result.removeLast() }
    return result
  }
}
