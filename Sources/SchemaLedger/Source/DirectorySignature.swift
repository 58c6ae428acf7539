import FoundationEssentials

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A cheap fingerprint of a migrations folder: the name, size and modification time of
/// every entry (and of the files in sub-folders), hashed. Listing and `stat`-ing costs a
/// fraction of reading and parsing every file, which is what lets the startup check skip
/// the files when nothing changed (see `SchemaLedger.Configuration.fastStartupCheck`).
enum DirectorySignature {
  /// The signature of `directory`, or `nil` when it cannot be listed.
  static func of(directory: String) -> String? {
    var hasher = SHA256()
    guard add(directory, to: &hasher, depth: 0) else { return nil }
    return SHA256.hex(hasher.finalize())
  }

  private static func add(_ directory: String, to hasher: inout SHA256, depth: Int) -> Bool {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return false
    }
    for entry in entries.sorted() where !entry.hasPrefix(".") {
      let path = PathName.join(directory, entry)
      var info = stat()
      guard stat(path, &info) == 0 else { return false }
      hasher.update(
        "\(depth) \(entry)\t\(info.st_size)\t\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
          + "\t\(info.st_ino)\n")
      if (info.st_mode & S_IFMT) == S_IFDIR, depth == 0 {
        guard add(path, to: &hasher, depth: 1) else { return false }
      }
    }
    return true
  }
}
