/// Why a plan cannot be made. Raised before anything runs.
public enum PlanError: Error, Sendable, Equatable {
  /// An applied migration's file no longer has the checksum recorded when it was applied.
  case checksumMismatch([Drift])
  /// `--to` names a version no migration has.
  case unknownTarget(version: MigrationVersion)
  /// The ledger has applied migrations this source does not contain.
  case unknownAppliedMigrations([String])
  /// A migration that ran outside a transaction failed or was interrupted and may be
  /// partly applied.
  case partlyApplied(migration: String, error: String)
  /// Pending migrations are older than the newest applied one (merged late from a branch).
  case outOfOrder(migrations: [String], newestApplied: String)
  /// The migration id (or version) names no migration.
  case unknownMigration(String)
  /// An operator action needs a reason for the record.
  case reasonRequired(action: String)
  /// `resolve` on a migration that is not in doubt.
  case nothingToResolve(migration: String)
  /// `accept` on a migration whose file matches what was applied.
  case nothingToAccept(migration: String)
  /// `import` found applied migrations the migrations folder does not have.
  case unmatchedImport(tool: String, entries: [String])
  /// Migrations in the way of a rollback have no recorded down SQL.
  case irreversible([String])
  /// `rollback --to` names a version that is not applied.
  case targetNotApplied(version: MigrationVersion)
  /// A rollback target that selects nothing meaningful (`--steps 0`).
  case invalidRollbackTarget(RollbackTarget)
  /// Applied migrations whose files were renamed: same version and checksum, another id.
  case renamedApplied([Rename])

  /// An applied migration whose file now has another name.
  public struct Rename: Sendable, Equatable {
    /// The id the ledger recorded (the file's old stem).
    public var applied: String
    /// The id of the file now.
    public var current: String
    /// The file now.
    public var file: String
  }

  /// One drifted migration.
  public struct Drift: Sendable, Equatable {
    /// The migration id.
    public var migration: String
    /// The file it comes from now.
    public var file: String
    /// Checksum recorded in the ledger when it was applied.
    public var recorded: String
    /// Checksum of the file now.
    public var current: String
    /// What changed: a short diff from the SQL recorded when it ran to the file's, when
    /// the ledger had the recorded SQL at hand.
    public var diff: [String] = []
  }
}

