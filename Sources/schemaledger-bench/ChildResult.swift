import FoundationEssentials

/// What a child process reports on stdout (JSON): the seconds of the timed part, plus
/// figures and notes for the report (the journal mode it found, its own peak RSS).
struct ChildResult: Codable, Sendable {
  /// Seconds of the timed part only (setup and checks excluded).
  var seconds: Double
  /// Further figures (`warm_s`, `vmhwm_kib`).
  var values: [String: Double] = [:]
  /// Observations (`journal_mode`).
  var notes: [String: String] = [:]

  /// The JSON line a child prints.
  func encoded() throws -> String {
    String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
  }

  /// Reads the JSON a child printed.
  static func decode(_ text: String) throws -> ChildResult {
    try JSONDecoder().decode(ChildResult.self, from: Data(text.utf8))
  }
}
