import CPostgreSQL
import FoundationEssentials
import SchemaLedgerPostgres

/// The PostgreSQL server the P scenarios run on (`--postgres URL` or
/// `SCHEMALEDGER_BENCH_POSTGRES`): the URL (or libpq `key=value` parameters) names the
/// server and a database to connect to for `CREATE DATABASE` and `DROP DATABASE`. Every
/// database the benchmark makes is named `slb_<run>_...` and dropped after use, and any
/// left when the run ends.
final class PostgresBenchServer {
  /// The URL or parameters as given.
  let conninfo: String
  /// Where the server is, for the report (never the password).
  let location: String
  /// The parameters the URL sets, `dbname` excepted, in libpq's order.
  private let parameters: [(key: String, value: String)]
  /// This run's prefix of database names.
  private let prefix = "slb_" + UUID().uuidString.prefix(8).lowercased()
  /// Databases made and not dropped yet.
  private var made: Set<String> = []

  /// Reads the parameters of `conninfo` (`PQconninfoParse`) and checks that the server
  /// answers.
  init(conninfo: String) throws {
    var error: UnsafeMutablePointer<CChar>?
    guard let options = PQconninfoParse(conninfo, &error) else {
      let message = error.map { String(cString: $0) } ?? "out of memory"
      PQfreemem(error)
      throw BenchError.usage("--postgres: \(message)")
    }
    defer { PQconninfoFree(options) }
    var parameters: [(key: String, value: String)] = []
    var option = options
    while let keyword = option.pointee.keyword {
      let key = String(cString: keyword)
      if key != "dbname", let value = option.pointee.val {
        parameters.append((key, String(cString: value)))
      }
      option += 1
    }
    self.conninfo = conninfo
    self.parameters = parameters
    location = PostgresURL.redacted(conninfo)
    _ = try PostgresFloorConnection(conninfo: conninfo)
  }

  deinit {
    dropAll()
  }

  /// Parameters connecting to `database` on this server: the URL's, with `dbname`
  /// replaced (and the environment's `PG*` variables for what it leaves out, as libpq
  /// does for any connection).
  func conninfo(database: String) -> String {
    (parameters + [("dbname", database)]).map { "\($0.key)=\(Self.quoted($0.value))" }
      .joined(separator: " ")
  }

  /// A name for a new database: `slb_<run>_<part>` (lower case, at most 63 bytes).
  func name(_ part: String) -> String {
    let cleaned = part.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
    return String((prefix + "_" + String(cleaned)).prefix(63))
  }

  /// Creates `name` (from `template`, else the server's default `template1`), dropping a
  /// leftover of that name first.
  func createDatabase(_ name: String, template: String? = nil) throws {
    let admin = try PostgresFloorConnection(conninfo: conninfo)
    try admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    made.insert(name)
    try admin.execute("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
  }

  /// Drops `name` (ending any session still on it).
  func dropDatabase(_ name: String) {
    guard let admin = try? PostgresFloorConnection(conninfo: conninfo) else { return }
    if (try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")) != nil {
      made.remove(name)
    }
  }

  /// Drops every database this run made and has not dropped.
  func dropAll() {
    for name in made { dropDatabase(name) }
  }

  /// `value` as a libpq parameter value: in single quotes, `\` and `'` escaped.
  private static func quoted(_ value: String) -> String {
    "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
  }
}
