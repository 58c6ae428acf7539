import CSQLite
import Foundation
import Testing

@testable import SchemaLedger

@Suite("SQL functions the app brings", .timeLimit(.minutes(1)))
struct ExtensionTests {
  @Test("a function registered on the app's own connection is available to migrations")
  func borrowedConnectionFunctions() throws {
    try withFixture { fixture in
      let app = try SQLiteConnection(path: fixture.databasePath)
      let code = sqlite3_create_function_v2(
        app.handle, "app_answer", 0, SQLITE_UTF8, nil,
        { context, _, _ in sqlite3_result_int(context, 42) }, nil, nil, nil)
      #expect(code == SQLITE_OK)
      let source = try MigrationSource(files: [
        ("001_seed.sql", "CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (app_answer());")
      ])
      try SchemaMigrator(database: .connection(.init(app.handle)), migrations: .source(source))
        .migrate()
      #expect(try fixture.query("SELECT x FROM t") == ["42"])
    }
  }

  @Test("--load-extension makes an extension's functions available to migrations")
  func loadExtension() throws {
    try withFixture { fixture in
      let sourceFile = try fixture.directory.write(
        "answer.c",
        """
        #include <sqlite3ext.h>
        SQLITE_EXTENSION_INIT1
        static void answer(sqlite3_context *c, int n, sqlite3_value **v) {
          sqlite3_result_int(c, 42);
        }
        int sqlite3_answer_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
          SQLITE_EXTENSION_INIT2(api);
          return sqlite3_create_function(db, "ext_answer", 0, SQLITE_UTF8, 0, answer, 0, 0);
        }
        """)
      let library = fixture.directory.appendingPathComponent("answer.so").path
      let compiler = Process()
      compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      compiler.arguments = ["cc", "-shared", "-fPIC", "-o", library, sourceFile.path]
      try compiler.run()
      compiler.waitUntilExit()
      try #require(compiler.terminationStatus == 0, "a C compiler is needed for this test")
      try fixture.migration(
        "001_seed.sql", "CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (ext_answer());")
      let without = try fixture.cli(["apply"])
      #expect(without.status == 1)
      #expect(without.stderr.contains("no such function: ext_answer"))
      let with = try fixture.cli(["apply", "--load-extension", library])
      #expect(with.status == 0, "\(with.stderr)")
      #expect(try fixture.query("SELECT x FROM t") == ["42"])
      let missing = try fixture.cli(["status", "--load-extension", "/nope/ext.so"])
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("Cannot load SQLite extension '/nope/ext.so'"))
    }
  }
}
