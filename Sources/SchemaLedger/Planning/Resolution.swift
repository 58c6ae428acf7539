/// How `resolve` settles a migration in doubt.
public enum Resolution: String, Sendable {
  /// The operator finished it by hand: treat it as applied.
  case applied
  /// The operator undid it by hand: treat it as not applied.
  case rolledBack = "rolled-back"
}
