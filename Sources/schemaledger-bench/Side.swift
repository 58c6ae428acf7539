import FoundationEssentials

/// One side of a scenario (its floor, the measured library, or a reference), as the
/// parent runs it once per repetition: a process, the database it works on, and where the
/// time comes from.
struct Side {
  /// Where the seconds come from.
  enum Timing {
    /// The child times its own work and prints a `ChildResult` (setup excluded).
    case reportedByChild
    /// The parent times the whole process, spawn to exit (S3.process).
    case wholeProcess
  }

  /// What the repetition's database is.
  enum DatabaseUse {
    /// A new file per repetition (deleted before and after).
    case fresh
    /// A copy of this file per repetition (deleted after).
    case copy(of: String)
    /// This file, shared and left as it is (read-only scenarios); on PostgreSQL, the
    /// connection parameters of a shared database.
    case shared(String)
    /// A new database on a PostgreSQL server per repetition (dropped after), created from
    /// `template` when given (the server's copy of a database, as `copy(of:)` is for a
    /// file), else empty.
    case server(PostgresBenchServer, template: String? = nil)
  }

  /// `floor`, `measured`, or a reference's name.
  var label: String
  /// The program and its arguments; `{db}` in an argument is replaced by the database path
  /// (on PostgreSQL, by the connection parameters of the repetition's database).
  var process: ChildProcess
  var timing: Timing
  var database: DatabaseUse

  /// One repetition's figures.
  struct Sample {
    var seconds: Double
    var peakRSSKiB: Int
    var result: ChildResult?
  }

  /// Runs one repetition in `directory` (which holds its files).
  func run(repetition: Int, in directory: String) throws -> Sample {
    let path: String
    switch database {
    case .fresh:
      path = "\(directory)/\(label)-\(repetition).sqlite"
      Self.remove(path)
    case .copy(let template):
      path = "\(directory)/\(label)-\(repetition).sqlite"
      Self.remove(path)
      try FileManager.default.copyItem(atPath: template, toPath: path)
    case .shared(let file):
      path = file
    case .server(let server, let template):
      let name = server.name(
        "\(directory.split(separator: "/").last ?? "")_\(label)_\(repetition)")
      try server.createDatabase(name, template: template)
      path = server.conninfo(database: name)
      defer { server.dropDatabase(name) }
      return try run(on: path, repetition: repetition, in: directory)
    }
    defer {
      if case .shared = database {} else { Self.remove(path) }
    }
    return try run(on: path, repetition: repetition, in: directory)
  }

  /// Runs one repetition on the database `path` (a file, or connection parameters).
  private func run(on path: String, repetition: Int, in directory: String) throws -> Sample {
    var process = self.process
    process.arguments = process.arguments.map { $0.replacing("{db}", with: path) }
    let stdout = "\(directory)/\(label).out"
    let stderr = "\(directory)/\(label).err"
    let exit = try process.run(standardOutput: stdout, standardError: stderr)
    guard exit.status == 0 else {
      let message = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
      throw BenchError.childFailed(
        part: directory.split(separator: "/").last.map(String.init) ?? "?", side: label,
        status: exit.status, stderr: message)
    }
    switch timing {
    case .wholeProcess:
      return Sample(seconds: exit.seconds, peakRSSKiB: exit.peakRSSKiB, result: nil)
    case .reportedByChild:
      let output = try String(contentsOfFile: stdout, encoding: .utf8)
      let result = try ChildResult.decode(output)
      return Sample(seconds: result.seconds, peakRSSKiB: exit.peakRSSKiB, result: result)
    }
  }

  /// Deletes a database file and the files SQLite and SchemaLedger keep beside it.
  static func remove(_ path: String) {
    for suffix in ["", "-journal", "-wal", "-shm", "-schemaledger-lock"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
  }
}
