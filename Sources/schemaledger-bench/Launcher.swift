import Glibc

/// `schemaledger-bench --internal-launch REPORT STDOUT STDERR PROGRAM [ARGS...]`: spawns
/// PROGRAM, waits for it with `wait4` and writes `STATUS SECONDS MAXRSS_KIB` to REPORT.
///
/// It touches the C library only (no Foundation, no allocation worth naming), so its own
/// RSS, which Linux adds to its child's `ru_maxrss` (see `ChildProcess`), stays the bare
/// minimum of a Swift process.
enum Launcher {
  /// The flag that selects the launcher.
  static let flag = "--internal-launch"

  /// Runs the launcher; returns the process exit code.
  static func main(_ arguments: [String]) -> Int32 {
    guard arguments.count >= 4 else { return 64 }
    let (report, output, error) = (arguments[0], arguments[1], arguments[2])
    let program = Array(arguments[3...])
    do {
      let exit = try spawnAndWait(
        executable: program[0], arguments: program, environment: nil,
        standardOutput: output, standardError: error)
      let line = "\(exit.status) \(exit.seconds) \(exit.peakRSSKiB)\n"
      let descriptor = open(report, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      guard descriptor >= 0 else { return 1 }
      defer { close(descriptor) }
      let bytes = Array(line.utf8)
      return write(descriptor, bytes, bytes.count) == bytes.count ? 0 : 1
    } catch {
      return 1
    }
  }

  /// Spawns `executable` (`posix_spawn`; `arguments` includes the program name) with stdin
  /// from `/dev/null` and stdout and stderr to files, and waits for it with `wait4`.
  /// `environment` `nil` passes this process's own.
  static func spawnAndWait(
    executable: String, arguments: [String], environment: [String]?,
    standardOutput: String, standardError: String
  ) throws -> ChildProcess.Exit {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(
      &actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { $0.map { strdup($0) } + [nil] }
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp ?? [] { free(pointer) }
    }

    var pid: pid_t = 0
    let start = Stopwatch.now()
    let code =
      envp.map { posix_spawn(&pid, executable, &actions, nil, argv, $0) }
      ?? posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard code == 0 else {
      throw BenchError.spawnFailed(executable, String(cString: strerror(code)))
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
      guard errno == EINTR else {
        throw BenchError.spawnFailed(executable, String(cString: strerror(errno)))
      }
    }
    let seconds = Stopwatch.seconds(since: start)
    // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
    let signal = status & 0x7f
    let exitCode = signal == 0 ? (status >> 8) & 0xff : 128 + signal
    return ChildProcess.Exit(status: exitCode, seconds: seconds, peakRSSKiB: Int(usage.ru_maxrss))
  }
}
