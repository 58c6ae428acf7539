/// The PostgreSQL server's conditions for P1 to P3, printed with the results: its version
/// and the durability settings both sides ran with (neither side changes any).
struct PostgresSettings {
  /// Where the server is (never the password).
  var location: String
  var version: String
  /// The settings that decide what a commit costs, by name (`fsync`, `synchronous_commit`,
  /// `wal_sync_method`, `full_page_writes`, `wal_level`, `shared_buffers`).
  var settings: [(name: String, value: String)]

  static let names = [
    "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "wal_level",
    "shared_buffers",
  ]

  /// Reads them from the server.
  init(_ server: PostgresBenchServer) throws {
    let connection = try PostgresFloorConnection(conninfo: server.conninfo)
    defer { connection.close() }
    location = server.location
    version = try connection.text("SHOW server_version") ?? "?"
    settings = try Self.names.map { ($0, try connection.text("SHOW \($0)") ?? "?") }
  }

  /// The settings as the JSON report's `settings.postgres` object.
  var json: [String: any JSONRepresentable] {
    var members: [String: any JSONRepresentable] = [
      "server": location, "version": version,
      "set_by_benchmark": "nothing on either side (the server's settings)",
      "transactions": "one per migration on both sides (BEGIN ... COMMIT)",
      "databases": "a new database per repetition and side (CREATE DATABASE; P2 from a template)",
      "round_trips": "queries sent (PQexec, PQexecParams, PQsendQuery), connections apart",
    ]
    for (name, value) in settings { members[name] = value }
    return members
  }

  /// The line above the table.
  var header: String {
    "PostgreSQL: \(version) at \(location); "
      + settings.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
      + "; nothing set on either side"
  }
}
