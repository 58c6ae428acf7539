import FoundationEssentials

/// Why the migration source could not be read. Every case names the file (and line where
/// there is one) and its description says what to do. Nothing is applied while the
/// source has an error.
public enum MigrationSourceError: Error, Sendable, Equatable {
  /// The migrations folder does not exist or is not a folder.
  case directoryMissing(path: String)
  /// A file or folder could not be read.
  case unreadable(file: String, reason: String)
  /// A file is not valid UTF-8.
  case invalidUTF8(file: String, line: Int)
  /// A file holds a NUL byte, which would end its SQL there.
  case nulByte(file: String, line: Int)
  /// The name of an entry of the folder (or of an in-memory file) holds a control
  /// character.
  case controlCharacters(path: String)
  /// Two migrations have the same version.
  case duplicateVersion(version: MigrationVersion, files: [String])
  /// Two migrations have the same version, and the ledger says which one was applied.
  case duplicateVersionApplied(version: MigrationVersion, files: [String], applied: String)
  /// The file is still exactly the template `schemaledger new` wrote.
  case notWrittenYet(file: String)
  /// An entry of the folder is no migration of the layout in use, nor a known companion
  /// file; `looksLike` says what it resembles, when anything.
  case unplaceable(path: String, layout: MigrationLayout, looksLike: String?)
  /// The folder holds migrations of two layouts; one path of each.
  case mixedLayouts(MigrationLayout, path: String, MigrationLayout, otherPath: String)
  /// Prisma's `migration_lock.toml` names a provider other than SQLite.
  case unsupportedProvider(file: String, provider: String, engine: DatabaseEngine = .sqlite)
  /// Drizzle's `meta/_journal.json` is unreadable, or it and the files disagree.
  case journal(file: String, message: String)
  /// A `${name}` placeholder has no value.
  case missingPlaceholder(file: String, line: Int, name: String)
  /// A comment looks like a section marker but is not one.
  case misspeltMarker(file: String, line: Int, text: String, expected: String)
  /// A section marker appears twice.
  case duplicateMarker(file: String, line: Int, marker: String)
  /// SQL appears before the up marker.
  case sqlBeforeUpMarker(file: String, line: Int)
  /// A down section or down file without an up section or up file.
  case downWithoutUp(file: String)
  /// The down marker comes before the up marker.
  case markerOutOfOrder(file: String, line: Int)
  /// A file mixes dbmate and goose markers.
  case mixedMarkerStyles(file: String, line: Int)
  /// The version has more digits than fit in a 64-bit integer.
  case versionTooLong(file: String)
  /// A directive is malformed or not at the top of its section.
  case badDirective(file: String, line: Int, message: String)
  /// `new` was given a name that has no letters or digits.
  case invalidName(String)
  /// `new` could not create the file.
  case cannotCreate(file: String, reason: String)
  /// A `-- depends:` names no migration of the folder.
  case unknownDependency(file: String, migration: String, dependency: String)
  /// Dependencies form a cycle; `cycle` lists it in order, first id repeated at the end.
  case dependencyCycle(file: String, cycle: [String])
  /// Several errors at once, in file order.
  case several([MigrationSourceError])
}

