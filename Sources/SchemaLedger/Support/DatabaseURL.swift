/// Connection strings as dbmate, goose and Flyway users write them (`DATABASE_URL`), for a
/// SQLite database: `sqlite:path`, `sqlite3:path`, `sqlite:///absolute/path` and SQLite's
/// own URI form `file:path?mode=rwc`. Pure: text in, database file path out.
package enum DatabaseURL {
  /// Why a connection string was refused.
  package enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The scheme is not one SchemaLedger connects to.
    case unknownScheme(url: String, scheme: String)
    /// The URL names no file.
    case noPath(url: String)
    /// A query parameter SchemaLedger cannot honour.
    case unsupportedParameter(url: String, parameter: String)

    /// What, and what to write instead.
    package var description: String {
      switch self {
      case .unknownScheme(let url, let scheme):
        return "'\(url)': SchemaLedger does not connect to '\(scheme):' databases. Known "
          + "schemes: " + DatabaseURL.schemes.map { $0 + ":" }.joined(separator: ", ")
          + " (for example sqlite:db/app.sqlite or sqlite:///var/lib/app/app.sqlite)."
      case .noPath(let url):
        return "'\(url)' names no database file: write sqlite:PATH."
      case .unsupportedParameter(let url, let parameter):
        return "'\(url)': the parameter '\(parameter)' is not supported (a migration needs "
          + "to read and write the file); remove it."
      }
    }
  }

  /// The schemes read as a SQLite database file.
  package static let schemes = ["sqlite", "sqlite3", "file"]

  /// `true` when `text` starts like a URL (`scheme:`), so that it must never be taken
  /// for a file name (`sqlite:x.sqlite` is not a file called that).
  package static func looksLikeURL(_ text: String) -> Bool {
    guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
    let scheme = text[..<colon]
    guard let first = scheme.first, first.isASCII, first.isLetter, scheme.count > 1 else {
      return false  // `C:\...` is a drive, not a scheme
    }
    return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
  }

  /// The database file `url` names.
  package static func sqlitePath(_ url: String) throws -> String {
    guard let colon = url.firstIndex(of: ":") else { throw Problem.noPath(url: url) }
    let scheme = url[..<colon].lowercased()
    guard schemes.contains(scheme) else {
      throw Problem.unknownScheme(url: url, scheme: String(url[..<colon]))
    }
    var rest = url[url.index(after: colon)...]
    if let question = rest.firstIndex(of: "?") {
      for parameter in rest[rest.index(after: question)...].split(separator: "&")
      where !["mode=rw", "mode=rwc"].contains(String(parameter)) {
        throw Problem.unsupportedParameter(url: url, parameter: String(parameter))
      }
      rest = rest[..<question]
    }
    if rest.hasPrefix("//") { rest = rest.dropFirst(2) }  // sqlite:///abs → /abs
    let path = rest.percentDecoded
    guard !path.isEmpty else { throw Problem.noPath(url: url) }
    return path
  }
}
