import FoundationEssentials

/// Reading Flyway folders.
extension FolderReader {
  /// `V<version>__<description>.sql`, undo scripts `U<version>__…` as the down SQL of
  /// that version, repeatable `R__<description>.sql`; `${placeholders}` substituted in
  /// all of them.
  mutating func readFlyway(_ entries: [FolderEntry]) {
    var undos: [MigrationVersion: String] = [:]
    for entry in entries {
      if case .sqlFile(let identity, .flywayUndo) = entry.role {
        undos[identity.version] = entry.path
      }
    }
    for entry in entries {
      guard case .sqlFile(let identity, let kind) = entry.role else {
        skip(entry)
        continue
      }
      switch kind {
      case .flywayVersioned:
        wholeFile(entry.path, identity: identity, undo: undos.removeValue(forKey: identity.version))
      case .repeatable:
        wholeFile(entry.path, identity: identity)
      case .flywayUndo:
        continue
      case .single, .up, .down:
        skip(entry)
      }
    }
    for path in undos.values.sorted() { errors.append(.downWithoutUp(file: path)) }
  }
}
