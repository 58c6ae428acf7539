import Foundation
import Testing

@testable import SchemaLedger

@Suite("The SQLite layer")
struct SQLiteConnectionTests {
  @Test("a missing folder is named in the error")
  func missingFolder() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("nope/app.sqlite").path
      #expect(throws: SQLiteError.directoryMissing(path: path)) {
        _ = try SQLiteConnection(path: path)
      }
      #expect(
        String(describing: SQLiteError.directoryMissing(path: path)).contains(
          "'\(path)': its folder does not exist"))
    }
  }

  @Test("a file that is not a database is named in the error, and the handle is closed")
  func notADatabase() throws {
    try withTemporaryDirectory { directory in
      let file = try directory.write(
        "app.sqlite", String(repeating: "this is not a database\n", count: 100))
      do {
        _ = try SQLiteConnection(path: file.path)
        Issue.record("opened a text file as a database")
      } catch let error as SQLiteError {
        guard case .notADatabase(let path, let code, _) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(path == file.path)
        #expect(code == 26)  // SQLITE_NOTADB
        #expect(String(describing: error).contains("is not a SQLite database"))
      }
    }
  }

  @Test("a read-only database refuses apply with a clear message, and writes nothing")
  func readOnly() throws {
    try withFixture { fixture in
      try fixture.migration("1_a.sql", "CREATE TABLE a (x);")
      try fixture.ledger().migrate()
      try fixture.migration("2_b.sql", "CREATE TABLE b (x);")
      let before = try fixture.ledgerRows()
      // File permissions do not stop root, so open the file read-only the way SQLite
      // sees a read-only file: through a `mode=ro` URI.
      let readOnlyPath = "file:\(fixture.databasePath)?mode=ro"
      let ledger = SchemaMigrator(
        databasePath: readOnlyPath, migrationsDirectory: fixture.migrations.path)
      #expect(try SQLiteConnection(path: readOnlyPath).isReadOnly)
      do {
        try ledger.migrate()
        Issue.record("applied to a read-only database")
      } catch let error as ExecutionError {
        let message = String(describing: error)
        #expect(message.contains("is read-only"))
        #expect(message.contains(fixture.databasePath))
        #expect(message.contains("'schemaledger status'"))
      }
      #expect(try fixture.ledgerRows() == before)
      // Reading still works.
      #expect(try ledger.status().entries.map(\.state) == [.applied, .pending])
    }
  }

  @Test("a script error reports the failing statement's byte offset")
  func scriptOffsets() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    let script = "CREATE TABLE a (x);\n\n-- comment; with a semicolon\nINSERT INTO nope VALUES (1);"
    do {
      try connection.executeScript(script)
      Issue.record("expected an error")
    } catch SQLiteError.statementFailed(_, let message, _, let offset) {
      #expect(message == "no such table: nope")
      #expect(script.lineNumber(atUTF8Offset: offset) == 4)
    }
    // The statement before the error ran (no transaction was open).
    var tables: [String] = []
    try connection.query("SELECT name FROM sqlite_master", []) { tables.append($0.text(0)!) }
    #expect(tables == ["a"])
  }

  @Test("a syntax error points at the offending token's line")
  func syntaxErrorLine() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    let script = "CREATE TABLE a (\n  x INTEGER,\n  y TEXT NOT NUL\n);"
    do {
      try connection.executeScript(script)
      Issue.record("expected an error")
    } catch SQLiteError.statementFailed(_, _, _, let offset) {
      #expect(script.lineNumber(atUTF8Offset: offset) == 3)
    }
  }

  @Test("comment-only scripts and trailing comments run without error")
  func commentsOnly() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript("-- nothing here\n/* still nothing */\n")
    try connection.executeScript("SELECT 1; -- trailing\n")
  }

  @Test("savepoints roll back only their own work")
  func savepoints() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.execute("CREATE TABLE t (x)")
    try connection.inTransaction {
      try connection.execute("INSERT INTO t VALUES (1)")
      _ = try? connection.inSavepoint("inner") {
        try connection.execute("INSERT INTO t VALUES (2)")
        throw CancellationError()
      }
    }
    var values: [Int64] = []
    try connection.query("SELECT x FROM t", []) { values.append($0.int64(0)!) }
    #expect(values == [1])
  }

  @Test("values are bound, never interpolated")
  func binding() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.execute("CREATE TABLE t (a, b, c, d)")
    let tricky = "'); DROP TABLE t; --"
    try connection.execute(
      "INSERT INTO t VALUES (?, ?, ?, ?)", [.text(tricky), .integer(42), .real(1.5), .null])
    var row: [String?] = []
    try connection.query("SELECT a, b, c, d FROM t", []) {
      row = [$0.text(0), $0.int64(1).map(String.init), $0.double(2).map { "\($0)" }, $0.text(3)]
    }
    #expect(row == [tricky, "42", "1.5", nil])
  }

  @Test("a write blocked past the busy timeout is SQLITE_BUSY, naming the option to wait longer")
  func busyTimeout() throws {
    try withTemporaryDirectory { directory in
      let path = directory.appendingPathComponent("app.sqlite").path
      let holder = try SQLiteConnection(path: path)
      try holder.execute("CREATE TABLE t (x)")
      try holder.beginImmediate()
      defer { holder.rollback() }
      let other = try SQLiteConnection(path: path, busyTimeout: 0.05)
      do {
        try other.beginImmediate()
        Issue.record("took a write lock that was held")
      } catch let error as SQLiteError {
        #expect(error.extendedCode == 5)
        #expect(String(describing: error).contains("Configuration.lockTimeout"))
        #expect(error.description(for: .commandLine).contains("--lock-timeout"))
      }
    }
  }

  @Test("an extension that does not exist is reported with its path")
  func missingExtension() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    #expect(throws: SQLiteError.self) { try connection.loadExtension("/nonexistent/ext.so") }
    do {
      try connection.loadExtension("/nonexistent/ext.so")
    } catch {
      #expect(String(describing: error).contains("/nonexistent/ext.so"))
    }
  }

  // MARK: - Guarded scripts (the authorizer)

  private static let ledgerGuard = ScriptGuard(protectedPrefix: "schemaledger_")

  @Test("a guarded script refuses a protected object, located at its statement")
  func guardedScriptRefuses() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.executeScript("CREATE TABLE schemaledger_t (x); CREATE TABLE app (x);")
    let script = "INSERT INTO app VALUES (1);\n  DELETE FROM schemaledger_t;"
    do {
      try connection.executeScript(script, heartbeat: nil, guardedBy: Self.ledgerGuard)
      Issue.record("expected a refusal")
    } catch SQLiteError.statementRefused(let refusal, _, let offset) {
      #expect(
        refusal
          == .protectedObject(
            action: "deletes from the table schemaledger_t", object: "schemaledger_t"))
      #expect(offset == 30)  // the statement's first token, on line 2
      #expect(script.lineNumber(atUTF8Offset: offset) == 2)
    }
    #expect(
      SQLiteError.statementRefused(.writableSchema, sql: "", offset: 0).codeName == "SQLITE_AUTH")
  }

  @Test("the guard judges only its script: statements after it are allowed again")
  func guardIsOffAfterScript() throws {
    let connection = try SQLiteConnection(path: ":memory:")
    try connection.execute("CREATE TABLE schemaledger_t (x)")
    #expect(throws: SQLiteError.self) {
      try connection.executeScript(
        "INSERT INTO schemaledger_t VALUES (1)", heartbeat: nil, guardedBy: Self.ledgerGuard)
    }
    try connection.execute("INSERT INTO schemaledger_t VALUES (2)")
    try connection.executeScript("INSERT INTO schemaledger_t VALUES (3)")
    // A read in a guarded script is allowed.
    try connection.executeScript(
      "SELECT count(*) FROM schemaledger_t", heartbeat: nil, guardedBy: Self.ledgerGuard)
    var rows: [String] = []
    try connection.query("SELECT x FROM schemaledger_t", []) { rows.append($0.text(0) ?? "") }
    #expect(rows == ["2", "3"])
  }

  @Test("a confined script may not attach a file, but may use private databases")
  func confinedScript() throws {
    try withTemporaryDirectory { directory in
      let connection = try SQLiteConnection(path: ":memory:")
      let other = directory.appendingPathComponent("other.sqlite").path
      let confined = ScriptGuard(confined: true)
      let attach = "ATTACH DATABASE '\(other)' AS other"
      #expect(
        throws: SQLiteError.statementRefused(.attachesFile(path: other), sql: attach, offset: 0)
      ) {
        try connection.executeScript(attach, heartbeat: nil, guardedBy: confined)
      }
      #expect(!FileManager.default.fileExists(atPath: other))
      try connection.executeScript(
        "ATTACH ':memory:' AS work; CREATE TABLE work.t (x); INSERT INTO work.t VALUES (1);",
        heartbeat: nil, guardedBy: confined)
      // Attached unguarded, another file may not be written by a confined script.
      try connection.execute("ATTACH DATABASE ? AS other", [.text(other)])
      do {
        try connection.executeScript(
          "CREATE TABLE other.t (x)", heartbeat: nil, guardedBy: confined)
        Issue.record("expected a refusal")
      } catch SQLiteError.statementRefused(let refusal, _, _) {
        #expect(refusal == .writesOtherDatabase(name: "other"))
      }
    }
  }

  @Test("a borrowed connection runs a guarded script unguarded (its owner's authorizer stays)")
  func borrowedIsUnguarded() throws {
    let owner = try SQLiteConnection(path: ":memory:")
    try owner.execute("CREATE TABLE schemaledger_t (x)")
    let borrowed = SQLiteConnection(borrowing: owner.handle)
    try borrowed.executeScript(
      "INSERT INTO schemaledger_t VALUES (1)", heartbeat: nil, guardedBy: Self.ledgerGuard)
  }
}
