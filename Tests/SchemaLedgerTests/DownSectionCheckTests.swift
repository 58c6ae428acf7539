import Testing

@testable import SchemaLedger

/// Which applied migrations' files no longer hold the down SQL a rollback would run,
/// without a database: the recorded texts come from a dictionary.
@Suite("Down-section check")
struct DownSectionCheckTests {
  private let actor = LedgerActor(user: "ops", host: "db1", pid: 1)

  private func source(down: String = "DROP TABLE a;") throws -> MigrationSource {
    try MigrationSource(files: [
      ("001_a.sql", "-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\n\(down)\n"),
      ("002_b.sql", "CREATE TABLE b (x);"),
      ("003_c.sql", "-- migrate:up\nCREATE TABLE c (x);\n-- migrate:down\nDROP TABLE c;\n"),
    ])
  }

  /// 001 and 002 applied from `source` (003 pending); returns the state and the down SQL
  /// each applied event recorded, by `seq`.
  private func applied(from source: MigrationSource) -> (LedgerState, [Int64: String]) {
    var recorded: [Int64: String] = [:]
    let events = source.migrations.prefix(2).enumerated().map { index, migration in
      let seq = Int64(index + 1)
      recorded[seq] = migration.downSQL
      return LedgerEvent(
        kind: .applied, migration: migration.id, version: migration.version.recorded,
        direction: .up, checksum: migration.checksum, runID: "r1", actor: actor,
        transactional: true, sql: migration.upSQL, downSQL: migration.downSQL, seq: seq)
    }
    return (LedgerProjection.state(of: events), recorded)
  }

  @Test("files as applied: nothing is edited")
  func unchanged() throws {
    let source = try source()
    let (state, recorded) = applied(from: source)
    #expect(DownSectionCheck.edited(state: state, source: source) { recorded[$0] } == [])
  }

  @Test("an applied migration whose down section changed is named; a pending one is not")
  func editedDownSection() throws {
    let (state, recorded) = applied(from: try source())
    let edited = try source(down: "DROP TABLE IF EXISTS a;")
    #expect(DownSectionCheck.edited(state: state, source: edited) { recorded[$0] } == ["001_a"])
    let record = try #require(state.migrations["001_a"])
    #expect(DownSectionCheck.isEdited(record, edited.migrations[0]) { recorded[$0] })
    #expect(!DownSectionCheck.isEdited(record, try source().migrations[0]) { recorded[$0] })
  }
}