extension PlanError: MessageBacked {
  /// The message, with its advice worded for each reader (`MessageBacked`).
  package var message: ErrorMessage {
    switch self {
    case .checksumMismatch(let drifts):
      let lines = drifts.map { drift in
        "  - \(drift.migration) (\(drift.file)): recorded \(drift.recorded), file now "
          + "\(drift.current)"
          + drift.diff.map { "\n      " + $0 }.joined()
      }
      let first = drifts.first?.migration ?? "ID"
      return ErrorMessage(
        (drifts.count == 1
          ? "An applied migration was edited after it ran:\n"
          : "Applied migrations were edited after they ran:\n") + lines.joined(separator: "\n")
          + "\nNothing was applied. Two ways out: ",
        action: "restore the original file (git log shows the change) and put new changes "
          + "in a new migration ('schemaledger new NAME'); or, if the edit is intentional and "
          + "changes nothing that ran (a comment, formatting), record it: 'schemaledger "
          + "accept \(first) --reason TEXT'.")
    case .unknownTarget(let version):
      return ErrorMessage(
        "No migration has version \(version). Nothing was applied; ",
        action: "'schemaledger status' lists the versions.")
    case .unknownAppliedMigrations(let ids):
      return ErrorMessage(
        (ids.count == 1
          ? "The database has an applied migration that is not in the migrations folder: "
          : "The database has applied migrations that are not in the migrations folder: ")
          + ids.joined(separator: ", ") + ". It was migrated by a newer version of the "
          + "application, or the " + (ids.count == 1 ? "file was" : "files were")
          + " deleted. Nothing was applied; ",
        action: "deploy the code that has "
          + (ids.count == 1
            ? "this migration, or restore the file."
            : "these migrations, or "
              + "restore the files."))
    case .outOfOrder(let ids, let newest):
      return ErrorMessage(
        (ids.count == 1
          ? "A pending migration is older than the newest applied one (\(newest)): "
          : "Pending migrations are older than the newest applied one (\(newest)): ")
          + ids.joined(separator: ", ") + ". "
          + (ids.count == 1 ? "It was" : "They were") + " probably merged late from a "
          + "branch. Nothing was applied. ",
        action: (ids.count == 1
          ? "Check it does not conflict with what ran since, then apply it with "
          : "Check they do not conflict with what ran since, then apply them with ")
          + "\(Remedy.allowOutOfOrder); the ledger records that "
          + (ids.count == 1 ? "it" : "they") + " ran out of order.")
    case .unknownMigration(let name):
      return ErrorMessage(
        "No migration is called '\(name)' (id or version). Nothing was recorded; ",
        action: "'schemaledger status' lists them.")
    case .reasonRequired(let action):
      return ErrorMessage(
        "'\(action)' records an operator decision in the ledger and needs a reason: ",
        action: "pass --reason TEXT (who asked, the ticket, why).",
        after: " Nothing was recorded.")
    case .nothingToResolve(let id):
      return ErrorMessage(
        "Migration \(id) is not in doubt (it did not fail or stop outside a "
          + "transaction), so there is nothing to resolve. Nothing was recorded.")
    case .nothingToAccept(let id):
      return ErrorMessage(
        "Migration \(id)'s file matches what was applied (up and down), so there is no "
          + "edit to accept. Nothing was recorded.")
    case .unmatchedImport(let tool, let entries):
      return ErrorMessage(
        "\(tool)'s history lists migrations the migrations folder does not have: "
          + entries.joined(separator: ", ") + ". Nothing was imported. ",
        action: "Add their files (\(Self.importMatch(tool: tool))) to the folder, then "
          + "import again.")
    case .irreversible(let ids):
      return ErrorMessage(
        "Cannot roll back: " + ids.joined(separator: ", ")
          + (ids.count == 1 ? " has" : " have") + " no down section recorded in the ledger "
          + "(irreversible). Nothing was rolled back. ",
        action: "Roll back to a version after " + (ids.count == 1 ? "it" : "them")
          + " (--to), or undo the change with a new migration. If you have since written the "
          + "down section in \(ids[0])'s file, record it first: 'schemaledger accept "
          + "\(ids[0]) --with-down --reason TEXT'.")
    case .targetNotApplied(let version):
      return ErrorMessage(
        "Version \(version) is not applied, so it cannot be the rollback target. "
          + "Nothing was rolled back; ",
        action: "'schemaledger status' lists the applied versions (--to 0 rolls back "
          + "everything).")
    case .invalidRollbackTarget(let target):
      return ErrorMessage(
        "'\(target)' selects nothing to roll back. Nothing was rolled back; ",
        action: "use --steps N with N ≥ 1, --to VERSION or --all.")
    case .partlyApplied(let migration, let error):
      return ErrorMessage(
        "Migration \(migration) ran outside a transaction and did not finish (\(error)); "
          + "the database may hold part of it. Nothing was run. ",
        action: "Inspect the schema, complete or undo the change by hand, then record what "
          + "you did: 'schemaledger resolve \(migration) --as applied --reason TEXT' if it is "
          + "now fully applied, or 'schemaledger resolve \(migration) --as rolled-back --reason "
          + "TEXT' if you undid it (see docs/troubleshooting.md, 'partly applied').")
    case .renamedApplied(let renames):
      let lines = renames.map { "  - \($0.applied) is now \($0.file) (id \($0.current))" }
      return ErrorMessage(
        (renames.count == 1
          ? "An applied migration was renamed (same version and checksum, another file name):\n"
          : "Applied migrations were renamed (same version and checksum, another file name):\n")
          + lines.joined(separator: "\n") + "\nNothing was applied. The ledger knows a "
          + "migration by its file name, so a renamed file looks like a new migration and the "
          + "applied one like a missing file. ",
        action: "Rename the file back to its applied name (\(renames[0].applied)); a file's "
          + "name cannot change once it ran anywhere.")
    }
  }

  /// How `tool`'s history is matched to files, for `unmatchedImport`.
  private static func importMatch(tool: String) -> String {
    switch ImportedTool(rawValue: tool) {
    case .grdb: return "with the same ids or names"
    case .liquibase:
      return "one per changelog file, named like it (db/changelog/001_users.sql is the "
        + "migration 001_users)"
    case .alembic:
      return "with the revision id in the name, as 0003_ae1027a6acf_add_users.sql or "
        + "ae1027a6acf_add_users.sql"
    case .sqitch: return "one per change, named like it (NNN_<change>.sql)"
    case .prisma: return "the NAME/migration.sql folders, with the same names"
    case .drizzle:
      return "as Drizzle ran them, with their meta/_journal.json entries: Drizzle records "
        + "the SHA-256 of each file's text, so an edited file no longer matches"
    default: return "with the same versions"
    }
  }
}
