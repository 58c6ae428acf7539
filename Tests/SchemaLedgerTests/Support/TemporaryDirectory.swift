import Foundation

/// Runs `body` with a fresh temporary directory, removed afterwards, so tests that touch
/// files and databases can run in parallel.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("schemaledger-tests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: url) }
  return try body(url)
}

extension URL {
  /// Writes `text` (UTF-8) to the file `name` in this directory, creating folders on the
  /// way; returns the file's URL.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> URL {
    let file = appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
    return file
  }

  /// Writes raw bytes to the file `name` in this directory.
  @discardableResult
  func write(_ name: String, bytes: [UInt8]) throws -> URL {
    let file = appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
    return file
  }
}
