import FoundationEssentials
import Glibc

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
  ///
  /// Safe when several run at once on one folder: each holds a lock on the folder while it
  /// picks a version, creates its file exclusively (`O_EXCL`, never replacing a file), and
  /// then reads the folder again; when another migration took the same version meanwhile
  /// (a writer that does not take the lock), it removes its own file and tries the next
  /// version, a bounded number of times.
  public static func create(
    name: String, in directory: String, style: VersionStyle?, now: Date = Date()
  ) throws -> String {
    try create(name: name, in: directory, style: style, now: now, beforeCreating: { _ in })
  }

  /// How many versions `create` tries before giving up.
  static let maximumAttempts = 20

  /// `create`, calling `beforeCreating` with each path just before creating it (tests use
  /// it to let a rival take the version first).
  static func create(
    name: String, in directory: String, style: VersionStyle?, now: Date,
    beforeCreating: (String) -> Void
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
    let lock = FolderLock(directory)
    defer { lock.release() }
    for attempt in 0..<maximumAttempts {
      let existing = try migrationNames(in: directory)
      let numbered = existing.filter { $0.version.singleNumber != nil }
      let version = nextVersion(after: numbered, style: style, now: now)
      let stem = "\(version)_\(slug)"
      let path = PathName.join(directory, stem + ".sql")
      beforeCreating(path)
      guard try createExclusively(path) else {
        backOff(attempt)
        continue
      }
      // Another writer may have taken this version meanwhile: keep the file only if it
      // alone has it. (Two such writers may both step back; each then tries again.)
      let taken = try migrationNames(in: directory).contains {
        $0.version == MigrationVersion(version) && $0.id != stem
      }
      guard taken else { return path }
      _ = unlink(path)
      backOff(attempt)
    }
    throw MigrationSourceError.cannotCreate(
      file: directory,
      reason: "other processes kept taking the next version (\(maximumAttempts) tries); "
        + "retry when they are done")
  }

  /// The identities of the migrations in `directory`, by their names; refuses a folder of
  /// another tool's layout. Names only: a half-written file must not stop the next one.
  private static func migrationNames(
    in directory: String
  ) throws -> [MigrationFileParser.Identity] {
    let entries = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { !$0.hasPrefix(".") }.map { FolderEntry(name: $0, in: directory) }
    let layout = (try? MigrationSource.detectLayout(entries)) ?? .sqlFiles
    guard layout == .sqlFiles || layout == .diesel else {
      throw MigrationSourceError.cannotCreate(
        file: directory,
        reason: "the folder is laid out for \(layout.rawValue), and 'new' writes "
          + "SchemaLedger's own VERSION_name.sql files; create the migration with that "
          + "tool's conventions (\(layout.shape))")
    }
    return entries.compactMap { entry -> MigrationFileParser.Identity? in
      switch entry.role {
      case .sqlFile(let identity, _), .dieselFolder(let identity): return identity
      default: return nil
      }
    }
  }

  /// Creates `path` with the template, failing rather than replacing an existing file:
  /// `false` when the file exists.
  private static func createExclusively(_ path: String) throws -> Bool {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      let failure = errno
      if failure == EEXIST { return false }
      throw MigrationSourceError.cannotCreate(
        file: path, reason: String(cString: strerror(failure)))
    }
    let bytes = Array(template.utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    let failure = errno
    close(descriptor)
    guard written == bytes.count else {
      _ = unlink(path)
      throw MigrationSourceError.cannotCreate(
        file: path, reason: written < 0 ? String(cString: strerror(failure)) : "short write")
    }
    return true
  }

  /// A short random pause that grows with `attempt`, so that two writers that stepped
  /// back together do not collide again.
  private static func backOff(_ attempt: Int) {
    usleep(UInt32.random(in: 1_000...5_000) * UInt32(attempt + 1))
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

/// An exclusive `flock(2)` on a folder, held while `new` picks a version and creates its
/// file, so that runs of `new` on one folder take turns. Best effort: where the folder
/// cannot be opened or locked within a few seconds, `new` goes on without it (its
/// exclusive create and re-check still keep versions unique). The kernel releases the
/// lock when the process ends; nothing is left in the folder.
private final class FolderLock {
  private var descriptor: Int32

  init(_ directory: String) {
    descriptor = open(directory, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    for _ in 0..<1000 {
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
      guard errno == EWOULDBLOCK || errno == EINTR else { break }
      usleep(5_000)
    }
    release()
  }

  func release() {
    guard descriptor >= 0 else { return }
    close(descriptor)
    descriptor = -1
  }

  deinit { release() }
}
