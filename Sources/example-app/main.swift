// A minimal "application": migrates its database at startup through the SchemaLedger
// library, then reports its schema version. This is the whole integration an app needs.
//
//   example-app DATABASE MIGRATIONS_DIR
//
// DATABASE is a SQLite file, or a `postgres://` URL for a database server (the
// SchemaLedgerPostgres product). EXAMPLE_APP_HOST, when set, is the host name recorded
// as the actor of the events: the name of the machine this instance stands for.
//
// Exit 0 after printing "schema version N"; on a migration failure it prints the error
// (what failed, where, what to do) and exits 1 without "serving".

import Foundation
import SchemaLedger
import SchemaLedgerPostgres

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
  FileHandle.standardError.write(Data("usage: example-app DATABASE MIGRATIONS_DIR\n".utf8))
  exit(64)
}

var configuration = SchemaMigrator.Configuration()
configuration.lockTimeout = 120
if let host = ProcessInfo.processInfo.environment["EXAMPLE_APP_HOST"] {
  configuration.actor.host = host
}
configuration.progress = { progress in
  // Route SchemaLedger's progress into the app's own log (here: stderr, one line each).
  switch progress {
  case .waitingForLock(let holder):
    FileHandle.standardError.write(Data("[migrate] waiting for the lock held by \(holder)\n".utf8))
  case .stepStarted(let step):
    FileHandle.standardError.write(Data("[migrate] applying \(step.migration)\n".utf8))
  case .recordedInterruption(let attempt):
    FileHandle.standardError.write(
      Data("[migrate] recorded interrupted attempt of \(attempt.migration)\n".utf8))
  default:
    break
  }
}

let database: SchemaMigrator.Database =
  PostgresURL.isPostgres(arguments[1]) ? .postgres(url: arguments[1]) : .path(arguments[1])
let ledger = SchemaMigrator(
  database: database, migrations: .directory(arguments[2]), configuration: configuration)
do {
  let report = try ledger.migrate()
  print("schema version \(report.currentVersion.map(\.description) ?? "none")")
} catch {
  FileHandle.standardError.write(Data("example-app: cannot start: \(error)\n".utf8))
  exit(1)
}
