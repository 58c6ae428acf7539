/// Who reads an error's advice: an operator at the command line, or a developer calling
/// the library. The same setting is a flag for one and a `Configuration` property for the
/// other, so an error's advice names it for its reader (`description(for:)`).
public enum ErrorAudience: Sendable {
  /// The library's words: `Configuration.lockTimeout`. Every error's `description`.
  case library
  /// The command line's words: `--lock-timeout SECONDS`.
  case commandLine
}

/// A setting named in an error's advice, rendered for its reader: embedded in a message
/// as a token, replaced when the message is printed (`ErrorMessage.text(for:)`).
package enum Remedy {
  /// A phrase said one way at the command line and another in the library.
  package static func say(commandLine: String, library: String) -> String {
    start + commandLine + separator + library + end
  }

  package static let lockTimeout = say(
    commandLine: "--lock-timeout SECONDS", library: "Configuration.lockTimeout")
  package static let database = say(
    commandLine: "--database", library: "the database path given to SchemaLedger")
  package static let migrations = say(
    commandLine: "--migrations", library: "the migrations folder given to SchemaLedger")
  package static let loadExtension = say(
    commandLine: "--load-extension", library: "Configuration.extensions")
  package static let ledgerKey = say(
    commandLine: "--ledger-key-file PATH or SCHEMALEDGER_LEDGER_KEY_FILE",
    library: "Configuration.ledgerKey")
  package static func layout(_ name: String) -> String {
    say(
      commandLine: "--layout \(name)",
      library: "Configuration.layout = MigrationLayout(named: \"\(name)\")")
  }
  package static func placeholder(_ name: String) -> String {
    say(
      commandLine: "--placeholder \(name)=VALUE",
      library: "Configuration.placeholders[\"\(name)\"]")
  }
  package static let allowOutOfOrder = say(
    commandLine: "'schemaledger apply --allow-out-of-order'",
    library: "Configuration.allowOutOfOrder = true")
  package static let withoutRehearsalUp = say(
    commandLine: "run 'schemaledger apply' without --rehearse",
    library: "call migrate(rehearse: false)")
  package static let withoutRehearsalDown = say(
    commandLine: "run 'schemaledger rollback --no-rehearse'",
    library: "call rollback(_:rehearse: false)")

  private static let start = "\u{1}"
  private static let separator = "\u{1F}"
  private static let end = "\u{2}"

  /// `text` with each token replaced by its words for `audience`.
  package static func render(_ text: String, for audience: ErrorAudience) -> String {
    guard text.contains(start) else { return text }
    var result = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: Character(start)) {
      result += rest[..<open]
      let body = rest[rest.index(after: open)...]
      guard let close = body.firstIndex(of: Character(end)),
        let middle = body[..<close].firstIndex(of: Character(separator))
      else {
        result += body
        return result
      }
      result +=
        audience == .commandLine
        ? body[..<middle] : body[body.index(after: middle)..<close]
      rest = body[body.index(after: close)...]
    }
    return result + rest
  }
}

/// An error whose advice can be worded for its reader.
public protocol AudienceDescribable: CustomStringConvertible {
  /// The message for `audience`; `description` is the library's.
  func description(for audience: ErrorAudience) -> String
  /// The suggested next step for `audience`, or `nil`.
  func suggestedAction(for audience: ErrorAudience) -> String?
}

/// An error whose message is an `ErrorMessage`: its descriptions come from it.
package protocol MessageBacked: AudienceDescribable {
  /// The message with its advice, tokens not rendered yet.
  var message: ErrorMessage { get }
}

extension MessageBacked {
  /// What is wrong, where, what to do, in the library's words.
  public var description: String { message.text(for: .library) }

  /// The message worded for `audience` (flags at the command line, `Configuration` in the
  /// library).
  public func description(for audience: ErrorAudience) -> String {
    message.text(for: audience)
  }

  /// The suggested next step of `description`, on its own; `nil` when it has none.
  public var suggestedAction: String? { message.action(for: .library) }

  /// The suggested next step worded for `audience`.
  public func suggestedAction(for audience: ErrorAudience) -> String? {
    message.action(for: audience)
  }
}
