import Dispatch
import FoundationEssentials

/// Reads the entries of one migrations folder as migrations of one layout: queues a parse
/// for each migration, collects what is skipped, and records every problem in folder
/// order. The parses run on every core (`parseFiles`).
struct FolderReader {
  let directory: String
  let layout: MigrationLayout
  let options: SourceOptions
  private(set) var migrations: [Migration] = []
  /// Every entry that is not a migration.
  private(set) var ignored: [String] = []
  /// The entries of `ignored` that SchemaLedger does not know.
  private(set) var unknown: [String] = []
  private(set) var errors: [MigrationSourceError] = []
  /// Files to read and parse, in folder order, each with the position in `errors` its
  /// problem goes to.
  private var jobs: [(errorPosition: Int, parse: @Sendable () throws -> Migration)] = []

  init(directory: String, layout: MigrationLayout, options: SourceOptions) {
    self.directory = directory
    self.layout = layout
    self.options = options
  }

  /// Reads `entries` (sorted by name), then parses the files.
  mutating func read(_ entries: [FolderEntry]) {
    switch layout {
    case .sqlFiles: readSQLFiles(entries)
    case .diesel: readDiesel(entries)
    case .prisma: readPrisma(entries)
    case .drizzle: readDrizzle(entries)
    case .flyway: readFlyway(entries)
    }
    parseFiles()
  }

  // MARK: - Entries that are not this layout's migrations

  /// Files every layout skips, and problems every layout reports: a version too long, a
  /// `.sql` entry of no layout, an entry of another layout (skipped when the operator
  /// chose the layout; detection refuses mixed folders before this).
  private mutating func skip(_ entry: FolderEntry) {
    switch entry.role {
    case .companion:
      ignored.append(entry.path)
    case .versionTooLong:
      errors.append(.versionTooLong(file: entry.path))
    case .unknownSQL(let looksLike):
      errors.append(.unplaceable(path: entry.path, layout: layout, looksLike: looksLike))
    case .sqlFile(_, .repeatable):
      errors.append(
        .unplaceable(
          path: entry.path, layout: layout,
          looksLike: "a repeatable migration, which only sql-files and flyway folders hold"))
    case .other:
      ignored.append(entry.path)
      unknown.append(entry.path)
    case .sqlFile, .dieselFolder, .prismaFolder, .prismaLock, .drizzleMeta:
      // Another layout's entry, in a folder read as `layout` on the operator's word.
      ignored.append(entry.path)
      unknown.append(entry.path)
    }
  }

  // MARK: - sql-files

