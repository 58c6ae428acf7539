import Foundation
import Testing

@testable import SchemaLedger

/// A migration run outside a transaction that opens its own and never ends it: the open
/// transaction is rolled back, and the failure is SchemaLedger's finding, not a SQLite
/// error it did not raise.
@Suite("A migration's own transaction left open")
struct OwnTransactionTests {
  private let migration =
    "-- migrate:up transaction:false\nCREATE TABLE a (x);\nBEGIN;\nCREATE TABLE b (x);\n"

  @Test("the library: a typed error at the file, what ran before BEGIN stays, the rest is undone")
  func library() throws {
    try withFixture { fixture in
      try fixture.migration("001_ok.sql", "CREATE TABLE ok (x);")
      try fixture.migration("002_open.sql", migration)
      do {
        try fixture.ledger().migrate()
        Issue.record("expected a failure")
      } catch ExecutionError.transactionLeftOpen(let id, .up, let location, let before) {
        #expect(id == "002_open")
        #expect(location.file.hasSuffix("migrations/002_open.sql"))
        #expect(before == ["001_ok"])
      }
      #expect(try fixture.schemaObjects() == ["table a", "table ok"])
      let failed = try #require(try fixture.events().last)
      #expect(failed.kind == .failed && failed.migration == "002_open")
      #expect(failed.transactional == false)
      #expect(
        failed.error?.hasSuffix(
          "002_open.sql:2: the SQL left its own transaction open (BEGIN without COMMIT)")
          == true)
      // SQLite raised nothing: no SQLite result code is recorded.
      #expect(failed.errorCode == nil)
      #expect(failed.detail == "ran outside a transaction; may be partly done")
    }
  }

  @Test("the tool: exit 1, the file, what was undone and what to do")
  func commandLine() throws {
    try withFixture { fixture in
      try fixture.migration("001_open.sql", migration)
      let result = try fixture.cli(["apply"])
      #expect(result.status == 1)
      #expect(
        result.stderr.contains(
          "001_open.sql:2: the SQL left its own transaction open (BEGIN without COMMIT)"))
      #expect(result.stderr.contains("the statements after its BEGIN are not in the database"))
      #expect(result.stderr.contains("End the migration's own transaction with COMMIT"))
      #expect(!result.stderr.contains("SQLITE_ERROR"))
    }
  }
}
