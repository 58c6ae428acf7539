import Glibc

/// Standard error as a `TextOutputStream` (unbuffered, so progress appears at once).
struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    var remaining = Array(string.utf8)[...]
    while !remaining.isEmpty {
      let written = remaining.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
      if written < 0, errno == EINTR { continue }
      guard written > 0 else { return }
      remaining = remaining.dropFirst(written)
    }
  }
}

/// Where a command writes: results to stdout, progress and errors to stderr, colour only
/// on a terminal and never with `NO_COLOR`.
struct Terminal: Sendable {
  /// Colour escapes allowed on stderr.
  let colorsErrors: Bool
  /// Colour escapes allowed on stdout.
  let colorsOutput: Bool
  /// How much progress to print on stderr (`--quiet`, `--verbose`).
  var verbosity = Verbosity.normal

  /// How much progress a command prints.
  enum Verbosity: Sendable {
    /// Errors, warnings and what needs a decision (a new database, a stop) only.
    case quiet
    /// One line per step, waits, rehearsals, the ledger head.
    case normal
    /// Also every event appended to the ledger.
    case verbose
  }

  init(environment: [String: String]) {
    let allowed = environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
    colorsErrors = allowed && isatty(2) == 1
    colorsOutput = allowed && isatty(1) == 1
  }

  /// Writes a result line to stdout (buffered by the C library: flushed when full, at
  /// a line end on a terminal, before stderr is written, and at exit).
  func out(_ line: String, terminator: String = "\n") {
    print(line, terminator: terminator)
  }

  /// Writes text to stderr as is (no newline added).
  func err(_ text: String) {
    fflush(nil)
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
