import Foundation
import Testing

@testable import SchemaLedger
@testable import SchemaLedgerPostgres

/// Under CI (`SCHEMALEDGER_REQUIRE_POSTGRES=1`), the PostgreSQL suites must run: a machine
/// without the server packages fails here instead of skipping them quietly.
@Suite("PostgreSQL availability")
struct PostgresAvailabilityTests {
  @Test("the throwaway server starts (required under CI)")
  func serverStarts() {
    guard let reason = PostgresServer.unavailableReason else { return }
    if ProcessInfo.processInfo.environment["SCHEMALEDGER_REQUIRE_POSTGRES"] == "1" {
      Issue.record("SCHEMALEDGER_REQUIRE_POSTGRES=1, but \(reason)")
    } else {
      FileHandle.standardError.write(Data("\n*** \(reason) ***\n\n".utf8))
    }
  }
}

/// The ledger store, unchanged, on PostgreSQL: the engine seam carries the ledger's DDL,
/// its catalog and its statements. Each test runs straight on the server and through
/// PgBouncer in transaction-pooling mode.
@Suite(
  "The ledger on PostgreSQL",
  .enabled(if: PostgresServer.isAvailable, "needs the throwaway PostgreSQL server"))
struct PostgresLedgerTests {
  private let actor = LedgerActor(user: "ops", host: "db1", pid: 7)

  private func connect(pooled: Bool) throws -> PostgresConnection {
    let server = try PostgresServer.shared.get()
    return try PostgresConnection(
      conninfo: server.conninfo(database: try server.makeDatabase(), pooled: pooled))
  }

  private func events(count: Int) -> [LedgerEvent] {
    (1...count).map { index in
      LedgerEvent(
        kind: .applied, migration: String(format: "%03d_t", index),
        version: MigrationVersion("\(index)"), direction: .up, checksum: "c\(index)",
        runID: "r1", actor: actor, recordedAt: "2026-12-02T06:00:0\(index).000Z",
        transactional: true,
        sql: "CREATE TABLE t\(index) (x int);", downSQL: "DROP TABLE t\(index);")
    }
  }

  @Test("the ledger is created in its own schema, with its guards", arguments: [false, true])
  func creates(pooled: Bool) throws {
    let connection = try connect(pooled: pooled)
    let store = LedgerStore(connection: connection)
    #expect(try !store.exists())
    try store.prepare(runID: "r1", actor: actor)
    #expect(try store.exists())
    let objects = try connection.catalogObjects(.named(prefix: "schemaledger_"))
    #expect(
      Set(objects.filter { $0.type == "table" }.map(\.name))
        == ["schemaledger_events", "schemaledger_meta", "schemaledger_sql"])
    #expect(Set(objects.filter { $0.type == "trigger" }.map(\.name)).count == 6)
    #expect(try store.presentTriggers() == store.expectedTriggers())
    // The application's schema does not see the ledger.
    #expect(try connection.catalogObjects(.notNamed(prefix: "schemaledger_")).isEmpty)
    var schemas: [String] = []
    try connection.query(
      "SELECT table_schema FROM information_schema.tables WHERE table_name = ?",
      [.text("schemaledger_events")]
    ) { schemas.append($0.text(0) ?? "") }
    #expect(schemas == ["schemaledger"])
  }

  @Test("events are appended with the same hash chain as on SQLite", arguments: [false, true])
  func appends(pooled: Bool) throws {
    let connection = try connect(pooled: pooled)
    let store = LedgerStore(connection: connection)
    try store.prepare(runID: "r1", actor: actor)
    let stored = try connection.inTransaction { try store.append(events(count: 3)) }
    store.noteCommitted(stored)
    var read: [LedgerEvent] = []
    try store.forEachEvent { read.append($0) }
    #expect(read == stored)
    var chain = ChainVerifier(key: nil)
    for event in read { chain.check(event) }
    #expect(chain.firstBreak == nil && chain.count == 3)
    // The same events written to a SQLite ledger hash the same: one format, one chain.
    let sqlite = LedgerStore(connection: try SQLiteConnection(path: ":memory:"))
    try sqlite.prepare(runID: "r1", actor: actor)
    let onSQLite = try sqlite.append(events(count: 3))
    #expect(onSQLite.map(\.hash) == stored.map(\.hash))
    // A second store (another process) reads the tail and goes on from it.
    let again = LedgerStore(connection: connection)
    try again.prepare(runID: "r2", actor: actor)
    #expect(again.lastSeq == 3)
  }

  @Test("the server refuses UPDATE, DELETE and TRUNCATE of events", arguments: [false, true])
  func appendOnly(pooled: Bool) throws {
    let connection = try connect(pooled: pooled)
    let store = LedgerStore(connection: connection)
    try store.prepare(runID: "r1", actor: actor)
    try connection.inTransaction { _ = try store.append(events(count: 1)) }
    for statement in [
      "UPDATE schemaledger.schemaledger_events SET kind = 'x'",
      "DELETE FROM schemaledger.schemaledger_events",
      "TRUNCATE schemaledger.schemaledger_events",
      "DELETE FROM schemaledger.schemaledger_sql",
    ] {
      #expect {
        try connection.executeScript(statement)
      } throws: { error in
        String(describing: error).contains("is append-only")
      }
    }
    var count: Int64 = 0
    try connection.query("SELECT count(*) FROM schemaledger_events", []) {
      count = $0.int64(0) ?? 0
    }
    #expect(count == 1)
  }

  @Test("a failing script names where it failed")
  func scriptFailure() throws {
    let connection = try connect(pooled: false)
    let script = "CREATE TABLE a (x int);\nSELECT * FROM nope;\n"
    do {
      try connection.executeScript(script)
      Issue.record("expected a failure")
    } catch let error as PostgresError {
      #expect(error.sqlState == "42P01")
      #expect(
        error.offset
          == script.utf8.distance(
            from: script.startIndex, to: script.range(of: "nope")!.lowerBound))
    }
    // Outside a transaction each statement commits on its own, as on SQLite: the first
    // stays; inside one, nothing does.
    #expect(try connection.catalogObjects(.notNamed(prefix: "schemaledger_")).map(\.name) == ["a"])
    try connection.beginImmediate()
    #expect(throws: PostgresError.self) {
      try connection.executeScript("CREATE TABLE b (x int);\nSELECT * FROM nope;\n")
    }
    connection.rollback()
    #expect(try connection.catalogObjects(.notNamed(prefix: "schemaledger_")).map(\.name) == ["a"])
  }

  @Test(
    "writes deferred to the commit keep every value exactly; a rollback drops them",
    arguments: [false, true])
  func deferredWrites(pooled: Bool) throws {
    let connection = try connect(pooled: pooled)
    try connection.executeScript("CREATE TABLE kept (seq bigint PRIMARY KEY, v text, r float8)")
    let values = [
      "it's", "back\\slash \\n", "$$ dollar $tag$", "line\nbreak\ttab", "ünï 🙂", "", "?",
    ]
    try connection.beginImmediate()
    for (index, value) in values.enumerated() {
      try connection.execute(
        "INSERT INTO kept (seq, v, r) VALUES (?, ?, ?)",
        [.integer(Int64(index)), .text(value), .real(0.1 * Double(index))])
    }
    try connection.execute("INSERT INTO kept (seq, v) VALUES (?2, ?1)", [.null, .integer(99)])
    try connection.commit()
    var read: [String] = []
    var reals: [Double] = []
    try connection.query("SELECT v, r FROM kept WHERE seq < 99 ORDER BY seq", []) {
      read.append($0.text(0) ?? "NULL")
      reals.append(Double($0.text(1) ?? "") ?? -1)
    }
    #expect(read == values)
    #expect(reals == values.indices.map { 0.1 * Double($0) })
    var null: String?
    try connection.query("SELECT coalesce(v, 'null') FROM kept WHERE seq = 99", []) {
      null = $0.text(0)
    }
    #expect(null == "null")
    try connection.beginImmediate()
    try connection.execute("INSERT INTO kept (seq) VALUES (?)", [.integer(100)])
    connection.rollback()
    var count: Int64?
    try connection.query("SELECT count(*) FROM kept", []) { count = $0.int64(0) }
    #expect(count == Int64(values.count + 1))
  }

  @Test("a deferred event that loses the race for its seq is 'another runner got there first'")
  func deferredRace() throws {
    let connection = try connect(pooled: false)
    try connection.executeScript(
      "CREATE TABLE races (seq bigint PRIMARY KEY); INSERT INTO races VALUES (7);")
    try connection.beginImmediate()
    try connection.execute("INSERT INTO races (seq) VALUES (?)", [.integer(7)])
    #expect(throws: LedgerError.concurrentAppend(database: connection.location, seq: 7)) {
      try connection.commit()
    }
    connection.rollback()
    #expect(!connection.isInTransaction)
  }
}

