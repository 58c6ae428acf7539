import FoundationEssentials
import Glibc
import Synchronization

/// The part of the run lock that belongs to the database file itself rather than to one
/// of its names: an exclusive `flock(2)` on the database file. Every name of the file (a
/// hard link, a symbolic link, a path through `..`) reaches the same lock, and deleting a
/// lock file beside one of the names changes nothing.
///
/// `flock` locks are independent of the POSIX (`fcntl`) locks SQLite takes on the same
/// file, with one trap: closing *any* descriptor of a file drops every POSIX lock the
/// process holds on it, SQLite's included. So a descriptor opened here is never closed: on
/// release it is unlocked and kept, per file, for the next acquisition in this process.
/// The kernel still drops the lock when the process dies, however it dies.
final class DatabaseFileLock {
  /// A file's identity: device and inode.
  private struct FileID: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  /// Unlocked descriptors kept open for reuse, per file. Never closed (see above).
  private static let spare = Mutex<[FileID: [Int32]]>([:])

  private let file: FileID
  private var descriptor: Int32

  /// Locks the database file at `path`, trying until `deadline` (polling every 25 ms, as
  /// `flock` has no timed wait); `onWait` is called when the lock is taken by someone
  /// else, then again every 10 seconds of waiting. Throws `RunLockError.timeout` (with `holder()`'s answer) or
  /// `RunLockError.unavailable`.
  init(
    path: String, timeout: Double, deadline: Date, holder: () -> String, onWait: () -> Void
  ) throws {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw RunLockError.unavailable(path: path, reason: String(cString: strerror(errno)))
    }
    file = FileID(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    descriptor = try Self.descriptor(for: file, path: path)
    var nextReport = Date()
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let failure = errno
      guard failure == EWOULDBLOCK || failure == EINTR else {
        Self.keep(descriptor, for: file)
        throw RunLockError.unavailable(
          path: path, reason: String(cString: strerror(failure)))
      }
      if Date() >= nextReport {
        onWait()
        nextReport = Date().addingTimeInterval(10)
      }
      guard Date() < deadline else {
        Self.keep(descriptor, for: file)
        throw RunLockError.timeout(
          path: path, timeoutSeconds: timeout, holder: holder())
      }
      usleep(25_000)
    }
  }

  deinit {
    release()
  }

  /// Unlocks the file; the descriptor is kept for the next acquisition.
  func release() {
    guard descriptor >= 0 else { return }
    flock(descriptor, LOCK_UN)
    Self.keep(descriptor, for: file)
    descriptor = -1
  }

  /// A spare descriptor of `file`, or a new one opened on `path` (checked to be that
  /// file: the name may have been replaced since `stat`).
  private static func descriptor(for file: FileID, path: String) throws -> Int32 {
    if let reused = spare.withLock({ $0[file]?.popLast() }) { return reused }
    let opened = open(path, O_RDONLY | O_CLOEXEC)
    guard opened >= 0 else {
      throw RunLockError.unavailable(path: path, reason: String(cString: strerror(errno)))
    }
    var status = stat()
    guard fstat(opened, &status) == 0,
      UInt64(status.st_dev) == file.device, UInt64(status.st_ino) == file.inode
    else {
      // Left open on purpose: it is another file, perhaps one SQLite holds locks on.
      throw RunLockError.unavailable(
        path: path, reason: "the file was replaced while it was being locked; try again")
    }
    return opened
  }

  private static func keep(_ descriptor: Int32, for file: FileID) {
    spare.withLock { $0[file, default: []].append(descriptor) }
  }
}
