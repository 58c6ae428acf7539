/// What `SchemaMigrator.plan(to:)` says `migrate(to:)` would do now.
public struct ApplyPreview: Sendable {
  /// The migrations it would apply, in order.
  public var plan: ApplyPlan
  /// The interrupted attempts of earlier runs it would record first.
  public var interrupted: [UnfinishedAttempt]

  public init(plan: ApplyPlan, interrupted: [UnfinishedAttempt]) {
    self.plan = plan
    self.interrupted = interrupted
  }
}
