import Foundation
import Testing

@_spi(Benchmark) @testable import SchemaLedger

/// The benchmark builds S6's long ledger with `LedgerBulkAppender` (the library's append
/// path, many events per transaction), not with a second implementation of the chain.
@Suite("The benchmark's ledger writer")
struct BenchmarkLedgerTests {
  /// Synthetic events like S6's: planned, then started + applied, for `count` migrations.
  static func syntheticEvents(count: Int) -> [LedgerEvent] {
    let actor = LedgerActor(user: "bench", host: "h", pid: 1)
    var events: [LedgerEvent] = []
    for index in 1...count {
      let up = "CREATE TABLE t_\(index) (id INTEGER PRIMARY KEY);"
      func event(_ kind: EventKind, _ millisecond: Int) -> LedgerEvent {
        LedgerEvent(
          kind: kind, migration: "\(index)_t", version: MigrationVersion(Int64(100 + index)),
          direction: .up, checksum: SHA256.hexDigest(up), runID: "run", actor: actor,
          recordedAt: "2026-03-01T00:00:00.\(String(1000 + millisecond).suffix(3))Z",
          transactional: true, sql: kind == .started ? nil : up,
          downSQL: kind == .applied ? "DROP TABLE t_\(index);" : nil)
      }
      events += [event(.planned, index), event(.started, index), event(.applied, index)]
    }
    return events
  }

  /// Every row of the ledger's tables and its head anchor, as text.
  static func rows(_ path: String) throws -> [String] {
    let connection = try SQLiteConnection(path: path, mode: .readOnly)
    var rows: [String] = []
    for sql in [
      "SELECT * FROM schemaledger_events ORDER BY seq", "SELECT * FROM schemaledger_sql",
      "SELECT * FROM schemaledger_meta WHERE key = 'head'",
    ] {
      try connection.query(sql, []) { row in
        rows.append((0..<25).map { row.text($0) ?? "NULL" }.joined(separator: "|"))
      }
    }
    return rows
  }

  @Test("LedgerBulkAppender writes exactly the rows LedgerStore.append writes; the chain holds")
  func identicalRows() throws {
    try withFixture { fixture in
      try fixture.migration(
        "1_a.sql", Fixture.dbmate(up: "CREATE TABLE a (x);", down: "DROP TABLE a;"))
      try fixture.ledger().migrate()
      let copy = fixture.directory.appendingPathComponent("copy.sqlite").path
      try FileManager.default.copyItem(atPath: fixture.databasePath, toPath: copy)
      let events = Self.syntheticEvents(count: 40)

      let bulk = try LedgerBulkAppender(
        databasePath: fixture.databasePath, eventsPerTransaction: 50)
      for event in events { try bulk.append(event) }
      try bulk.finish()

      let store = LedgerStore(connection: try SQLiteConnection(path: copy))
      try store.checkFormat()
      try store.reloadTail()
      for event in events { try store.connection.inTransaction { _ = try store.append(event) } }

      #expect(try Self.rows(fixture.databasePath) == Self.rows(copy))
      #expect(try fixture.query("SELECT count(*) FROM schemaledger_sql") == ["\(2 + 2 * 40)"])
      var chain = ChainVerifier()
      try fixture.ledger().forEachEvent { chain.check($0) }
      #expect(chain.firstBreak == nil)
      #expect(chain.count == 3 * 41)
      // A writer accepts the ledger (head anchor, last hash).
      let writer = LedgerStore(connection: try SQLiteConnection(path: fixture.databasePath))
      try writer.checkFormat()
      try writer.checkIntegrity()
    }
  }
}
