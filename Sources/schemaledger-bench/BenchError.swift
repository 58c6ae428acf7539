/// What can stop the benchmark. Each message says what failed and what to do.
enum BenchError: Error, CustomStringConvertible {
  /// A command-line mistake; the usage is printed after it.
  case usage(String)
  /// A child process could not be started or waited for.
  case spawnFailed(String, String)
  /// A child process exited with an error; its stderr is quoted.
  case childFailed(part: String, side: String, status: Int32, stderr: String)
  /// A sqlite3 call failed on the floor side or in a fixture.
  case sqlite(String)
  /// A libpq call failed on the PostgreSQL floor, in a fixture or on the server.
  case postgres(String)
  /// A run did not do what the scenario requires (wrong step count, wrong event count).
  case unexpected(String)

  var description: String {
    switch self {
    case .usage(let message):
      return message
    case .spawnFailed(let program, let reason):
      return "Could not run '\(program)': \(reason). Build it first "
        + "(swift build -c release --scratch-path .build-bench)."
    case .childFailed(let part, let side, let status, let stderr):
      return "\(part) (\(side)) exited with status \(status):\n\(stderr)\n"
        + "Run that scenario alone with --scenario \(part) to reproduce."
    case .sqlite(let message):
      return "SQLite: \(message)"
    case .postgres(let message):
      return "PostgreSQL: \(message)"
    case .unexpected(let message):
      return message
    }
  }
}
