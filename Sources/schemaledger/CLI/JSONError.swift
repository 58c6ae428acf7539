import SchemaLedger

/// An error as a command given `--json` prints it on stdout (docs/json.md): `format`,
/// `kind`, `message` (the text printed after `Error:`), `location` and `action` (the
/// message's suggested next step). `location` is set only where the error names one
/// place: a file (and line) of the migrations folder, or a migration.
enum JSONError {
  /// The error object of `error`; `usageAction` is the next step of a usage error
  /// (`See 'schemaledger apply --help'.`).
  static func document(for error: any Error, usageAction: String) -> String {
    let (kind, location, action) = describe(error, usageAction: usageAction)
    let message = (error as? UsageError)?.message ?? CommandLineTool.message(of: error)
    return JSONOutput.document([
      "kind": .string(kind), "message": .string(message), "location": location,
      "action": JSONValue(action),
    ])
  }

  /// `{file, line, migration}`, each `null` when unknown.
  private static func location(
    file: String? = nil, line: Int? = nil, migration: String? = nil
  ) -> JSONValue {
    ["file": JSONValue(file), "line": JSONValue(line), "migration": JSONValue(migration)]
  }

  private static func describe(
    _ error: any Error, usageAction: String
  ) -> (kind: String, location: JSONValue, action: String?) {
    switch error {
    case is UsageError: return ("usage", .null, usageAction)
    case let error as MigrationSourceError:
      return ("source", location(of: error), error.suggestedAction(for: .commandLine))
    case let error as PlanError:
      return ("plan", location(of: error), error.suggestedAction(for: .commandLine))
    case ExecutionError.database(let error):
      return ("database", .null, error.suggestedAction(for: .commandLine))
    case ExecutionError.stepDatabaseFailed(let migration, _, _, _, _):
      // The database failed, not the migration's SQL: a database error, at that migration.
      return (
        "database", location(migration: migration),
        (error as? ExecutionError)?.suggestedAction(for: .commandLine)
      )
    case let error as ExecutionError:
      return ("execution", location(of: error), error.suggestedAction(for: .commandLine))
    case let error as LedgerError:
      return ("ledger", .null, error.suggestedAction(for: .commandLine))
    case let error as SQLiteError:
      return ("database", .null, error.suggestedAction(for: .commandLine))
    case let error as RunLockError:
      return ("database", .null, error.suggestedAction(for: .commandLine))
    case let error as ImportError:
      return ("import", .null, error.suggestedAction(for: .commandLine))
    case let error as InputFileError:
      return ("file", location(file: error.path), error.suggestedAction(for: .commandLine))
    case let error as TextFileWriter.WriteError:
      return ("file", location(file: error.path), error.suggestedAction(for: .commandLine))
    default: return ("internal", .null, nil)
    }
  }

  private static func location(of error: MigrationSourceError) -> JSONValue {
    switch error {
    case .directoryMissing(let file), .unreadable(let file, _), .controlCharacters(let file),
      .notWrittenYet(let file), .unplaceable(let file, _, _), .unsupportedProvider(let file, _, _),
      .journal(let file, _), .downWithoutUp(let file), .versionTooLong(let file),
      .cannotCreate(let file, _):
      return location(file: file)
    case .invalidUTF8(let file, let line), .nulByte(let file, let line),
      .missingPlaceholder(let file, let line, _), .misspeltMarker(let file, let line, _, _),
      .duplicateMarker(let file, let line, _), .sqlBeforeUpMarker(let file, let line),
      .markerOutOfOrder(let file, let line), .mixedMarkerStyles(let file, let line),
      .badDirective(let file, let line, _):
      return location(file: file, line: line)
    case .unknownDependency(let file, let migration, _):
      return location(file: file, migration: migration)
    case .dependencyCycle(let file, let cycle):
      return location(file: file, migration: cycle.first)
    // Several places (the message names each) or none.
    case .duplicateVersion, .duplicateVersionApplied, .mixedLayouts, .invalidName, .several:
      return .null
    }
  }

  private static func location(of error: PlanError) -> JSONValue {
    switch error {
    case .checksumMismatch(let drifts) where drifts.count == 1:
      return location(file: drifts[0].file, migration: drifts[0].migration)
    case .unknownAppliedMigrations(let ids) where ids.count == 1,
      .outOfOrder(let ids, _) where ids.count == 1, .irreversible(let ids) where ids.count == 1:
      return location(migration: ids[0])
    case .partlyApplied(let migration, _), .nothingToResolve(let migration),
      .nothingToAccept(let migration):
      return location(migration: migration)
    case .renamedApplied(let renames) where renames.count == 1:
      return location(file: renames[0].file, migration: renames[0].applied)
    // Several migrations (the message names each), or a name or version that is none.
    case .checksumMismatch, .unknownAppliedMigrations, .outOfOrder, .irreversible,
      .unknownTarget, .unknownMigration, .reasonRequired, .unmatchedImport,
      .targetNotApplied, .invalidRollbackTarget, .renamedApplied:
      return .null
    }
  }

  /// A rollback's SQL comes from a ledger event, not a file: only the migration then.
  private static func location(of error: ExecutionError) -> JSONValue {
    switch error {
    case .migrationFailed(let migration, _, let place, _, _, _)
    where !SourceLocation.isRecordedSQL(file: place.file):
      return location(file: place.file, line: place.line, migration: migration)
    case .foreignKeyViolations(let migration, let file, _, _)
    where !SourceLocation.isRecordedSQL(file: file):
      return location(file: file, migration: migration)
    case .migrationFailed(let migration, _, _, _, _, _),
      .foreignKeyViolations(let migration, _, _, _), .rehearsalFailed(let migration, _, _),
      .reconstructionFailed(_, let migration, _):
      return location(migration: migration)
    case .rehearsalNotIsolated(let migration, _, let place, _),
      .transactionLeftOpen(let migration, _, let place, _):
      return location(file: place.file, line: place.line, migration: migration)
    case .cancelled(_, let migration, _, _, _): return location(migration: migration)
    case .replayStopped: return .null
    case .failedAfterBaseline(let underlying, _, _): return location(of: underlying)
    case .databaseMissing(let path, _): return location(file: path)
    case .stepDatabaseFailed(let migration, _, _, _, _): return location(migration: migration)
    case .database: return .null
    }
  }
}
