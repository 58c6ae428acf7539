/// Reads version, name and id out of migration file and folder names.
enum MigrationFileName {
  /// What a directory entry is, judged by its name.
  enum Kind: Equatable {
    /// `VERSION_name.sql`: one file with its sections.
    case single
    /// `VERSION_name.up.sql` (golang-migrate / sqlx).
    case up
    /// `VERSION_name.down.sql` (golang-migrate / sqlx).
    case down
  }

  /// Identity and kind of a `.sql` file name, or `nil` when it is not a migration name.
  static func parse(file name: String) -> (MigrationFileParser.Identity, Kind)? {
    guard name.hasSuffix(".sql") else { return nil }
    var stem = String(name.dropLast(4))
    var kind = Kind.single
    if stem.hasSuffix(".up") {
      kind = .up
      stem.removeLast(3)
    } else if stem.hasSuffix(".down") {
      kind = .down
      stem.removeLast(5)
    }
    guard let identity = identity(ofStem: stem, allowDashes: false) else { return nil }
    return (identity, kind)
  }

  /// Identity of a single `.sql` file name (in-memory sources), ignoring up/down suffixes.
  static func identity(ofFile name: String) -> MigrationFileParser.Identity? {
    parse(file: name).map(\.0)
  }

  /// Identity of a diesel folder name (`2024-03-13-170000_create_users`).
  static func identity(ofFolder name: String) -> MigrationFileParser.Identity? {
    identity(ofStem: name, allowDashes: true)
  }

  /// `VERSION_name` where VERSION is digits (dashes allowed for diesel folders).
  /// Returns a version of `-1` when the digits do not fit in 64 bits.
  private static func identity(
    ofStem stem: String, allowDashes: Bool
  ) -> MigrationFileParser.Identity? {
    guard let underscore = stem.firstIndex(of: "_") else { return nil }
    let versionText = stem[..<underscore]
    let name = String(stem[stem.index(after: underscore)...])
    guard let first = versionText.first, first.isASCII, first.isNumber, !name.isEmpty else {
      return nil
    }
    guard
      versionText.allSatisfy({ ($0.isASCII && $0.isNumber) || (allowDashes && $0 == "-") })
    else { return nil }
    let digits = versionText.filter { $0 != "-" }
    let version = Int64(digits) ?? -1
    return MigrationFileParser.Identity(id: stem, version: version, name: name)
  }
}
