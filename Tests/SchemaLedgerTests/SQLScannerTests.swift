import Foundation
import Testing

@testable import SchemaLedger

@Suite("SQL scanner")
struct SQLScannerTests {
  /// The first two words of each statement SQLScanner finds in `sql`.
  func leadingWords(_ sql: String) -> [[String]] {
    SQLScanner.statements(in: sql).map(\.leadingWords)
  }

  /// The text of each statement from its first token up to the next statement's.
  func statementStarts(_ sql: String) -> [String] {
    let bytes = Array(sql.utf8)
    return SQLScanner.statements(in: sql).map {
      String(decoding: bytes[$0.offset...].prefix(12), as: UTF8.self)
    }
  }

  // MARK: - Splitting statements

  @Test("Statements split at semicolons, with byte offsets and two leading words")
  func simpleSplit() {
    let sql = "CREATE TABLE a (x);\ncreate index a_x on a(x);\nDROP VIEW v"
    let statements = SQLScanner.statements(in: sql)
    #expect(
      statements == [
        SQLScanner.Statement(offset: 0, leadingWords: ["CREATE", "TABLE"]),
        SQLScanner.Statement(offset: 20, leadingWords: ["CREATE", "INDEX"]),
        SQLScanner.Statement(offset: 46, leadingWords: ["DROP", "VIEW"]),
      ])
  }

  @Test("A single-word statement has one leading word")
  func singleWord() {
    #expect(leadingWords("COMMIT;\nvacuum") == [["COMMIT"], ["VACUUM"]])
  }

  @Test("Empty text, whitespace and comments hold no statements")
  func noStatements() {
    #expect(SQLScanner.statements(in: "").isEmpty)
    #expect(SQLScanner.statements(in: " \n\t\r\n").isEmpty)
    #expect(SQLScanner.statements(in: "-- only a comment\n/* and; another */\n").isEmpty)
  }

  @Test("Comments before and after statements are skipped")
  func commentsAroundStatements() {
    let sql = "-- header; with a semicolon\n/* block; */ SELECT 1; -- trailing; note\n"
    let statements = SQLScanner.statements(in: sql)
    #expect(statements.map(\.leadingWords) == [["SELECT", "1"]])
    #expect(statements.first?.offset == sql.utf8.count - "SELECT 1; -- trailing; note\n".utf8.count)
  }

  @Test(
    "Semicolons inside quoted strings and identifiers do not split",
    arguments: [
      "INSERT INTO t VALUES ('a;b');\nSELECT 2;",
      "INSERT INTO t VALUES ('it''s; fine');\nSELECT 2;",
      "SELECT \"odd;name\" FROM t;\nSELECT 2;",
      "SELECT \"say \"\"hi;\"\"\" FROM t;\nSELECT 2;",
      "SELECT [odd;name] FROM t;\nSELECT 2;",
      "SELECT `odd;name` FROM t;\nSELECT 2;",
      "SELECT `a``;b` FROM t;\nSELECT 2;",
    ])
  func quotedSemicolons(_ sql: String) {
    #expect(leadingWords(sql).count == 2)
    #expect(leadingWords(sql).last == ["SELECT", "2"])
  }

  @Test("Semicolons inside comments within a statement do not split")
  func commentedSemicolons() {
    let sql = """
      SELECT 1, -- one; two
        2 /* three; four */, 3;
      SELECT 'next';
      """
    #expect(leadingWords(sql) == [["SELECT", "1"], ["SELECT"]])
  }

  @Test("Quotes and comments hide keywords from the leading words")
  func quotedKeywords() {
    #expect(leadingWords("'BEGIN'; \"COMMIT\"; [END]; `VACUUM`;") == [[], [], [], []])
    #expect(leadingWords("/* BEGIN */ UPDATE t SET x = 1;") == [["UPDATE", "T"]])
  }

  @Test("An unterminated quote or comment runs to the end of the text")
  func unterminated() {
    #expect(leadingWords("SELECT 'open; quote;\nSELECT 2;") == [["SELECT"]])
    #expect(leadingWords("SELECT 1 /* open; comment;\nSELECT 2;") == [["SELECT", "1"]])
  }

  // MARK: - Triggers

  @Test("A CREATE TRIGGER body is one statement")
  func triggerBody() {
    let sql = """
      CREATE TRIGGER audit AFTER INSERT ON users
      BEGIN
        INSERT INTO audit_log (action) VALUES ('insert; with semicolon');
        UPDATE counters SET n = n + 1;
      END;
      COMMIT;
      """
    #expect(leadingWords(sql) == [["CREATE", "TRIGGER"], ["COMMIT"]])
  }

  @Test("TEMP and IF NOT EXISTS triggers are recognised, in any case")
  func triggerVariants() {
    let sql = """
      create temp trigger if not exists t1 before delete on users
      begin select raise(abort, 'no'); end ;
      CREATE TEMPORARY TRIGGER t2 AFTER UPDATE ON users BEGIN
        DELETE FROM cache; -- end; of line
      END; END;
      """
    #expect(leadingWords(sql) == [["CREATE", "TEMP"], ["CREATE", "TEMPORARY"], ["END"]])
  }

  @Test("A trigger body statement ending in CASE ... END does not end the trigger")
  func triggerBodyWithCase() {
    let sql = """
      CREATE TRIGGER users_active AFTER UPDATE OF status ON users
      BEGIN
        UPDATE users SET active = CASE WHEN NEW.status = 'active' THEN 1 ELSE 0 END;
      END;
      SELECT 1;
      """
    #expect(leadingWords(sql) == [["CREATE", "TRIGGER"], ["SELECT", "1"]])
  }

  @Test("'END' that is not before a semicolon does not end a trigger")
  func triggerWithEndInsideExpression() {
    let sql = """
      CREATE TRIGGER t AFTER INSERT ON a BEGIN
        INSERT INTO b VALUES (CASE WHEN NEW.x THEN 1 END, 2);
      END;
      SELECT 1;
      """
    #expect(leadingWords(sql) == [["CREATE", "TRIGGER"], ["SELECT", "1"]])
  }

  @Test("PostgreSQL's CREATE TRIGGER ... EXECUTE FUNCTION ends at its semicolon")
  func postgresTrigger() {
    let sql = """
      CREATE TRIGGER audit AFTER INSERT ON users
        FOR EACH ROW EXECUTE FUNCTION audit_insert();
      CREATE OR REPLACE TRIGGER touch BEFORE UPDATE ON users
        FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION touch();
      DROP TABLE legacy;
      """
    #expect(
      leadingWords(sql) == [["CREATE", "TRIGGER"], ["CREATE", "OR"], ["DROP", "TABLE"]])
  }

  @Test("A table named 'trigger' does not start a trigger body")
  func triggerAsIdentifier() {
    let sql = "CREATE TABLE t (a, b, trigger);\nINSERT INTO t VALUES (1, 2, 3);"
    #expect(leadingWords(sql) == [["CREATE", "TABLE"], ["INSERT", "INTO"]])
  }

  // MARK: - Offsets

  @Test("Statement offsets count UTF-8 bytes")
  func utf8Offsets() {
    let sql = "INSERT INTO t VALUES ('café ✓');\nSELECT 1;"
    let statements = SQLScanner.statements(in: sql)
    #expect(statements.map(\.offset) == [0, 36])
    #expect(statementStarts(sql) == ["INSERT INTO ", "SELECT 1;"])
  }

  @Test("firstTokenOffset skips whitespace and comments")
  func firstTokenOffset() {
    let sql = "  -- heading\n\t/* block\n comment */\r\n  SELECT 1; -- tail\n"
    let select = sql.utf8.count - "SELECT 1; -- tail\n".utf8.count
    #expect(SQLScanner.firstTokenOffset(in: sql, from: 0) == select)
    #expect(SQLScanner.firstTokenOffset(in: sql, from: select) == select)
    #expect(SQLScanner.firstTokenOffset(in: sql, from: select + 1) == select + 1)
    #expect(SQLScanner.firstTokenOffset(in: sql, from: select + 9) == sql.utf8.count)
  }

  @Test("firstTokenOffset returns the end when there is no token")
  func firstTokenOffsetAtEnd() {
    #expect(SQLScanner.firstTokenOffset(in: "", from: 0) == 0)
    #expect(SQLScanner.firstTokenOffset(in: " \n-- c", from: 0) == 6)
    #expect(SQLScanner.firstTokenOffset(in: "/* open", from: 0) == 7)
    #expect(SQLScanner.firstTokenOffset(in: "SELECT", from: 100) == 6)
  }

  @Test("A lone '-' or '/' is a token, not a comment")
  func dashAndSlash() {
    #expect(SQLScanner.firstTokenOffset(in: "  -1", from: 0) == 2)
    #expect(SQLScanner.firstTokenOffset(in: "  / 2", from: 0) == 2)
    #expect(SQLScanner.firstTokenOffset(in: "/**/x", from: 0) == 4)
  }

  // MARK: - Line numbers

  @Test("lineNumber(atUTF8Offset:) is 1-based and counts the newlines before the offset")
  func lineNumbers() {
    let text = "a\nbé\n\nc"
    #expect(text.lineNumber(atUTF8Offset: 0) == 1)
    #expect(text.lineNumber(atUTF8Offset: 1) == 1)
    #expect(text.lineNumber(atUTF8Offset: 2) == 2)
    #expect(text.lineNumber(atUTF8Offset: 5) == 2)
    #expect(text.lineNumber(atUTF8Offset: 6) == 3)
    #expect(text.lineNumber(atUTF8Offset: 7) == 4)
    #expect(text.lineNumber(atUTF8Offset: 1_000) == 4)
    #expect("".lineNumber(atUTF8Offset: 0) == 1)
  }

  @Test("A statement's line is found from its offset")
  func statementLines() {
    let sql = "-- intro\n\nCREATE TABLE a (x);\n\n/* gap */\nCREATE TABLE b (y);\n"
    let lines = SQLScanner.statements(in: sql).map { sql.lineNumber(atUTF8Offset: $0.offset) }
    #expect(lines == [3, 6])
  }

  @Test("SourceLocation.advanced moves to the line of an offset in a section")
  func sourceLocationAdvanced() {
    let section = "CREATE TABLE a (x);\n\nCREATE TABLE b (y);\n"
    let start = SourceLocation(file: "migrations/0001_a.sql", line: 10)
    #expect(start.advanced(toUTF8Offset: 0, in: section).line == 10)
    #expect(
      start.advanced(toUTF8Offset: 21, in: section)
        == SourceLocation(
          file: "migrations/0001_a.sql", line: 12))
    #expect(start.advanced(toUTF8Offset: 21, in: section).description == "migrations/0001_a.sql:12")
  }

  @Test("The new name of ALTER TABLE ... RENAME TO is found, quoted or not")
  func renamedTable() {
    #expect(SQLScanner.renamedTable(in: "ALTER TABLE a RENAME TO b") == "b")
    #expect(
      SQLScanner.renamedTable(in: "alter table main.a rename to \"Schema Ledger\"")
        == "Schema Ledger")
    #expect(
      SQLScanner.renamedTable(in: "ALTER /* c */ TABLE [a] RENAME\n-- x\nTO `b``c`;") == "b`c")
    #expect(SQLScanner.renamedTable(in: "ALTER TABLE a RENAME TO 'b'") == "b")
    #expect(SQLScanner.renamedTable(in: "ALTER TABLE a RENAME COLUMN x TO y") == nil)
    #expect(SQLScanner.renamedTable(in: "ALTER TABLE a RENAME x TO y") == nil)
    #expect(SQLScanner.renamedTable(in: "ALTER TABLE a ADD COLUMN y") == nil)
    #expect(SQLScanner.renamedTable(in: "SELECT 1") == nil)
  }

  @Test("PostgreSQL's dollar-quoted bodies hide their semicolons and their BEGIN")
  func dollarQuotes() {
    let sql =
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\n"
      + "CREATE FUNCTION g() RETURNS text AS $body$ SELECT 'a;b' $body$ LANGUAGE sql;\n"
      + "SELECT $1, $name;\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (x);"
    let statements = SQLScanner.statements(in: sql)
    #expect(
      statements.map(\.leadingWords) == [
        ["CREATE", "FUNCTION"], ["CREATE", "FUNCTION"], ["SELECT", "1"], ["CREATE", "UNIQUE"],
      ])
    #expect(statements.map(\.isConcurrently) == [false, false, false, true])
    let body =
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;"
    #expect(MigrationFileParser.transactionControlReason(in: body) == nil)
    #expect(
      MigrationFileParser.transactionControlReason(in: sql)
        == "CREATE ... CONCURRENTLY cannot run inside a transaction")
  }
}
