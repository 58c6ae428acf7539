import Glibc

/// What SchemaLedger checks about a database path before SQLite opens it, so that a path
/// that cannot be a database is named for what it is (a folder, a device, a FIFO, a
/// symbolic-link loop, a name too long) before anything is opened, locked or created.
///
/// SQLite would open `/dev/null` as an empty database (and write its journal into `/dev`),
/// block for ever reading a FIFO, and say only "unable to open database file" for a
/// folder, a loop or a name too long.
enum DatabasePathCheck {
  /// The longest suffix SQLite or SchemaLedger adds to the database's file name for a
  /// file beside it (`-schemaledger-lock`; SQLite's are `-journal`, `-wal`, `-shm`).
  static let longestSuffix = "-schemaledger-lock"

  /// The longest absolute path SQLite's Unix VFS accepts for a database: 512 bytes with
  /// the `-journal` it appends.
  static let sqliteMaxPath = 512 - "-journal".utf8.count

  /// The file a database path names: the path itself, or for a `file:` URI
  /// (`file:/srv/app.sqlite?mode=ro`, `file:///srv/app.sqlite`) its path part, without
  /// the query and with `%XX` escapes decoded.
  static func fileName(of path: String) -> String {
    guard path.hasPrefix("file:") else { return path }
    var rest = Substring(path.dropFirst("file:".count))
    if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
    if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
      rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? ""
    }
    return rest.percentDecoded
  }

  /// Throws when `path` cannot be opened as a database file: not a regular file, a loop,
  /// a name too long, a missing folder, or a missing file when `creating` is off.
  static func check(_ path: String, creating: Bool) throws {
    var status = stat()
    if stat(path, &status) == 0 {
      let kind = status.st_mode & S_IFMT
      guard kind == S_IFREG else {
        throw SQLiteError.notAFile(path: path, kind: name(ofKind: kind))
      }
      try checkLength(of: path, creating: false)
      return
    }
    let failure = errno
    switch failure {
    case ENOENT:
      let folder = PathName.folder(of: path)
      if !folder.isEmpty, !PathName.isDirectory(folder) {
        throw SQLiteError.directoryMissing(path: path)
      }
      guard creating else { throw SQLiteError.fileMissing(path: path) }
      try checkLength(of: path, creating: true)
    case ENOTDIR:
      throw SQLiteError.directoryMissing(path: path)
    case ELOOP:
      throw SQLiteError.symlinkLoop(path: path)
    case ENAMETOOLONG:
      let name = PathName.lastComponent(of: path).utf8.count
      let limit = nameLimit(in: PathName.folder(of: path))
      throw SQLiteError.nameTooLong(
        path: path,
        reason: name > limit
          ? "its file name has \(name) bytes, and the file system allows at most \(limit) "
            + "in one name"
          : "the file system refuses the path as too long (\(String(cString: strerror(failure))))"
      )
    default:
      throw SQLiteError.cannotOpen(
        path: path, code: 14, message: String(cString: strerror(failure)))
    }
  }

  /// Refuses a path SQLite cannot open (longer than `sqliteMaxPath` once absolute) and,
  /// for a file about to be created, a name that leaves no room for the files kept
  /// beside it.
  private static func checkLength(of path: String, creating: Bool) throws {
    let absolute = path.hasPrefix("/") ? path : PathName.join(currentFolder(), path)
    if absolute.utf8.count > sqliteMaxPath {
      throw SQLiteError.nameTooLong(
        path: path,
        reason: "its full path has \(absolute.utf8.count) bytes, and SQLite accepts at most "
          + "\(sqliteMaxPath) (512 with the '-journal' it adds)")
    }
    guard creating else { return }
    let name = PathName.lastComponent(of: path).utf8.count
    let limit = nameLimit(in: PathName.folder(of: path))
    if name + longestSuffix.utf8.count > limit {
      throw SQLiteError.nameTooLong(
        path: path,
        reason: "its file name has \(name) bytes; the file system allows at most \(limit) in "
          + "one name, and SchemaLedger keeps a file named after the database with "
          + "'\(longestSuffix)' added beside it, so the name may have at most "
          + "\(limit - longestSuffix.utf8.count)")
    }
  }

  /// The longest name the file system holding `folder` accepts (`NAME_MAX`, usually 255).
  private static func nameLimit(in folder: String) -> Int {
    let limit = pathconf(folder.isEmpty ? "." : folder, Int32(_PC_NAME_MAX))
    return limit > 0 ? limit : 255
  }

  private static func currentFolder() -> String {
    guard let folder = getcwd(nil, 0) else { return "" }
    defer { free(folder) }
    return String(cString: folder)
  }

  /// "a folder", "a character device", ... for a file type (`st_mode & S_IFMT`).
  private static func name(ofKind kind: mode_t) -> String {
    switch kind {
    case S_IFDIR: return "a folder"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFIFO: return "a named pipe (FIFO)"
    case S_IFSOCK: return "a socket"
    default: return "a special file"
    }
  }
}
