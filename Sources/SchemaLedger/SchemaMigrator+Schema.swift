/// The schema file teams keep beside their migrations (as dbmate and Rails do): the live
/// schema in a stable, canonical form, and the check that a committed file still matches
/// both the database and the schema the ledger's SQL produces.
extension SchemaMigrator {
  /// The live application schema in canonical form: the text `replay --schema` prints
  /// (`SchemaSnapshot.ddl`). An empty text for a database that does not exist yet.
  public func liveSchema() throws -> SchemaSnapshot {
    guard let connection = try openExisting() else { return SchemaSnapshot(objects: []) }
    return try SchemaSnapshot.read(from: connection)
  }

  /// What differs between `expected` (a schema file's text) and the live schema, and
  /// between it and the schema replayed from the ledger: one list each, empty when they
  /// match. Only comments and runs of whitespace in the file are ignored.
  public func checkSchema(expected text: String) throws -> SchemaCheck {
    // The file's statements run in an empty scratch database, which the engine then
    // describes exactly as it describes the live one (never in the live database).
    let scratch = try openExisting()?.emptyScratchDatabase() ?? open(.readOnlyMemory)
    try scratch.executeScript(text)
    let expected = try SchemaSnapshot.read(from: scratch)
    let replayed = try replay(schema: true).schema ?? SchemaSnapshot(objects: [])
    return SchemaCheck(
      live: expected.differences(from: try liveSchema()),
      replayed: expected.differences(from: replayed))
  }

  /// Rolls back the most recently applied migration with its recorded down SQL, then
  /// applies again up to its version (the everyday loop while writing a migration).
  /// Returns both runs' reports; throws like `rollback(_:)` and `migrate(to:)`.
  public func redo() throws -> (rolledBack: RunReport, applied: RunReport) {
    // The folder must be usable before anything is rolled back: a redo that rolls back,
    // then cannot apply again, would leave the migration rolled back.
    _ = try source()
    let rolledBack = try rollback(.steps(1))
    guard let step = rolledBack.steps.first else { return (rolledBack, rolledBack) }
    let applied =
      step.version.isRepeatable ? try migrate() : try migrate(to: step.version)
    return (rolledBack, applied)
  }
}

/// What `checkSchema(expected:)` found: the differences from the file to the live schema
/// and to the ledger's replayed schema.
public struct SchemaCheck: Sendable, Equatable {
  /// How the live schema differs from the file.
  public var live: [SchemaSnapshot.Difference]
  /// How the schema replayed from the ledger differs from the file.
  public var replayed: [SchemaSnapshot.Difference]

  /// `true` when both match the file.
  public var matches: Bool { live.isEmpty && replayed.isEmpty }
}