extension MigrationSourceError: MessageBacked {
  /// The message, with its advice worded for each reader (`MessageBacked`).
  package var message: ErrorMessage {
    let nothing = "Nothing was applied"
    switch self {
    case .directoryMissing(let path):
      let directory = FileManager.default.currentDirectoryPath
      let absolute =
        path.hasPrefix("/")
        ? ""
        : " (\(PathName.join(directory, path)), in the current directory \(directory))"
      return ErrorMessage(
        "Migrations folder '\(path)'\(absolute) does not exist. ",
        action: "Create it ('schemaledger new NAME' does) or point \(Remedy.migrations) at it.")
    case .unreadable(let file, let reason):
      return ErrorMessage(
        "\(file): cannot be read (\(reason)). \(nothing); ",
        action: "fix its permissions and retry.")
    case .invalidUTF8(let file, let line):
      return ErrorMessage(
        "\(file):\(line): not valid UTF-8. \(nothing); ",
        action: "save the file as UTF-8 and retry.")
    case .nulByte(let file, let line):
      return ErrorMessage(
        "\(file):\(line): contains a NUL byte, which would end the SQL there: SQLite "
          + "would never run what follows it. \(nothing); ",
        action: "remove the NUL byte (a file saved as UTF-16, or binary data pasted in, has "
          + "them) and retry.")
    case .controlCharacters(let path):
      return ErrorMessage(
        "\(PathName.escapingControlCharacters(path)): the name holds a control "
          + "character (shown escaped, as \\n or \\u{1B}), which messages, logs and "
          + "terminals cannot show as it is. \(nothing); ",
        action: "rename it to letters, digits, '_', '-' and '.', or move it out of the "
          + "migrations folder.")
    case .duplicateVersionApplied(let version, let files, let applied):
      let others = files.filter {
        !$0.hasSuffix("/\(applied).sql") && !$0.contains("/\(applied)/")
      }
      return ErrorMessage(
        "Version \(version) is used by more than one migration: "
          + files.joined(separator: ", ") + ". The database has applied \(applied) (the "
          + "ledger says so): keep that file as it is. \(nothing); ",
        action: "give " + (others.isEmpty ? "the other one" : others.joined(separator: ", "))
          + " a new version (rename the file, e.g. with 'schemaledger new NAME' and move its "
          + "SQL).")
    case .duplicateVersion(let version, let files):
      return ErrorMessage(
        "Version \(version) is used by more than one migration: "
          + files.joined(separator: ", ") + ". \(nothing); ",
        action: "give each migration its own version (rename one file, e.g. with "
          + "'schemaledger new NAME').")
    case .notWrittenYet(let file):
      return ErrorMessage(
        "\(file): not written yet: it is still the empty template 'schemaledger new' "
          + "created. \(nothing); ",
        action: "write the migration's SQL after '-- migrate:up' (and its undo after "
          + "'-- migrate:down'), or delete the file.")
    case .unplaceable(let path, let layout, let looksLike):
      let resemblance = looksLike.map { " It looks like \($0)." } ?? ""
      return ErrorMessage(
        "\(path): not a migration of the folder's layout (\(layout.rawValue)), nor a "
          + "file SchemaLedger knows to skip.\(resemblance) \(nothing). ",
        action: "Rename it to the layout's pattern, or move it out of the migrations folder.",
        after: " Layouts SchemaLedger reads:\n" + MigrationLayout.catalogue)
    case .mixedLayouts(let layout, let path, let other, let otherPath):
      return ErrorMessage(
        "The migrations folder mixes two layouts: \(path) is \(layout.rawValue) "
          + "(\(layout.shape)) and \(otherPath) is \(other.rawValue) (\(other.shape)). "
          + "\(nothing); ",
        action: "keep one layout per folder, or say which to read with "
          + "\(Remedy.layout(layout.rawValue)); entries of the "
          + "other layout are then reported and skipped.")
    case .unsupportedProvider(let file, let provider, let engine):
      let (expected, name) =
        engine == .postgres ? ("postgresql", "PostgreSQL") : ("sqlite", "SQLite")
      return ErrorMessage(
        "\(file): the Prisma migrations were generated for provider \"\(provider)\", "
          + "not \"\(expected)\": their SQL is written for another database. \(nothing); ",
        action: "point \(Remedy.migrations) at the \(name) project's migrations folder.")
    case .journal(let file, let message):
      return ErrorMessage(
        "\(file): \(message). \(nothing); ",
        action: "make meta/_journal.json and the .sql files agree (drizzle-kit writes both: "
          + "regenerate, or restore the missing file).")
    case .missingPlaceholder(let file, let line, let name):
      return ErrorMessage(
        "\(file):\(line): the placeholder ${\(name)} has no value. \(nothing); ",
        action: "give it one with \(Remedy.placeholder(name)).")
    case .misspeltMarker(let file, let line, let text, let expected):
      return ErrorMessage(
        "\(file):\(line): '\(text)' looks like a section marker but is not one. "
          + "\(nothing); ",
        action: "write it as '\(expected)'.")
    case .duplicateMarker(let file, let line, let marker):
      return ErrorMessage(
        "\(file):\(line): '\(marker)' appears a second time. \(nothing); a file has "
          + "one up section and at most one down section.")
    case .sqlBeforeUpMarker(let file, let line):
      return ErrorMessage(
        "\(file):\(line): SQL before the up marker belongs to no section. \(nothing); ",
        action: "move it below '-- migrate:up'.")
    case .downWithoutUp(let file):
      return ErrorMessage(
        "\(file): has a down section but no up section. \(nothing); ",
        action: "add the up section (or the matching .up.sql file).")
    case .markerOutOfOrder(let file, let line):
      return ErrorMessage(
        "\(file):\(line): the down section starts before the up section. \(nothing); ",
        action: "put '-- migrate:up' (or '-- +goose Up') and its SQL first, then the down "
          + "section.")
    case .mixedMarkerStyles(let file, let line):
      return ErrorMessage(
        "\(file):\(line): mixes dbmate ('-- migrate:') and goose ('-- +goose') markers. "
          + "\(nothing); ",
        action: "use one style per file.")
    case .versionTooLong(let file):
      return ErrorMessage(
        "\(file): the version does not fit in a 64-bit integer (at most "
          + "9223372036854775807). \(nothing); ",
        action: "use a shorter version (a sequence number or a yyyymmddHHMMSS timestamp).")
    case .badDirective(let file, let line, let message):
      return ErrorMessage(
        "\(file):\(line): \(message). \(nothing); ", action: "see docs/writing-migrations.md.")
    case .invalidName(let name):
      return ErrorMessage(
        "'\(name)' cannot name a migration: ",
        action: "use letters, digits and underscores (for example add_user_email).")
    case .cannotCreate(let file, let reason):
      return ErrorMessage(
        "Cannot create \(file): \(reason). ",
        action: "Check the folder exists and is writable.")
    case .unknownDependency(let file, let migration, let dependency):
      return ErrorMessage(
        "\(file): migration \(migration) depends on '\(dependency)', which is not a "
          + "migration id or version in the folder. \(nothing); ",
        action: "fix the '-- depends:' line or add the missing migration.")
    case .dependencyCycle(let file, let cycle):
      return ErrorMessage(
        "\(file): dependencies form a cycle: " + cycle.joined(separator: " -> ")
          + ". \(nothing); ",
        action: "remove one of these '-- depends:' lines.")
    case .several(let errors):
      return ErrorMessage(
        "\(errors.count) problems in the migrations folder:\n"
          + errors.map { "  - " + $0.description }.joined(separator: "\n"))
    }
  }
}
