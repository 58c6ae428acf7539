import FoundationEssentials
import Glibc

/// The run lock of a database file: an exclusive `flock(2)` on the database file itself
/// (`DatabaseFileLock`: every name of the file reaches it), then on a file beside the name
/// used (`app.sqlite-schemaledger-lock`), which older SchemaLedger versions lock alone
/// and whose content is a note for waiters saying who holds the lock.
///
/// The kernel releases a `flock` when its process dies, however it dies, so a crashed
/// runner never leaves a lock someone must clear by hand.
final class FileRunLock: RunLock {
  private var descriptor: Int32
  private let fileLock: DatabaseFileLock
  private let owner: String

  /// Locks the database file at `databasePath`, then opens (creating if needed) and
  /// locks `path`, polling every 25 ms until `timeout`.
  ///
  /// `flock` has no timed wait, so a bounded wait is a non-blocking attempt in a loop.
  init(
    databasePath: String, path: String, timeout: Double, owner: String,
    onWait: (String) -> Void
  ) throws {
    self.owner = owner
    descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw RunLockError.unavailable(path: path, reason: String(cString: strerror(errno)))
    }
    let deadline = Date().addingTimeInterval(timeout)
    let noteFile = descriptor
    do {
      fileLock = try DatabaseFileLock(
        path: databasePath, timeout: timeout, deadline: deadline,
        holder: { Self.holder(of: noteFile) }, onWait: { onWait(Self.holder(of: noteFile)) })
    } catch {
      close(descriptor)
      descriptor = -1
      throw error
    }
    var announced = false
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let failure = errno
      guard failure == EWOULDBLOCK || failure == EINTR else {
        close(descriptor)
        descriptor = -1
        fileLock.release()
        throw RunLockError.unavailable(
          path: path, reason: String(cString: strerror(failure)))
      }
      if !announced {
        onWait(Self.holder(of: descriptor))
        announced = true
      }
      guard Date() < deadline else {
        let holder = Self.holder(of: descriptor)
        close(descriptor)
        descriptor = -1
        fileLock.release()
        throw RunLockError.timeout(path: path, timeoutSeconds: timeout, holder: holder)
      }
      usleep(25_000)
    }
    write(note: owner)
  }

  func annotate(_ activity: String) {
    write(note: owner + "; " + activity)
  }

  /// Replaces the note waiters read.
  private func write(note: String) {
    guard descriptor >= 0 else { return }
    let bytes = Array((note + "\n").utf8)
    _ = ftruncate(descriptor, 0)
    _ = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
  }

  deinit {
    release()
  }

  func release() {
    guard descriptor >= 0 else { return }
    _ = ftruncate(descriptor, 0)
    flock(descriptor, LOCK_UN)
    close(descriptor)
    descriptor = -1
    fileLock.release()
  }

  /// Who holds the run lock of the database at `databasePath` now (the holder's note
  /// beside it at `path`, when there is one), or `nil` when nobody does. Creates no file,
  /// waits for nothing; a lock that cannot be probed counts as free.
  static func holder(databasePath: String, path: String) -> String? {
    do {
      try DatabaseFileLock(
        path: databasePath, timeout: 0, deadline: Date(), holder: { "" }, onWait: {}
      ).release()
      return nil
    } catch RunLockError.timeout {
      let note = open(path, O_RDONLY | O_CLOEXEC)
      guard note >= 0 else { return "holder unknown (perhaps through another name of the file)" }
      defer { close(note) }
      return holder(of: note)
    } catch {
      return nil
    }
  }

  /// The note left by the current holder, or a neutral description when it has none (the
  /// holder may be using another name of the same database file).
  private static func holder(of descriptor: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 512)
    let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
    let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
    let trimmed = String(text.trimmedWhitespace)
    return trimmed.isEmpty ? "holder unknown (perhaps through another name of the file)" : trimmed
  }
}
