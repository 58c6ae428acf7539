import Glibc
import SchemaLedger

/// A text file written through the C library's buffered stream, for `--output FILE`.
final class TextFileWriter {
  /// A write to or the close of `path` failed; `reason` is the system's message.
  struct WriteError: Error, MessageBacked {
    let path: String
    let reason: String

    var message: ErrorMessage {
      ErrorMessage(
        "Could not write '\(path)': \(reason). ",
        action: "Check the free space and the permissions of its folder, then run the "
          + "command again; the ledger itself was only read.")
    }
  }

  private let path: String
  private var file: UnsafeMutablePointer<FILE>?

  /// Creates or truncates `path`; `nil` when it cannot be opened for writing.
  init?(path: String) {
    guard let file = fopen(path, "w") else { return nil }
    self.path = path
    self.file = file
  }

  deinit { if let file { fclose(file) } }

  func write(_ text: String) throws {
    guard let file, fputs(text, file) >= 0 else { throw failure() }
  }

  /// Flushes and closes the file; a full disk shows up here at the latest.
  func close() throws {
    guard let file else { return }
    self.file = nil
    if fclose(file) != 0 { throw failure() }
  }

  private func failure() -> WriteError {
    WriteError(path: path, reason: String(cString: strerror(errno)))
  }
}
