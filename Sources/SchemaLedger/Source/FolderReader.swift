import Dispatch
import FoundationEssentials

/// Reads the entries of one migrations folder as migrations of one layout: queues a parse
/// for each migration, collects what is skipped, and records every problem in folder
/// order. The parses run on every core (`parseFiles`).
struct FolderReader {
  let directory: String
  let layout: MigrationLayout
  let options: SourceOptions
  var migrations: [Migration] = []
  /// Every entry that is not a migration.
  var ignored: [String] = []
  /// The entries of `ignored` that SchemaLedger does not know.
  var unknown: [String] = []
  var errors: [MigrationSourceError] = []
  /// Files to read and parse, in folder order, each with the position in `errors` its
  /// problem goes to.
  var jobs: [(errorPosition: Int, parse: @Sendable () throws -> Migration)] = []

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
  mutating func skip(_ entry: FolderEntry) {
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

  // MARK: - Reading and parsing

  /// Queues a migration whose whole file is its up SQL (Prisma, Drizzle, Flyway), with
  /// an undo file as its down SQL; Flyway's placeholders are substituted.
  mutating func wholeFile(
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

  mutating func capture(_ body: @escaping @Sendable () throws -> Migration) {
    jobs.append((errors.count, body))
  }

  /// Reads and parses the queued files in parallel (reading a thousand small files is
  /// mostly system calls), then files the results in folder order: migrations in order,
  /// and each problem where the walk met its file.
  mutating func parseFiles() {
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
