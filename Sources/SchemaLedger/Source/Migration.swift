/// One migration as read from the source: its identity, its SQL and how to run it.
public struct Migration: Sendable, Equatable {
  /// How the migration's up SQL is run.
  public enum TransactionMode: Sendable, Equatable {
    /// Inside SchemaLedger's transaction, together with its `applied` event.
    case wrapped
    /// As written, outside SchemaLedger's transaction; `reason` says why.
    case outside(reason: String)

    /// `true` for `.wrapped`.
    public var isWrapped: Bool { self == .wrapped }
  }

  /// The identity recorded in the ledger: the file stem (`0003_add_email`), or the folder
  /// name for a diesel folder.
  public var id: String
  /// The version, compared numerically (`001` and `1` are the same version).
  public var version: MigrationVersion
  /// The part of the id after the version (`add_email`).
  public var name: String
  /// The up SQL, line endings normalised to LF.
  public var upSQL: String
  /// The down SQL; `nil` when there is no down section (irreversible). An empty string
  /// means "nothing to undo".
  public var downSQL: String?
  /// Lowercase hex SHA-256 of `upSQL`.
  public var checksum: String
  /// Whether the up SQL runs inside SchemaLedger's transaction.
  public var transactionMode: TransactionMode
  /// Ids or versions this migration depends on (`-- depends:` directive).
  public var dependencies: [String]
  /// Where the up SQL came from, for error messages.
  public var upLocation: SourceLocation
  /// Where the down SQL came from, when there is one.
  public var downLocation: SourceLocation?

  /// Names of the `${placeholders}` substituted into `upSQL` and `downSQL` (sorted), or
  /// empty. The checksum is of the text as written, so a new value is not an edit.
  public var placeholders: [String] = []

  /// `true` when the migration has a down section.
  public var isReversible: Bool { downSQL != nil }

  /// `true` for a repeatable migration (`R__name.sql`): no version, applied again after
  /// the versioned migrations whenever its checksum changes.
  public var isRepeatable: Bool { version.isRepeatable }

  /// `true` when the up SQL has no statement (only comments or nothing): a no-op
  /// migration, applied and recorded like any other.
  public var hasNoStatements: Bool {
    SQLScanner.firstTokenOffset(in: upSQL, from: 0) >= upSQL.utf8.count
  }
}

extension Migration {
  /// This migration running the SQL of `substituted`, the same file parsed again after
  /// its `placeholders` were replaced: the ledger records the SQL that runs, while the
  /// checksum stays that of the text as written, so a new value is not an edit.
  func running(_ substituted: Migration, placeholders: [String]) -> Migration {
    var migration = self
    migration.upSQL = substituted.upSQL
    migration.downSQL = substituted.downSQL
    migration.transactionMode = substituted.transactionMode
    migration.placeholders = placeholders
    return migration
  }
}

/// A place in a migration file: the file as the user named it, and the line where a
/// section's SQL starts (1-based).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  /// The path of the file, as built from the migrations folder the user gave.
  public var file: String
  /// The 1-based line of the section's first line in that file.
  public var line: Int

  /// The location of the UTF-8 byte `offset` of the section's text.
  public func advanced(toUTF8Offset offset: Int, in text: String) -> SourceLocation {
    SourceLocation(file: file, line: line + text.lineNumber(atUTF8Offset: offset) - 1)
  }

  /// `file:line`.
  public var description: String { "\(file):\(line)" }

  /// Where a rollback's down SQL comes from: no file, the ledger event that recorded it
  /// (`ledger event #12 (down SQL of 002_b):1`).
  static func recordedDownSQL(seq: Int64, migration: String) -> SourceLocation {
    SourceLocation(file: "\(recordedPrefix)\(seq) (down SQL of \(migration))", line: 1)
  }

  private static let recordedPrefix = "ledger event #"

  /// `true` when `file` names SQL recorded in the ledger (`recordedDownSQL`), not a file.
  package static func isRecordedSQL(file: String) -> Bool { file.hasPrefix(recordedPrefix) }
}
