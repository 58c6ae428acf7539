import Glibc

/// The few operations on file paths the library needs, on `String`s with `/` as the
/// separator, so that it depends on `FoundationEssentials` only (no `NSString`).
enum PathName {
  /// `true` when `name` holds a control character (a line break, a tab, ESC, DEL, ...).
  static func hasControlCharacters(_ name: String) -> Bool {
    name.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }

  /// `path` with each control character written as an escape (`\n`, `\r`, `\t`, `\0`,
  /// otherwise `\u{1B}`), so that a message shows it without breaking a line or
  /// steering the terminal.
  static func escapingControlCharacters(_ path: String) -> String {
    var result = ""
    for scalar in path.unicodeScalars {
      guard scalar.properties.generalCategory == .control else {
        result.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\0": result += "\\0"
      default:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        result += "\\u{" + (hex.count < 2 ? "0" + hex : hex) + "}"
      }
    }
    return result
  }

  /// `folder/name`, without doubling a trailing `/`; `name` alone when `folder` is empty.
  static func join(_ folder: String, _ name: String) -> String {
    if folder.isEmpty { return name }
    return folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// What follows the last `/` (trailing `/`s ignored); the path itself when it has none.
  static func lastComponent(of path: String) -> String {
    let trimmed = trimmingTrailingSlashes(path)
    guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return trimmed }
    return String(trimmed[trimmed.index(after: slash)...])
  }

  /// The folder part: `""` for a bare name, `/` for a file at the root.
  static func folder(of path: String) -> String {
    let trimmed = trimmingTrailingSlashes(path)
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    if slash == trimmed.startIndex { return "/" }
    return trimmingTrailingSlashes(String(trimmed[..<slash]))
  }

  /// `true` when `path` names an existing directory (following symbolic links).
  static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  /// `true` when the process may read `path` (`access(R_OK)`).
  static func isReadable(_ path: String) -> Bool { access(path, R_OK) == 0 }

  /// `true` when the process may write in `path` (`access(W_OK)`).
  static func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

  /// The folder for temporary files: `$TMPDIR`, else `/tmp`.
  static var temporaryFolder: String {
    if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
    return "/tmp"
  }

  private static func trimmingTrailingSlashes(_ path: String) -> String {
    var result = Substring(path)
    while result.count > 1, result.hasSuffix("/") { result = result.dropLast() }
    return String(result)
  }
}
