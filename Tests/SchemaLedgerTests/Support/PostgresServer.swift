import Foundation
import SchemaLedgerPostgres

/// A throwaway PostgreSQL server, and a PgBouncer in transaction-pooling mode in front of
/// it, that the tests start themselves: `initdb` in a temporary folder, run as the
/// unprivileged `postgres` user when the tests run as root (the server refuses root), on
/// Unix sockets in that folder only, with free port numbers. Started once per test
/// process, on first use, and stopped (the folder removed) when the process exits.
///
/// When the server packages are not installed, `PostgresServer.shared` says why and the
/// PostgreSQL suites are skipped; with `SCHEMALEDGER_REQUIRE_POSTGRES=1` (as `.ci/run`
/// sets it) that is a failure instead (`PostgresAvailabilityTests`).
final class PostgresServer: Sendable {
  /// The folder holding the data, the sockets, the configuration and the logs.
  let directory: String
  /// The server's port (its socket is `<directory>/.s.PGSQL.<port>`).
  let port: Int
  /// PgBouncer's port, on the same socket folder.
  let bouncerPort: Int

  /// The server started for this process, or why there is none.
  static let shared: Result<PostgresServer, PostgresServerError> = Result {
    try PostgresServer.start()
  }.mapError { $0 as? PostgresServerError ?? .failed(String(describing: $0)) }

  /// `true` when the PostgreSQL tests can run here.
  static var isAvailable: Bool { (try? shared.get()) != nil }

  /// Why the PostgreSQL tests cannot run here, or `nil`.
  static var unavailableReason: String? {
    if case .failure(let error) = shared { return error.description }
    return nil
  }

  private init(directory: String, port: Int, bouncerPort: Int) {
    self.directory = directory
    self.port = port
    self.bouncerPort = bouncerPort
  }

  /// libpq connection parameters for `database`, straight to the server or through
  /// PgBouncer.
  func conninfo(database: String, pooled: Bool = false) -> String {
    "host=\(directory) port=\(pooled ? bouncerPort : port) user=postgres dbname=\(database)"
  }

  /// The same as a `postgresql://` URL, as the tool's `--url` and `DATABASE_URL` take it.
  func url(database: String, pooled: Bool = false) -> String {
    "postgresql:///\(database)?host=\(directory)&port=\(pooled ? bouncerPort : port)"
      + "&user=postgres"
  }

  /// A new, empty database for one test (named after a UUID), created on the server.
  func makeDatabase() throws -> String {
    let name = "t_" + UUID().uuidString.lowercased().replacing("-", with: "")
    let admin = try PostgresConnection(conninfo: conninfo(database: "postgres"))
    try admin.execute("CREATE DATABASE \(name)")
    return name
  }

  // MARK: - Starting and stopping

