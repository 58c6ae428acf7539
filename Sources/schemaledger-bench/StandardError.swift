import Foundation

/// Standard error as a `TextOutputStream`: progress and warnings go there, so that
/// `schemaledger-bench --json | jq` always works.
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandle.standardError.write(Data(string.utf8))
  }

  /// Writes one line of progress.
  static func note(_ line: String) {
    var stream = StandardError()
    print(line, to: &stream)
  }
}
