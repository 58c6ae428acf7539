import FoundationEssentials

/// Reading sql-files folders: single files, pairs by version, repeatables.
extension FolderReader {
  /// Single files (dbmate, goose, up only), `.up.sql` / `.down.sql` pairs matched by
  /// version (golang-migrate and sqlx identify a migration by its version; the id and
  /// name come from the up file), and repeatable `R__name.sql` files.
  mutating func readSQLFiles(_ entries: [FolderEntry]) {
    var ups: [MigrationVersion: (FolderEntry, MigrationFileParser.Identity, Int)] = [:]
    var downs: [MigrationVersion: [String]] = [:]
    var upOrder: [MigrationVersion] = []
    for entry in entries {
      guard case .sqlFile(let identity, let kind) = entry.role else {
        skip(entry)
        continue
      }
      switch kind {
      case .single, .repeatable:
        let options = options
        capture {
          let text = try Self.readText(entry.path)
          return try Self.parseSingleFile(text, path: entry.path, identity: identity, options)
        }
      case .up:
        if let earlier = ups[identity.version] {
          errors.append(
            .duplicateVersion(version: identity.version, files: [earlier.0.path, entry.path]))
          continue
        }
        ups[identity.version] = (entry, identity, errors.count)
        upOrder.append(identity.version)
      case .down:
        downs[identity.version, default: []].append(entry.path)
      case .flywayVersioned, .flywayUndo:
        skip(entry)
      }
    }
    for version in upOrder {
      guard let (entry, identity, position) = ups[version] else { continue }
      let downPaths = downs.removeValue(forKey: version) ?? []
      if downPaths.count > 1 {
        errors.append(.duplicateVersion(version: version, files: downPaths))
        continue
      }
      let downPath = downPaths.first
      jobs.append(
        (
          position,
          {
            try MigrationFileParser.parsePair(
              identity: identity, upFile: entry.path, upText: try Self.readText(entry.path),
              downFile: downPath, downText: try downPath.map(Self.readText),
              outsideReason: nil)
          }
        ))
    }
    for path in downs.values.flatMap({ $0 }).sorted() {
      errors.append(.downWithoutUp(file: path))
    }
  }

  /// A single file: the template `schemaledger new` wrote is refused; goose `ENVSUB`
  /// blocks are substituted (the checksum stays that of the text as written).
  static func parseSingleFile(
    _ text: String, path: String, identity: MigrationFileParser.Identity,
    _ options: SourceOptions
  ) throws -> Migration {
    if text == MigrationFileCreator.template {
      throw MigrationSourceError.notWrittenYet(file: path)
    }
    let parser = MigrationFileParser(file: path, identity: identity)
    let migration = try parser.parseSingleFile(text)
    let substitution = PlaceholderSubstitution(
      file: path, values: options.placeholders, environment: options.environment)
    guard let substituted = try substitution.gooseEnvsub(text) else { return migration }
    return migration.running(
      try parser.parseSingleFile(substituted.text), placeholders: substituted.names)
  }
}