  private static func start() throws -> PostgresServer {
    guard let bin = serverBinaries() else {
      throw PostgresServerError.notInstalled(
        "the PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
          + "apt-get install postgresql")
    }
    guard
      let pgbouncer = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .first(where: FileManager.default.isExecutableFile(atPath:))
    else {
      throw PostgresServerError.notInstalled(
        "PgBouncer is not installed: apt-get install pgbouncer")
    }
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("schemaledger-pg-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(
      atPath: directory, withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    try asServerUser(["chown", "postgres:", directory], directly: true, optional: true)
    let data = directory + "/data"
    try asServerUser([
      "\(bin)/initdb", "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8",
      "--locale=C",
    ])
    let port = Int.random(in: 20_000..<40_000)
    let bouncerPort = port + 20_000
    try asServerUser([
      "\(bin)/pg_ctl", "-D", data, "-l", directory + "/server.log", "-w", "-o",
      "-k \(directory) -p \(port) -c listen_addresses='' -c fsync=off "
        + "-c max_connections=200",
      "start",
    ])
    cleanup = Cleanup(directory: directory, pgCtl: "\(bin)/pg_ctl", data: data)
    atexit { PostgresServer.cleanup?.run() }
    // A test process killed (SIGKILL, a timeout) runs no atexit handler: a watchdog stops
    // both servers and removes the folder when this process is gone.
    try startWatchdog(directory: directory, pgCtl: "\(bin)/pg_ctl", data: data)
    try """
    [databases]
    * = host=\(directory) port=\(port)
    [pgbouncer]
    listen_addr =
    listen_port = \(bouncerPort)
    unix_socket_dir = \(directory)
    auth_type = trust
    auth_file = \(directory)/userlist.txt
    pool_mode = transaction
    max_client_conn = 200
    default_pool_size = 20
    logfile = \(directory)/pgbouncer.log
    pidfile = \(directory)/pgbouncer.pid
    """.write(toFile: directory + "/pgbouncer.ini", atomically: true, encoding: .utf8)
    try "\"postgres\" \"\"\n".write(
      toFile: directory + "/userlist.txt", atomically: true, encoding: .utf8)
    try asServerUser(
      [
        "chown", "postgres:", directory + "/pgbouncer.ini",
        directory + "/userlist.txt",
      ], directly: true, optional: true)
    try asServerUser([pgbouncer, "-d", directory + "/pgbouncer.ini"])
    let server = PostgresServer(directory: directory, port: port, bouncerPort: bouncerPort)
    try server.waitUntilReachable(pooled: true)
    return server
  }

  /// Connects through PgBouncer until it answers (it starts in the background), for at
  /// most 30 seconds.
  private func waitUntilReachable(pooled: Bool) throws {
    let deadline = Date().addingTimeInterval(30)
    while true {
      do {
        _ = try PostgresConnection(conninfo: conninfo(database: "postgres", pooled: pooled))
        return
      } catch {
        if Date() > deadline {
          throw PostgresServerError.failed("PgBouncer did not answer: \(error)")
        }
        usleep(20_000)  // polling for readiness, not a synchronisation delay
      }
    }
  }

  /// The newest installed server's `bin` folder.
  private static func serverBinaries() -> String? {
    let root = "/usr/lib/postgresql"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return versions.compactMap(Int.init).sorted().reversed().map { "\(root)/\($0)/bin" }
      .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
  }

  /// Runs `arguments` as the `postgres` user when this process is root (with `runuser`),
  /// else as this user; `directly` runs it as this user in any case. Throws with the
  /// output when it fails, unless `optional`.
  ///
  /// Spawned with `posix_spawn` and reaped with `waitpid`, output to a file: a command that
  /// starts a server in the background (`pg_ctl start`, `pgbouncer -d`) leaves it holding
  /// whatever it inherited, and `Foundation.Process` would wait for that to close.
  fileprivate static func asServerUser(
    _ arguments: [String], directly: Bool = false, optional: Bool = false
  ) throws {
    let asRoot = getuid() == 0
    if directly && !asRoot { return }  // chown: only root needs to hand the folder over
    let command =
      directly || !asRoot ? arguments : ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments
    let log =
      FileManager.default.temporaryDirectory.path
      + "/schemaledger-pg-command-\(UUID().uuidString).log"
    defer { try? FileManager.default.removeItem(atPath: log) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, command[0], &actions, nil, argv, environ)
    guard spawned == 0 else {
      throw PostgresServerError.failed("cannot start \(command[0]): errno \(spawned)")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exited = status & 0x7f == 0 && (status >> 8) & 0xff == 0
    if !exited && !optional {
      let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      throw PostgresServerError.failed("\(arguments.joined(separator: " ")): \(text)")
    }
  }

  /// Starts a shell that waits for this process to end, then stops the server and
  /// PgBouncer and removes `directory` (polling the process once a second: it outlives
  /// the tests, it does not synchronise them).
  private static func startWatchdog(directory: String, pgCtl: String, data: String) throws {
    let asPostgres = getuid() == 0 ? "/usr/sbin/runuser -u postgres -- " : ""
    let script = """
      while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
      [ -d '\(directory)' ] || exit 0
      kill -9 "$(cat '\(directory)/pgbouncer.pid' 2>/dev/null)" 2>/dev/null
      \(asPostgres)'\(pgCtl)' -D '\(data)' -m immediate stop >/dev/null 2>&1
      rm -rf '\(directory)'
      """
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, 0x80)  // POSIX_SPAWN_SETSID: a session of its own
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in [0, 1, 2] {
      posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0)
    }
    let arguments: [String] = ["/bin/sh", "-c", script]
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
    guard spawned == 0 else {
      throw PostgresServerError.failed("cannot start the cleanup watchdog: errno \(spawned)")
    }
  }

  /// What to stop and remove when the process exits.
  private struct Cleanup {
    let directory: String
    let pgCtl: String
    let data: String

    func run() {
      if let pid = try? String(contentsOfFile: directory + "/pgbouncer.pid", encoding: .utf8)
        .trimmingCharacters(in: .whitespacesAndNewlines), let number = Int32(pid)
      {
        kill(number, SIGKILL)
      }
      try? PostgresServer.asServerUser([pgCtl, "-D", data, "-m", "immediate", "stop"])
      try? FileManager.default.removeItem(atPath: directory)
    }
  }

  nonisolated(unsafe) private static var cleanup: Cleanup?
}

/// Why the throwaway server could not be started.
enum PostgresServerError: Error, CustomStringConvertible {
  /// A package is missing: the tests are skipped (a failure under CI).
  case notInstalled(String)
  /// It is installed but did not start.
  case failed(String)

  var description: String {
    switch self {
    case .notInstalled(let reason): "PostgreSQL tests skipped: \(reason)"
    case .failed(let reason): "The throwaway PostgreSQL server did not start: \(reason)"
    }
  }
}
