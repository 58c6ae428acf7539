import Dispatch
import FoundationEssentials

extension MigrationSource {
  /// Reads every migration in `directory`: dbmate / goose / up-only single files,
  /// golang-migrate pairs and diesel folders. Entries that are not migrations are skipped
  /// and listed in `ignoredFiles`. Every file is read and checked before this returns;
  /// all problems found are thrown together.
  ///
  /// `directory` is used as given in messages (`migrations/0003_users.sql:12`).
  public init(directory: String) throws {
    let manager = FileManager.default
    guard PathName.isDirectory(directory) else {
      throw MigrationSourceError.directoryMissing(path: directory)
    }
    let entries: [String]
    do {
      entries = try manager.contentsOfDirectory(atPath: directory).sorted()
    } catch {
      throw MigrationSourceError.unreadable(file: directory, reason: "cannot list the folder")
    }
    var reader = DirectoryReader(directory: directory)
    for entry in entries where !entry.hasPrefix(".") {
      reader.read(entry: entry)
    }
    reader.finish()
    reader.parseFiles()
    try Self.throwIfAny(reader.errors)
    try self.init(migrations: reader.migrations, ignoredFiles: reader.ignored)
  }
}

/// Accumulates migrations, ignored names and errors while walking one folder.
private struct DirectoryReader {
  let directory: String
  var migrations: [Migration] = []
  var ignored: [String] = []
  var errors: [MigrationSourceError] = []
  /// golang-migrate halves waiting for their partner, by id.
  private var ups: [String: (MigrationFileParser.Identity, String)] = [:]
  private var downs: [String: String] = [:]
  /// Files to read and parse, in folder order, each with the position in `errors` its
  /// problem goes to: they run on every core once the folder has been walked.
  private var jobs: [(errorPosition: Int, parse: @Sendable () throws -> Migration)] = []

  init(directory: String) {
    self.directory = directory
  }

  mutating func read(entry: String) {
    let path = PathName.join(directory, entry)
    if PathName.isDirectory(path) {
      readFolder(entry, path: path)
      return
    }
    guard let (identity, kind) = MigrationFileName.parse(file: entry) else {
      ignored.append(path)
      return
    }
    guard identity.version >= 0 else {
      errors.append(.versionTooLong(file: path))
      return
    }
    switch kind {
    case .single:
      capture {
        let text = try Self.readText(path)
        return try MigrationFileParser(file: path, identity: identity).parseSingleFile(text)
      }
    case .up:
      ups[identity.id] = (identity, path)
      pairIfComplete(identity.id)
    case .down:
      downs[identity.id] = path
      pairIfComplete(identity.id)
    }
  }

  /// Parses a golang-migrate pair once its up file is seen. Entries arrive sorted, so
  /// `x.down.sql` comes before `x.up.sql`: when the up file is here, its down file has
  /// been seen or does not exist.
  private mutating func pairIfComplete(_ id: String) {
    guard let (identity, upPath) = ups[id] else { return }
    let downPath = downs[id]
    ups[id] = nil
    downs[id] = nil
    capture {
      try MigrationFileParser.parsePair(
        identity: identity, upFile: upPath, upText: try Self.readText(upPath),
        downFile: downPath, downText: try downPath.map(Self.readText),
        outsideReason: nil)
    }
  }

  /// Called after the last entry: a down file whose up file never came is an error.
  mutating func finish() {
    for path in downs.values.sorted() { errors.append(.downWithoutUp(file: path)) }
    downs = [:]
  }

  private mutating func readFolder(_ entry: String, path: String) {
    guard let identity = MigrationFileName.identity(ofFolder: entry) else {
      ignored.append(path)
      return
    }
    guard identity.version >= 0 else {
      errors.append(.versionTooLong(file: path))
      return
    }
    let upPath = PathName.join(path, "up.sql")
    let downPath = PathName.join(path, "down.sql")
    let metadataPath = PathName.join(path, "metadata.toml")
    let manager = FileManager.default
    guard manager.fileExists(atPath: upPath) else {
      if manager.fileExists(atPath: downPath) {
        errors.append(.downWithoutUp(file: downPath))
      } else {
        ignored.append(path)
      }
      return
    }
    capture {
      let manager = FileManager.default
      let metadata = manager.fileExists(atPath: metadataPath) ? try Self.readText(metadataPath) : ""
      let outside = Self.dieselRunsOutsideTransaction(metadata)
      return try MigrationFileParser.parsePair(
        identity: identity, upFile: upPath, upText: try Self.readText(upPath),
        downFile: manager.fileExists(atPath: downPath) ? downPath : nil,
        downText: manager.fileExists(atPath: downPath) ? try Self.readText(downPath) : nil,
        outsideReason: outside ? "marked run_in_transaction = false in metadata.toml" : nil)
    }
  }

  /// diesel's `metadata.toml` may say `run_in_transaction = false`.
  private static func dieselRunsOutsideTransaction(_ metadata: String) -> Bool {
    metadata.split(separator: "\n").contains { line in
      let compact = line.filter { $0 != " " && $0 != "\t" }
      return compact == "run_in_transaction=false"
    }
  }

  private mutating func capture(_ body: @escaping @Sendable () throws -> Migration) {
    jobs.append((errors.count, body))
  }

  /// Reads and parses the files `capture` queued, in parallel (reading a thousand small
  /// files is mostly system calls), then files the results in folder order: migrations
  /// in order, and each problem where the walk met its file.
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

  private static func readText(_ path: String) throws -> String {
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
