/// An error's message and the suggested next step it contains: `text` is the message as
/// printed (the error's `description`), `action` the words of that step on their own,
/// with a capital first letter. Built from the parts around the step, so the two can
/// never say different things.
package struct ErrorMessage: Sendable, Equatable {
  /// The whole message.
  package let text: String
  /// The suggested next step, as the message words it; `nil` when it suggests none.
  package let action: String?

  /// `before + action + after` as the message; `action` alone as the step.
  package init(_ before: String, action: String? = nil, after: String = "") {
    text = before + (action ?? "") + after
    self.action = action.map { $0.prefix(1).uppercased() + $0.dropFirst() }
  }

  /// The message with its settings worded for `audience` (`Remedy`).
  package func text(for audience: ErrorAudience) -> String {
    Remedy.render(text, for: audience)
  }

  /// The suggested step with its settings worded for `audience`.
  package func action(for audience: ErrorAudience) -> String? {
    action.map { Remedy.render($0, for: audience) }
  }
}
