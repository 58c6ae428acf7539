// swift-tools-version:6.0
import PackageDescription

// SchemaLedger depends on nothing but the Swift toolchain and the system libsqlite3:
// apps that embed it never meet a dependency conflict. The PostgreSQL engine is a library
// of its own (SchemaLedgerPostgres, over the system libpq), so an app that embeds only
// SQLite never needs libpq.
let package = Package(
  name: "SchemaLedger",
  products: [
    .library(name: "SchemaLedger", targets: ["SchemaLedger"]),
    .library(name: "SchemaLedgerPostgres", targets: ["SchemaLedgerPostgres"]),
    .executable(name: "schemaledger", targets: ["schemaledger"]),
  ],
  targets: [
    .systemLibrary(
      name: "CSQLite",
      pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]
    ),
    .target(name: "SchemaLedger", dependencies: ["CSQLite"]),
    .systemLibrary(
      name: "CPostgreSQL",
      pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]
    ),
    // The PostgreSQL engine behind the same DatabaseConnection protocol (docs/postgresql.md).
    .target(name: "SchemaLedgerPostgres", dependencies: ["SchemaLedger", "CPostgreSQL"]),
    .executableTarget(
      name: "schemaledger", dependencies: ["SchemaLedger", "SchemaLedgerPostgres"]),
    // The benchmark (docs/performance.md): the library against the raw sqlite3 C API, and
    // on PostgreSQL against bare libpq (only with --postgres URL).
    .executableTarget(
      name: "schemaledger-bench",
      dependencies: ["SchemaLedger", "CSQLite", "SchemaLedgerPostgres", "CPostgreSQL"]),
    // A minimal application that migrates at startup through the library (docs/embedding.md).
    .executableTarget(
      name: "example-app", dependencies: ["SchemaLedger", "SchemaLedgerPostgres"]),
    .testTarget(
      name: "SchemaLedgerTests",
      dependencies: [
        "SchemaLedger", "SchemaLedgerPostgres", "schemaledger", "example-app", "CSQLite",
      ],
      // Other tools' migration folders, read by LayoutFixtureTests from the source tree.
      exclude: ["Fixtures"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
