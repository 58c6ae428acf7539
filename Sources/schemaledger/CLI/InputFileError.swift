import SchemaLedger

/// A file named by an option could not be read (a runtime error, exit 1: the option was
/// well formed).
struct InputFileError: Error, MessageBacked {
  /// The option that named the file (`ledger-key-file`).
  var option: String
  /// The file.
  var path: String
  /// Why it could not be used.
  var reason: String

  var message: ErrorMessage {
    ErrorMessage(
      "--\(option): cannot use '\(path)': \(reason). ",
      action: "Check the path and its permissions.")
  }
}
