import Foundation

/// Launches the built `schemaledger` binary, the way a user or a deploy script would.
struct ToolProcess {
  /// The result of a finished run.
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
    /// `false` when a signal ended the process (a crash): `status` is then the signal.
    var exited = true
  }

  /// The binary: in the products folder beside the test bundle (`swift test`), or in
  /// `.build/debug` of the repository.
  static let binary = product("schemaledger")

  /// A built executable of this package, by product name.
  static func product(_ name: String) -> URL {
    let products = Bundle.main.bundleURL
    let candidates = [
      products.appendingPathComponent(name),
      products.deletingLastPathComponent().appendingPathComponent(name),
      repositoryRoot.appendingPathComponent(".build/debug/\(name)"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
      ?? candidates[0]
  }

  /// Runs the tool to completion with `arguments` in `directory`. Output goes to files,
  /// so a full pipe can never block the child.
  static func run(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:]
  ) throws -> Result {
    let process = try start(arguments, in: directory, environment: environment)
    return process.wait()
  }

  /// Runs `body` until it returns a value, each check after the watched processes had
  /// a moment to write (a polling interval, not a synchronisation delay); `nil` once
  /// none of `processes` is still running and `body` still finds nothing.
  static func firstMatch<T>(among processes: [Running], _ body: () -> T?) -> T? {
    while true {
      if let found = body() { return found }
      if !processes.contains(where: { $0.process.isRunning }) { return body() }
      usleep(2_000)
    }
  }

  /// Starts the tool without waiting; see `Running`.
  static func start(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    executable: URL = binary
  ) throws -> Running {
    let id = UUID().uuidString
    let stdoutURL = directory.appendingPathComponent(".out-\(id)")
    let stderrURL = directory.appendingPathComponent(".err-\(id)")
    _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env.removeValue(forKey: "SCHEMALEDGER_DATABASE")
    env.removeValue(forKey: "DATABASE_URL")
    env.removeValue(forKey: "SCHEMALEDGER_LAYOUT")
    env.removeValue(forKey: "SCHEMALEDGER_LEDGER_KEY_FILE")
    env.removeValue(forKey: "SCHEMALEDGER_MIGRATIONS")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
    process.standardError = try FileHandle(forWritingTo: stderrURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return Running(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
  }

  /// A started process.
  struct Running {
    let process: Process
    let stdoutURL: URL
    let stderrURL: URL

    /// Waits for the process to exit and returns its status and output.
    func wait() -> Result {
      process.waitUntilExit()
      return Result(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "",
        exited: process.terminationReason == .exit)
    }

    /// stderr so far.
    var stderrSoFar: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Blocks until the process's stderr contains `text` or the process exits; returns
    /// whether the text appeared. Watches the output file, not a clock: each check waits
    /// for the file to change (or the process to end), so nothing here is a timed sleep
    /// standing in for synchronisation.
    func waitForStderr(containing text: String) -> Bool {
      while process.isRunning {
        if stderrSoFar.contains(text) { return true }
        usleep(2_000)  // polling interval of the watch, not a synchronisation delay
      }
      return stderrSoFar.contains(text)
    }
  }
}
