/// The documented exit codes (docs/cli.md).
enum ExitCode: Int32 {
  /// Success.
  case success = 0
  /// The operation failed (a migration, the database, the files).
  case failure = 1
  /// A check found something: pending migrations, drift (`status --exit-code`).
  case attention = 3
  /// The command line was wrong (BSD `EX_USAGE`).
  case usage = 64
  /// Stopped by SIGINT (Ctrl-C) after recording what the step did: 128 + 2.
  case interrupted = 130
  /// Stopped by SIGTERM after recording what the step did: 128 + 15.
  case terminated = 143
}
