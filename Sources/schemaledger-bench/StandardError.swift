import Glibc

/// Standard error as a `TextOutputStream`: progress and warnings go there, so that
/// `schemaledger-bench --json | jq` always works.
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    var remaining = Array(string.utf8)[...]
    while !remaining.isEmpty {
      let written = remaining.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
      if written < 0, errno == EINTR { continue }
      guard written > 0 else { return }
      remaining = remaining.dropFirst(written)
    }
  }

  /// Writes one line of progress.
  static func note(_ line: String) {
    var stream = StandardError()
    print(line, to: &stream)
  }
}
