import FoundationEssentials
import Glibc

/// Runs a program to completion and reports its wall time and its own peak resident set
/// (`ru_maxrss` from `wait4`, which covers that one child only).
///
/// Linux charges a child started with `posix_spawn` or `fork` at least the RSS its parent
/// had at the spawn (exec records the replaced memory map's size in the child's
/// `ru_maxrss`; measured here: a parent holding 300 MiB gets children of `/bin/true`
/// reporting 300 MiB). The benchmark's parent grows as it works, so it does not spawn
/// children itself: it starts `Launcher` (this program again, which does nothing but spawn
/// and wait, its RSS the bare minimum of a Swift process, below any child's own), and the
/// launcher reports the child's figures. For a Swift child the figure is then its own peak;
/// for a smaller program (the `sqlite3` shell) it is an upper bound: the launcher's RSS.
struct ChildProcess {
  /// How a finished child ended.
  struct Exit {
    /// The exit code, or 128 + the signal number when a signal ended it.
    var status: Int32
    /// Wall-clock seconds from the spawn to the end of `wait4`, timed by the launcher.
    var seconds: Double
    /// The child's `ru_maxrss` from `wait4`, in KiB (Linux reports kilobytes).
    var peakRSSKiB: Int
  }

  /// The program to run (an absolute path).
  var executable: String
  /// Its arguments, without the program name.
  var arguments: [String]
  /// Extra environment variables, on top of the benchmark's own environment.
  var environment: [String: String] = [:]

  /// Runs the program through the launcher with stdin from `/dev/null` and stdout and
  /// stderr to the given files (truncated), and returns how it ended.
  func run(standardOutput: String, standardError: String) throws -> Exit {
    let report = standardOutput + ".launch"
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    let launcher = Self.currentExecutable()
    let launch = try Launcher.spawnAndWait(
      executable: launcher,
      arguments: [
        launcher, Launcher.flag, report, standardOutput, standardError, executable,
      ] + arguments,
      environment: merged.map { "\($0.key)=\($0.value)" },
      standardOutput: "/dev/null", standardError: standardError + ".launch")
    guard launch.status == 0,
      let text = try? String(contentsOfFile: report, encoding: .utf8),
      case let fields = text.split(separator: " "), fields.count == 3,
      let status = Int32(fields[0]), let seconds = Double(fields[1]),
      let peak = Int(fields[2].filter { !$0.isWhitespace })
    else {
      let message = (try? String(contentsOfFile: standardError + ".launch", encoding: .utf8))
      throw BenchError.spawnFailed(executable, message ?? "the launcher failed")
    }
    return Exit(status: status, seconds: seconds, peakRSSKiB: peak)
  }

  /// The absolute path of the running executable (`/proc/self/exe`).
  static func currentExecutable() -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return CommandLine.arguments[0] }
    return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The first executable file called `name` on `PATH`, or `nil`.
  static func find(onPath name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }
}
