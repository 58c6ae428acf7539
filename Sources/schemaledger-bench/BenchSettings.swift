import FoundationEssentials
import Glibc
import SchemaLedger

/// The conditions of a run, printed with the results: the build, SQLite's version and the
/// durability settings both sides ran with, the machine, the sizes.
struct BenchSettings {
  var build: String
  /// `static` when the Swift runtime is linked into the binaries
  /// (`--static-swift-stdlib`), else `dynamic`.
  var swiftStdlib: String
  var sqliteVersion: String
  /// `PRAGMA journal_mode` of a new database (SQLite's default: `delete`).
  var journalMode: String
  /// `PRAGMA journal_mode` of every database after a run, floor and measured.
  var journalModesAfterRuns: [String]
  /// `PRAGMA synchronous` of a new connection, by name and number (default `FULL (2)`).
  var synchronous: String
  var pageSize: Int
  var cacheSize: Int
  var floorProcess: String
  var temporaryDirectory: String
  var filesystem: String
  var cores: Int
  var memoryGiB: Double
  var kernel: String
  var repetitions: Int
  var quick: Bool
  var sizeScale: Double
  var sizes: WorkloadSizes
  /// The PostgreSQL server of P1 to P3, or `nil` when they were not run.
  var postgres: PostgresSettings?
  /// RSS of the parent at the end (children are started through `Launcher`, so it does
  /// not inflate their figures; see `ChildProcess`).
  var harnessRSSMiB: Double

  /// Reads the settings in force (a probe database shows SQLite's defaults).
  init(_ run: BenchmarkRun) throws {
    let probe = run.directory + "/settings-probe.sqlite"
    let database = try FloorDatabase(path: probe)
    journalMode = try database.text("PRAGMA journal_mode") ?? "?"
    let synchronousNumber = try database.text("PRAGMA synchronous") ?? "?"
    pageSize = Int(try database.text("PRAGMA page_size") ?? "") ?? 0
    cacheSize = Int(try database.text("PRAGMA cache_size") ?? "") ?? 0
    database.close()
    Side.remove(probe)
    let names = ["0": "OFF", "1": "NORMAL", "2": "FULL", "3": "EXTRA"]
    synchronous = "\(names[synchronousNumber] ?? "?") (\(synchronousNumber))"
    #if DEBUG
      build = "debug"
    #else
      build = "release"
    #endif
    sqliteVersion = FloorDatabase.libraryVersion
    let maps = Self.procFile("/proc/self/maps") ?? ""
    swiftStdlib = maps.contains("libswiftCore.so") ? "dynamic" : "static"
    journalModesAfterRuns = run.journalModes.sorted()
    floorProcess = run.floorProcessDescription
    temporaryDirectory = run.directory
    filesystem = Self.filesystem(of: run.directory)
    cores = ProcessInfo.processInfo.activeProcessorCount
    memoryGiB = (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824).rounded()
    kernel = Self.kernel()
    repetitions = run.options.effectiveRepetitions
    quick = run.options.quick
    sizeScale = run.options.sizeScale
    sizes = run.sizes
    harnessRSSMiB = MemoryUsage.mebibytes(MemoryUsage.currentKiB())
    postgres = try run.postgres.map { try PostgresSettings($0) }
  }

  /// The settings as the JSON report's `settings` object.
  var json: [String: any JSONRepresentable] {
    [
      "build": build, "swift_stdlib": swiftStdlib, "sqlite_version": sqliteVersion,
      "journal_mode": journalMode,
      "journal_modes_after_runs": journalModesAfterRuns, "synchronous": synchronous,
      "page_size": pageSize, "cache_size": cacheSize,
      "pragmas_set": "none on either side (SQLite's defaults)",
      "transactions": "one per migration on both sides (BEGIN IMMEDIATE ... COMMIT)",
      "floor_process": floorProcess, "temporary_directory": temporaryDirectory,
      "filesystem": filesystem, "cores": cores, "memory_gib": memoryGiB, "kernel": kernel,
      "repetitions": repetitions, "quick": quick, "size_scale": sizeScale,
      "sizes": sizes.dictionary, "official_sizes": sizes.isOfficial,
      "harness_rss_mib": harnessRSSMiB,
      "postgres": postgres.map { JSONValue($0.json) } ?? .string(BenchOptions.postgresHint),
      "rss_source": "ru_maxrss (wait4) of each repetition's own process, max over repetitions",
    ]
  }

  /// The lines above the table.
  var header: [String] {
    let sizeList = sizes.dictionary.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    let official = sizes.isOfficial ? "" : " (NOT the official sizes)"
    let after = journalModesAfterRuns.joined(separator: ",")
    return [
      "SchemaLedger benchmark: \(build) build (\(swiftStdlib) Swift runtime), "
        + "\(repetitions) repetitions, SQLite \(sqliteVersion)",
      journalModesAfterRuns.isEmpty
        ? "Durability (SQLite): no SQLite scenario in this run"
        : "Durability: journal_mode=\(journalMode) (after runs: \(after)), "
          + "synchronous=\(synchronous); no pragma set on either side",
      "Machine: \(cores) cores, \(Int(memoryGiB)) GiB, Linux \(kernel), temp on \(filesystem)",
      "Sizes: " + sizeList.joined(separator: " ") + official,
      "S3.process floor: \(floorProcess)",
      postgres?.header ?? BenchOptions.postgresHint,
    ]
  }

  /// `path` with every symbolic link resolved (`realpath`); `path` itself if that fails.
  private static func resolvingSymlinks(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The text of a procfs file, read line by line: procfs files report no size, and a
  /// whole-file read stops after the first page.
  static func procFile(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var text = ""
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    while getline(&line, &capacity, file) > 0, let line { text += String(cString: line) }
    return text
  }

  /// The file system type of `path`: the longest mount point of `/proc/mounts` above it.
  private static func filesystem(of path: String) -> String {
    guard let mounts = procFile("/proc/mounts") else {
      return "unknown"
    }
    let resolved = Self.resolvingSymlinks(path)
    var best: (point: String, type: String) = ("", "unknown")
    for line in mounts.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count >= 3 else { continue }
      let point = String(fields[1])
      let covers = resolved == point || resolved.hasPrefix(point == "/" ? "/" : point + "/")
      if covers, point.count > best.point.count { best = (point, String(fields[2])) }
    }
    return best.type
  }

  private static func kernel() -> String {
    var name = utsname()
    uname(&name)
    return withUnsafeBytes(of: &name.release) { bytes in
      String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
  }
}
