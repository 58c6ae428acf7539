import FoundationEssentials

/// Reading Prisma Migrate folders.
extension FolderReader {
  /// Folders `NAME/migration.sql`, in folder-name order (Prisma's), up only; the version
  /// is the name's timestamp. `migration_lock.toml` must name the provider of the engine
  /// they will run on (`sqlite`, or `postgresql` on PostgreSQL).
  mutating func readPrisma(_ entries: [FolderEntry]) {
    var previous: (MigrationVersion, String)?
    for entry in entries {
      if case .prismaLock = entry.role {
        ignored.append(entry.path)
        checkPrismaProvider(entry.path)
        continue
      }
      guard case .prismaFolder(let identity) = entry.role else {
        skip(entry)
        continue
      }
      guard let identity else {
        errors.append(
          .unplaceable(
            path: entry.path, layout: layout,
            looksLike: "a Prisma migration folder whose name does not start with a "
              + "timestamp (Prisma names them YYYYMMDDHHMMSS_name)"))
        continue
      }
      if let (version, path) = previous, identity.version <= version {
        errors.append(
          .unplaceable(
            path: entry.path, layout: layout,
            looksLike: "a Prisma folder whose timestamp is not after that of \(path), "
              + "although Prisma runs it after by name"))
      }
      previous = (identity.version, entry.path)
      wholeFile(PathName.join(entry.path, "migration.sql"), identity: identity)
    }
  }

  /// Refuses a lock file naming another provider than the engine's.
  mutating func checkPrismaProvider(_ path: String) {
    do {
      let text = try Self.readText(path)
      for line in text.split(separator: "\n") {
        let trimmed = String(line).trimmed
        guard trimmed.hasPrefix("provider") else { continue }
        let value = trimmed.drop { $0 != "=" }.dropFirst().filter { $0 != "\"" && $0 != " " }
        let expected = options.engine == .postgres ? ["postgresql", "postgres"] : ["sqlite"]
        if !expected.contains(String(value)) {
          errors.append(
            .unsupportedProvider(file: path, provider: String(value), engine: options.engine))
        }
        return
      }
    } catch let error as MigrationSourceError {
      errors.append(error)
    } catch {
      errors.append(.unreadable(file: path, reason: "\(error)"))
    }
  }
}
