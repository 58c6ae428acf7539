/// A mistake in how the command was called. Printed with the usage line; exit 64.
struct UsageError: Error, CustomStringConvertible {
  /// What is wrong, in one sentence.
  var message: String
  /// The command whose usage to show (`nil`: the tool's).
  var command: String?

  var description: String { message }
}