  /// Single files (dbmate, goose, up only), `.up.sql` / `.down.sql` pairs matched by
  /// version (golang-migrate and sqlx identify a migration by its version; the id and
  /// name come from the up file), and repeatable `R__name.sql` files.
  private mutating func readSQLFiles(_ entries: [FolderEntry]) {
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
  private static func parseSingleFile(
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

  // MARK: - diesel

  /// Folders `VERSION_name/` with `up.sql`, `down.sql` and `metadata.toml`.
  private mutating func readDiesel(_ entries: [FolderEntry]) {
    for entry in entries {
      guard case .dieselFolder(let identity) = entry.role else {
        skip(entry)
        continue
      }
      capture {
        let upPath = PathName.join(entry.path, "up.sql")
        let downPath = PathName.join(entry.path, "down.sql")
        let metadataPath = PathName.join(entry.path, "metadata.toml")
        let manager = FileManager.default
        let metadata =
          manager.fileExists(atPath: metadataPath) ? try Self.readText(metadataPath) : ""
        let hasDown = manager.fileExists(atPath: downPath)
        return try MigrationFileParser.parsePair(
          identity: identity, upFile: upPath, upText: try Self.readText(upPath),
          downFile: hasDown ? downPath : nil,
          downText: hasDown ? try Self.readText(downPath) : nil,
          outsideReason: Self.dieselRunsOutsideTransaction(metadata)
            ? "marked run_in_transaction = false in metadata.toml" : nil)
      }
    }
  }

  /// diesel's `metadata.toml` may say `run_in_transaction = false`.
  private static func dieselRunsOutsideTransaction(_ metadata: String) -> Bool {
    metadata.split(separator: "\n").contains { line in
      let compact = line.filter { $0 != " " && $0 != "\t" }
      return compact == "run_in_transaction=false"
    }
  }

  // MARK: - Prisma

  /// Folders `NAME/migration.sql`, in folder-name order (Prisma's), up only; the version
  /// is the name's timestamp. `migration_lock.toml` must name the `sqlite` provider.
  private mutating func readPrisma(_ entries: [FolderEntry]) {
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

  /// Refuses a lock file naming another provider than `sqlite`.
  private mutating func checkPrismaProvider(_ path: String) {
    do {
      let text = try Self.readText(path)
      for line in text.split(separator: "\n") {
        let trimmed = String(line).trimmed
        guard trimmed.hasPrefix("provider") else { continue }
        let value = trimmed.drop { $0 != "=" }.dropFirst().filter { $0 != "\"" && $0 != " " }
        if value != "sqlite" {
          errors.append(.unsupportedProvider(file: path, provider: String(value)))
        }
        return
      }
    } catch let error as MigrationSourceError {
      errors.append(error)
    } catch {
      errors.append(.unreadable(file: path, reason: "\(error)"))
    }
  }

  // MARK: - Drizzle

  /// `NNNN_name.sql` files in the order of `meta/_journal.json`, up only; each journal
  /// entry needs its file and each file its entry. The version is the entry's position.
  private mutating func readDrizzle(_ entries: [FolderEntry]) {
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
  private static func journalTags(_ path: String) throws -> [String] {
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

  // MARK: - Flyway

  /// `V<version>__<description>.sql`, undo scripts `U<version>__…` as the down SQL of
  /// that version, repeatable `R__<description>.sql`; `${placeholders}` substituted in
  /// all of them.
  private mutating func readFlyway(_ entries: [FolderEntry]) {
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

  // MARK: - Reading and parsing

  /// Queues a migration whose whole file is its up SQL (Prisma, Drizzle, Flyway), with
  /// an undo file as its down SQL; Flyway's placeholders are substituted.
  private mutating func wholeFile(
    _ path: String, identity: MigrationFileParser.Identity, undo: String? = nil
  ) {
    let substitute = layout == .flyway
    let options = options
    capture {
      let upText = try Self.readText(path)
      let downText = try undo.map(Self.readText)
      let parse = { (up: String, down: String?) in
        try MigrationFileParser.parsePair(
          identity: identity, upFile: path, upText: up, downFile: undo, downText: down,
          outsideReason: nil)
      }
      guard substitute else { return try parse(upText, downText) }
      let up = try PlaceholderSubstitution(
        file: path, values: options.placeholders, environment: [:]
      ).flyway(upText)
      let down = try undo.flatMap { undo in
        try PlaceholderSubstitution(file: undo, values: options.placeholders, environment: [:])
          .flyway(downText ?? "")
      }
      let migration = try parse(upText, downText)
      guard up != nil || down != nil else { return migration }
      return migration.running(
        try parse(up?.text ?? upText, down?.text ?? downText),
        placeholders: Array(Set((up?.names ?? []) + (down?.names ?? []))).sorted())
    }
  }

  private mutating func capture(_ body: @escaping @Sendable () throws -> Migration) {
    jobs.append((errors.count, body))
  }

  /// Reads and parses the queued files in parallel (reading a thousand small files is
  /// mostly system calls), then files the results in folder order: migrations in order,
  /// and each problem where the walk met its file.
  private mutating func parseFiles() {
    let parses = jobs.map(\.parse)
    let results = ParallelResults<Migration>(count: parses.count)
    DispatchQueue.concurrentPerform(iterations: parses.count) { index in
      results.store(Result { try parses[index]() }, at: index)
    }
    var problems: [(position: Int, error: MigrationSourceError)] = []
    for (index, result) in results.all.enumerated() {
      switch result {
      case .success(let migration): migrations.append(migration)
      case .failure(let error as MigrationSourceError):
        problems.append((jobs[index].errorPosition, error))
      case .failure(let error):
        problems.append(
          (jobs[index].errorPosition, .unreadable(file: directory, reason: "\(error)")))
      }
    }
    for problem in problems.reversed() { errors.insert(problem.error, at: problem.position) }
    jobs = []
  }

  static func readText(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      let reason = !PathName.isReadable(path) ? "permission denied" : "cannot read the file"
      throw MigrationSourceError.unreadable(file: path, reason: reason)
    }
    return try SourceText.decode([UInt8](data), file: path)
  }
}

/// One result per index, written by the iterations of `DispatchQueue.concurrentPerform`.
///
/// `@unchecked Sendable`: each index is written by exactly one iteration, and `all` is
/// read only after `concurrentPerform` has returned.
private final class ParallelResults<Value: Sendable>: @unchecked Sendable {
  private let results: UnsafeMutableBufferPointer<Result<Value, any Error>?>

  init(count: Int) {
    results = .allocate(capacity: count)
    results.initialize(repeating: nil)
  }

  deinit {
    results.deinitialize()
    results.deallocate()
  }

  func store(_ result: Result<Value, any Error>, at index: Int) {
    results[index] = result
  }

  var all: [Result<Value, any Error>] { results.map { $0! } }
}
