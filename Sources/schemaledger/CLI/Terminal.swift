import Foundation

/// Standard error as a `TextOutputStream` (unbuffered, so progress appears at once).
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandle.standardError.write(Data(string.utf8))
  }
}

/// Where a command writes: results to stdout, progress and errors to stderr, colour only
/// on a terminal and never with `NO_COLOR`.
struct Terminal: Sendable {
  /// Colour escapes allowed on stderr.
  let colorsErrors: Bool
  /// Colour escapes allowed on stdout.
  let colorsOutput: Bool

  init(environment: [String: String]) {
    let allowed = environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
    colorsErrors = allowed && isatty(2) == 1
    colorsOutput = allowed && isatty(1) == 1
  }

  /// Writes a result line to stdout.
  func out(_ line: String, terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((line + terminator).utf8))
  }

  /// Writes text to stderr as is (no newline added).
  func err(_ text: String) {
    var stream = StandardError()
    stream.write(text)
  }

  /// `text` in a colour on stderr, when colour is allowed.
  func errorStyled(_ text: String, _ style: Style) -> String {
    colorsErrors ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }

  /// `text` in a colour on stdout, when colour is allowed.
  func styled(_ text: String, _ style: Style) -> String {
    colorsOutput ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }

  /// ANSI styles used.
  enum Style: String {
    case red = "31"
    case green = "32"
    case yellow = "33"
    case dim = "2"
    case bold = "1"
  }
}
