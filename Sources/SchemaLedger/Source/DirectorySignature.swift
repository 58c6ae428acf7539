import Dispatch
import Glibc

/// A cheap fingerprint of a migrations folder: the name, size, modification time and inode
/// of every entry (and of the files in sub-folders), hashed. Listing and `stat`-ing costs
/// a fraction of reading and parsing every file, which is what lets the startup check
/// skip the files when nothing changed (see `SchemaMigrator.Configuration.fastStartupCheck`).
///
/// Entries are hashed in the order the directory lists them, unsorted: the signature is a
/// cache key, and a listing in another order (the folder copied elsewhere) only costs one
/// full check, after which the new signature is recorded.
enum DirectorySignature {
  /// The signature of `directory`, or `nil` when it cannot be listed.
  static func of(directory: String) -> String? {
    var hasher = SHA256()
    guard add(directory, to: &hasher, depth: 0) else { return nil }
    return SHA256.hex(hasher.finalize())
  }

  /// Starts computing the signature of `directory` on another thread, so that it overlaps
  /// with opening the database (where SQLite parses the whole schema).
  static func start(directory: String) -> Pending {
    Pending(directory: directory)
  }

  /// A signature being computed on another thread; `value` waits for it.
  ///
  /// `@unchecked Sendable`: `result` is written once on the worker before `done` is
  /// signalled, and read only after waiting on `done`.
  final class Pending: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: String?

    fileprivate init(directory: String) {
      DispatchQueue.global(qos: .userInitiated).async { [self] in
        result = DirectorySignature.of(directory: directory)
        done.signal()
      }
    }

    /// The signature, once computed (`nil` when the folder cannot be listed).
    var value: String? {
      done.wait()
      done.signal()
      return result
    }
  }

  private static func add(_ directory: String, to hasher: inout SHA256, depth: UInt8) -> Bool {
    guard let stream = opendir(directory) else { return false }
    defer { closedir(stream) }
    let descriptor = dirfd(stream)
    var subfolders: [String] = []
    while let entry = readdir(stream) {
      let done = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> Bool in
        let name = raw.bindMemory(to: CChar.self)
        guard let start = name.baseAddress, start.pointee != UInt8(ascii: ".") else {
          return true
        }
        var info = stat()
        guard fstatat(descriptor, start, &info, 0) == 0 else { return false }
        var fields = (
          UInt64(depth), UInt64(info.st_size), UInt64(bitPattern: Int64(info.st_mtim.tv_sec)),
          UInt64(info.st_mtim.tv_nsec), UInt64(info.st_ino)
        )
        withUnsafeBytes(of: &fields) { hasher.update($0) }
        hasher.update(UnsafeRawBufferPointer(start: start, count: strlen(start) + 1))
        if (info.st_mode & S_IFMT) == S_IFDIR, depth == 0 {
          subfolders.append(PathName.join(directory, String(cString: start)))
        }
        return true
      }
      guard done else { return false }
    }
    for folder in subfolders {
      guard add(folder, to: &hasher, depth: 1) else { return false }
    }
    return true
  }
}
