import CSQLite
import FoundationEssentials

/// Scratch databases: a copy to rehearse a plan on, an empty one to rebuild a schema in.
extension SQLiteConnection {
  /// Copies the database with `VACUUM INTO` to a hidden file beside it (or in the
  /// temporary folder for an in-memory database) and opens the copy, with the same
  /// foreign-key setting. The copy is deleted when the returned connection is released.
  public func scratchCopy() throws -> any DatabaseConnection {
    let file = sqlite3_db_filename(handle, "main").map { String(cString: $0) } ?? ""
    let folder =
      file.isEmpty ? PathName.temporaryFolder : PathName.folder(of: file)
    // Named after the database so that, under the run lock, copies left by a rehearsal
    // that crashed can be told apart from other databases' and removed.
    let prefix = ".\(PathName.lastComponent(of: file))-schemaledger-rehearsal-"
    let stale = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    for name in stale where name.hasPrefix(prefix) {
      try? FileManager.default.removeItem(atPath: PathName.join(folder, name))
    }
    let path = PathName.join(
      folder,
      prefix + "\(UUID().uuidString).sqlite")
    let copy: SQLiteConnection
    do {
      try execute("VACUUM INTO ?", [.text(path)])
      copy = try SQLiteConnection(path: path, busyTimeout: busyTimeout)
    } catch let error as SQLiteError {
      // A copy cut short (a full disk, the file size limit) is removed, not left behind.
      for suffix in ["", "-journal", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: path + suffix)
      }
      throw SQLiteError.scratchCopyFailed(
        database: location, copy: path, migration: nil, underlying: error.onFile(path))
    }
    copy.deletesFileOnClose = true
    for path in loadedExtensions { try copy.loadExtension(path) }
    try copy.setForeignKeysEnabled(try foreignKeysEnabled())
    return copy
  }

  /// An in-memory database with the same extensions loaded.
  public func emptyScratchDatabase() throws -> any DatabaseConnection {
    let scratch = try SQLiteConnection(path: ":memory:", busyTimeout: busyTimeout)
    for path in loadedExtensions { try scratch.loadExtension(path) }
    return scratch
  }
}