/// The ledger's statements as PostgreSQL runs them (no server needed).
@Suite("PostgreSQL statement rewriting")
struct PostgresStatementTests {
  @Test("placeholders are numbered, ledger names qualified, quotes and comments kept")
  func rewrites() {
    #expect(
      PostgresStatement.rewrite(
        "SELECT seq FROM schemaledger_events WHERE kind = ? AND detail <> '?' -- ?\n"
          + "AND migration = ? AND x.schemaledger_sql = \"schemaledger_meta\"",
        ledgerSchema: "ledger")
        == "SELECT seq FROM \"ledger\".schemaledger_events WHERE kind = $1 AND detail <> '?' "
        + "-- ?\nAND migration = $2 AND x.schemaledger_sql = \"schemaledger_meta\"")
  }

  @Test("SQLite's numbered ?NNN keeps its number")
  func numbered() {
    #expect(
      PostgresStatement.rewrite("SELECT seq FROM t WHERE a = ?1 OR b = ?1", ledgerSchema: "s")
        == "SELECT seq FROM t WHERE a = $1 OR b = $1")
  }
}

/// libpq's messages as SchemaLedger's sentences quote them (no server needed).
@Suite("PostgreSQL messages")
struct PostgresMessageTests {
  @Test("libpq's lines are joined into one, without the final period")
  func oneLine() {
    #expect(
      PostgresConnection.oneLine(
        "FATAL:  terminating connection due to administrator command\n"
          + "server closed the connection unexpectedly\n"
          + "\tThis probably means the server terminated abnormally\n"
          + "\tbefore or while processing the request.\n")
        == "FATAL: terminating connection due to administrator command; server closed the "
        + "connection unexpectedly; This probably means the server terminated abnormally "
        + "before or while processing the request")
    #expect(PostgresConnection.oneLine("") == "")
    #expect(PostgresConnection.oneLine("no newline") == "no newline")
  }
}

/// The ledger's DDL on PostgreSQL (no server needed).
@Suite("PostgreSQL ledger DDL")
struct PostgresLedgerDDLTests {
  @Test("every guard trigger has the statement that restores it, in the ledger's schema")
  func restoreStatements() {
    let ddl = PostgresLedgerDDL.ddl(schema: "audit")
    for name in PostgresLedgerDDL.guardTriggers {
      let statement = ddl.triggerDefinition(named: name)
      #expect(statement?.hasPrefix("CREATE OR REPLACE TRIGGER \(name)\n") == true, "\(name)")
      #expect(statement?.contains("ON \"audit\".") == true, "\(name)")
    }
  }
}
