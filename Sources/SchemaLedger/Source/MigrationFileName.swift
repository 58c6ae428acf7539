/// Reads version, name and id out of migration file and folder names, by the rules of each
/// layout (`MigrationLayout`). Pure: names in, identities out.
enum MigrationFileName {
  /// What a `.sql` file name says it is.
  enum Kind: Equatable {
    /// `VERSION_name.sql`: one file with its sections.
    case single
    /// `VERSION_name.up.sql` (golang-migrate, sqlx, version-prefixed pairs).
    case up
    /// `VERSION_name.down.sql`.
    case down
    /// `R__name.sql`: a repeatable migration (Flyway's prefix, also SchemaLedger's own).
    case repeatable
    /// Flyway's `V1.2__name.sql`.
    case flywayVersioned
    /// Flyway's `U1.2__name.sql`: the undo script of that version.
    case flywayUndo
  }

  /// A file or folder name matched to a kind.
  enum Match: Equatable {
    /// The name is a migration's, with this identity.
    case migration(MigrationFileParser.Identity, Kind)
    /// The name has the shape of a migration, but its version does not fit in 64 bits.
    case versionTooLong
    /// The name has the shape of a Flyway migration, but its version is malformed
    /// (`V1..2__x.sql`); the text says so, for the error.
    case malformed(String)
  }

  // MARK: - Files

  /// Identity and kind of a `.sql` file name, or `nil` when it is not a migration name of
  /// any layout. Flyway's names (`V1__x`, `U1__x`, `R__x`: two underscores) are tried
  /// first; then `[V]VERSION<sep>name[.up|.down].sql` with `_`, `.` or `-` as `sep`.
  static func parse(file name: String) -> Match? {
    guard name.hasSuffix(".sql") else { return nil }
    var stem = String(name.dropLast(4))
    if let flyway = flyway(stem: stem) { return flyway }
    var kind = Kind.single
    if stem.hasSuffix(".up") {
      kind = .up
      stem.removeLast(3)
    } else if stem.hasSuffix(".down") {
      kind = .down
      stem.removeLast(5)
    }
    return versioned(stem: stem, prefixes: ["V"], separators: ["_", ".", "-"], dashes: false)
      .map { match in
        guard case .migration(let identity, _) = match else { return match }
        return .migration(identity, kind)
      }
  }

  /// Identity of a single `.sql` file name (in-memory sources), ignoring up/down suffixes.
  static func identity(ofFile name: String) -> MigrationFileParser.Identity? {
    guard case .migration(let identity, _) = parse(file: name) else { return nil }
    return identity
  }

  /// Flyway: `V<version>__<description>`, `U<version>__<description>`, `R__<description>`.
  private static func flyway(stem: String) -> Match? {
    guard let first = stem.first, "VUR".contains(first) else { return nil }
    let afterPrefix = stem.dropFirst()
    guard let separator = firstDoubleUnderscore(in: afterPrefix) else { return nil }
    let versionText = afterPrefix[..<separator]
    let description = String(afterPrefix[separator...].dropFirst(2))
    guard !description.isEmpty else { return nil }
    if first == "R" {
      guard versionText.isEmpty else { return nil }
      if description.hasSuffix(".up") || description.hasSuffix(".down") {
        return .malformed(
          "a repeatable migration split into .up/.down files; a repeatable migration is one "
            + "file, R__name.sql, with its undo after '-- migrate:down'")
      }
      return .migration(
        MigrationFileParser.Identity(id: stem, version: .repeatable, name: description),
        .repeatable)
    }
    guard !versionText.isEmpty,
      versionText.allSatisfy({ $0 == "." || $0 == "_" || ($0.isASCII && $0.isNumber) })
    else { return nil }
    guard let parsed = MigrationVersion(versionText) else {
      let parts = versionText.split(
        omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "_" })
      guard parts.allSatisfy({ !$0.isEmpty }) else {
        return .malformed(
          "a Flyway migration whose version '\(versionText)' has an empty part (write it "
            + "as 1.2 or 1_2)")
      }
      return .versionTooLong
    }
    return .migration(
      MigrationFileParser.Identity(id: stem, version: parsed, name: description),
      first == "V" ? .flywayVersioned : .flywayUndo)
  }

  /// The index of the first `__` in `text`.
  private static func firstDoubleUnderscore(in text: Substring) -> Substring.Index? {
    var index = text.startIndex
    while index < text.endIndex {
      let next = text.index(after: index)
      if text[index] == "_", next < text.endIndex, text[next] == "_" { return index }
      index = next
    }
    return nil
  }

  // MARK: - Folders

  /// Identity of a migration folder name (`2024-03-13-170000_create_users` for diesel,
  /// `20230101000000_init` for Prisma).
  static func parse(folder name: String) -> Match? {
    versioned(stem: name, prefixes: [], separators: ["_"], dashes: true)
  }

  /// `[prefix]VERSION<sep>name` where VERSION is digits (and dashes, for diesel folders).
  private static func versioned(
    stem: String, prefixes: [Character], separators: [Character], dashes: Bool
  ) -> Match? {
    var rest = Substring(stem)
    if let first = rest.first, prefixes.contains(first) { rest = rest.dropFirst() }
    let versionText = rest.prefix { ($0.isASCII && $0.isNumber) || (dashes && $0 == "-") }
    guard let firstDigit = versionText.first, firstDigit.isNumber else { return nil }
    let afterVersion = rest[versionText.endIndex...]
    guard let separator = afterVersion.first, separators.contains(separator) else {
      return nil
    }
    let name = String(afterVersion.dropFirst())
    guard !name.isEmpty else { return nil }
    guard let version = MigrationVersion(versionText) else { return .versionTooLong }
    return .migration(
      MigrationFileParser.Identity(id: stem, version: version, name: name), .single)
  }
}
