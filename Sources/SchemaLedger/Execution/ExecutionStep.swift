/// One migration to run in one direction: what the executor needs, whether it came from
/// a file (apply) or from the ledger (rollback).
public struct ExecutionStep: Sendable, Equatable {
  /// The migration id.
  public var migration: String
  /// Its version.
  public var version: MigrationVersion
  /// The up SQL's checksum (recorded on every event of the step).
  public var checksum: String?
  /// Up (apply) or down (rollback).
  public var direction: Direction
  /// The SQL to run.
  public var sql: String
  /// Where `sql` comes from, so an error can name the line.
  public var location: SourceLocation
  /// Why the SQL runs outside SchemaLedger's transaction; `nil` when it runs inside.
  public var outsideReason: String?
  /// On apply: the down SQL to record with the `applied` event.
  public var recordedDownSQL: String?
  /// On apply: the ids it depends on, recorded for rollback ordering.
  public var dependencies: [String] = []
  /// A remark recorded in the events' `detail` (for example that it ran out of order).
  public var note: String?
  /// On the rollback of a repeatable migration applied again: the checksum of the
  /// application it puts back in force, recorded on the `rolled_back` event.
  public var restoredChecksum: String? = nil

  /// `true` when the SQL runs inside SchemaLedger's transaction.
  public var isTransactional: Bool { outsideReason == nil }

  /// Applying `migration` from its file; `outOfOrderAfter` names the newest applied
  /// migration when this one is older. `previousSQL` is the SQL of a repeatable
  /// migration's application in force: recorded as this application's down SQL, so a
  /// rollback restores it.
  public static func up(
    _ migration: Migration, outOfOrderAfter: String? = nil, previousSQL: String? = nil
  ) -> ExecutionStep {
    var reason: String?
    if case .outside(let why) = migration.transactionMode { reason = why }
    var notes: [String] = []
    if migration.isRepeatable {
      notes.append(previousSQL == nil ? "repeatable" : "repeatable: applied again")
    }
    if migration.hasNoStatements { notes.append("no statements") }
    if !migration.placeholders.isEmpty {
      notes.append("placeholders: " + migration.placeholders.joined(separator: ", "))
    }
    if let outOfOrderAfter { notes.append("out of order: applied after \(outOfOrderAfter)") }
    return ExecutionStep(
      migration: migration.id, version: migration.version, checksum: migration.checksum,
      direction: .up, sql: migration.upSQL, location: migration.upLocation,
      outsideReason: reason, recordedDownSQL: previousSQL ?? migration.downSQL,
      dependencies: migration.dependencies,
      note: notes.isEmpty ? nil : notes.joined(separator: "; "))
  }

  /// Rolling back a planned step with its recorded down SQL (which must be loaded).
  static func down(_ step: RollbackPlan.Step) -> ExecutionStep {
    let sql = step.downSQL ?? ""
    return ExecutionStep(
      migration: step.migration, version: step.version, checksum: step.checksum,
      direction: .down, sql: sql,
      location: .recordedDownSQL(seq: step.appliedSeq, migration: step.migration),
      outsideReason: step.outsideReason ?? MigrationFileParser.transactionControlReason(in: sql),
      recordedDownSQL: nil,
      note: step.restoredChecksum == nil ? nil : "repeatable: restores the previous application",
      restoredChecksum: step.restoredChecksum)
  }
}
