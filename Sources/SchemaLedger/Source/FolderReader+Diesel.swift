import FoundationEssentials

/// Reading diesel folders.
extension FolderReader {
  /// Folders `VERSION_name/` with `up.sql`, `down.sql` and `metadata.toml`.
  mutating func readDiesel(_ entries: [FolderEntry]) {
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
  static func dieselRunsOutsideTransaction(_ metadata: String) -> Bool {
    metadata.split(separator: "\n").contains { line in
      let compact = line.filter { $0 != " " && $0 != "\t" }
      return compact == "run_in_transaction=false"
    }
  }
}
