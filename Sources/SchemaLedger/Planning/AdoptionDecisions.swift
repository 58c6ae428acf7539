/// The decisions that record events without running SQL (baseline, import, resolve,
/// accept), as pure functions: from the ledger's state, the migrations and the request to
/// the events to append, or a typed refusal (`PlanError`). The façade reads what they
/// need and appends what they return, under the run lock.
struct AdoptionDecisions {
  /// The run the events belong to, and who records them.
  let runID: String
  let actor: LedgerActor

  /// Refuses a decision recorded without a reason.
  static func requireReason(_ reason: String, action: String) throws {
    if reason.trimmedWhitespace.isEmpty {
      throw PlanError.reasonRequired(action: action)
    }
  }

  // MARK: - Baseline

  /// Refuses a baseline to a version no migration has.
  static func checkBaselineTarget(_ version: MigrationVersion, in source: MigrationSource)
    throws
  {
    guard source.migrations.contains(where: { $0.version == version }) else {
      throw PlanError.unknownTarget(version: version)
    }
  }

  /// `baselined` events for the migrations up to `version` not applied yet.
  func baseline(
    to version: MigrationVersion, reason: String, source: MigrationSource, state: LedgerState
  ) -> [LedgerEvent] {
    source.migrations.filter {
      $0.version <= version && state.migrations[$0.id]?.status != .applied
    }.map { adoptionEvent(.baselined, $0, detail: "baseline: \(reason)") }
  }

  // MARK: - Import

  /// A migration file an imported entry matched, with when the other tool applied it.
  struct ImportMatch {
    var migration: Migration
    var appliedAt: String?
  }

  /// The files the other tool's `entries` name: by version (golang-migrate's current
  /// version and a Flyway baseline stand for every version up to theirs), by the checksum
  /// of the text (Drizzle), or by id or name (GRDB, Prisma). Refuses when any entry has
  /// no file (`PlanError.unmatchedImport`).
  static func importMatches(
    _ entries: [ImportedEntry], from tool: ImportedTool, source: MigrationSource
  ) throws -> [ImportMatch] {
    var matched: [ImportMatch] = []
    var unmatched: [String] = []
    var takenByChecksum = Set<String>()
    for entry in entries {
      if tool == .golangMigrate || entry.includesEarlierVersions, let current = entry.version {
        // golang-migrate keeps only the current version, and a Flyway baseline stands for
        // every version up to it: everything up to it ran.
        matched += source.migrations.filter { $0.version <= current }.map {
          ImportMatch(migration: $0)
        }
        if !source.migrations.contains(where: { $0.version == current }) {
          unmatched.append(current.description)
        }
      } else if entry.includesEarlierVersions, let revision = entry.identifier {
        // Alembic's current revision: the migration whose name holds the revision id
        // (`0003_ae1027a6acf_add_users.sql`, or `ae1027a6acf_add_users.sql` as Alembic
        // names its own files), and every migration before it in the folder.
        guard
          let index = source.migrations.firstIndex(where: {
            $0.id == revision || $0.id.split(separator: "_").contains(Substring(revision))
          })
        else {
          unmatched.append("revision \(revision)")
          continue
        }
        matched += source.migrations[...index].map { ImportMatch(migration: $0) }
      } else if let checksum = entry.checksum {
        // Two files with the same text (empty custom migrations) share a checksum: each
        // row takes the first of them not yet taken.
        if let migration = source.migrations.first(where: {
          $0.checksum == checksum && !takenByChecksum.contains($0.id)
        }) {
          takenByChecksum.insert(migration.id)
          matched.append(ImportMatch(migration: migration, appliedAt: entry.appliedAt))
        } else {
          unmatched.append(
            "the file with SHA-256 \(checksum)"
              + (entry.appliedAt.map { " (applied at \($0))" } ?? ""))
        }
      } else if let migration = migration(matching: entry, in: source) {
        matched.append(ImportMatch(migration: migration, appliedAt: entry.appliedAt))
      } else {
        unmatched.append(entry.identifier ?? entry.version.map(\.description) ?? "?")
      }
    }
    if !unmatched.isEmpty {
      throw PlanError.unmatchedImport(tool: tool.rawValue, entries: unmatched)
    }
    return matched
  }

  /// `imported` events for the matched migrations not applied yet, each once.
  func importEvents(
    _ matches: [ImportMatch], from tool: ImportedTool, reason: String?, state: LedgerState
  ) -> [LedgerEvent] {
    var seen = Set<String>()
    return matches.filter { state.migrations[$0.migration.id]?.status != .applied }
      .filter { seen.insert($0.migration.id).inserted }
      .map { match in
        let when = match.appliedAt.map { "; applied by \(tool.rawValue) at \($0)" } ?? ""
        let why = reason.map { "; \($0)" } ?? ""
        return adoptionEvent(
          .imported, match.migration, detail: "imported from \(tool.rawValue)\(when)\(why)")
      }
  }

  /// The migration an imported entry names: by version, or by id or name (GRDB, Prisma).
  private static func migration(matching entry: ImportedEntry, in source: MigrationSource)
    -> Migration?
  {
    if let version = entry.version {
      return source.migrations.first { $0.version == version }
    }
    guard let identifier = entry.identifier else { return nil }
    return source.migrations.first { $0.id == identifier || $0.name == identifier }
  }

  // MARK: - Resolve

  /// The `resolved` event that settles `idOrVersion` (found in the ledger, or through its
  /// `file`), which must be in doubt (`mayBePartlyDone`). `schema` reads the whole schema
  /// as the operator left it: the event records it, and replay starts again from it.
  func resolve(
    _ idOrVersion: String, as resolution: Resolution, reason: String, file: Migration?,
    state: LedgerState, schema: () throws -> String
  ) throws -> [LedgerEvent] {
    let named =
      Self.record(idOrVersion, in: state) ?? file.flatMap { state.migrations[$0.id] }
    guard let record = named else { throw PlanError.unknownMigration(idOrVersion) }
    guard record.mayBePartlyDone else { throw PlanError.nothingToResolve(migration: record.id) }
    let migration = file?.id == record.id ? file : nil
    let wasApplied = record.status == .applied
    return [
      LedgerEvent(
        kind: .resolved, migration: record.id, version: record.version.recorded,
        direction: resolution == .applied ? .up : .down,
        checksum: migration?.checksum ?? record.checksum, runID: runID, actor: actor,
        sql: try schema(),
        downSQL: resolution == .applied && !wasApplied ? migration?.downSQL : nil,
        detail: "resolved as \(resolution.rawValue): \(reason)")
    ]
  }

  /// The record `idOrVersion` names: by id, else by version.
  private static func record(_ idOrVersion: String, in state: LedgerState) -> MigrationRecord? {
    if let record = state.migrations[idOrVersion] { return record }
    guard let version = MigrationVersion(idOrVersion) else { return nil }
    return state.migrations.values.first { $0.version == version }
  }

  // MARK: - Accept

  /// The `accepted` event that makes `migration`'s edited file the one in force (and,
  /// with `includingDown`, its down SQL). Refuses when it is not applied or nothing
  /// changed. `recordedDownSQL` reads the down SQL the ledger holds for an event.
  func accept(
    _ migration: Migration, reason: String, includingDown: Bool, state: LedgerState,
    recordedDownSQL: (Int64) throws -> String?
  ) throws -> [LedgerEvent] {
    guard let record = state.migrations[migration.id], record.status == .applied else {
      throw PlanError.nothingToAccept(migration: migration.id)
    }
    let recordedDown = try record.downSQLSeq.flatMap(recordedDownSQL)
    let upChanged = record.checksum != migration.checksum
    let downChanged = includingDown && recordedDown != migration.downSQL
    guard upChanged || downChanged else {
      throw PlanError.nothingToAccept(migration: migration.id)
    }
    return [
      LedgerEvent(
        kind: .accepted, migration: migration.id, version: migration.version.recorded,
        direction: .up, checksum: migration.checksum, runID: runID, actor: actor,
        sql: migration.upSQL, downSQL: includingDown ? migration.downSQL : nil,
        detail: "accepted edit (was \(record.checksum ?? "?")): \(reason)")
    ]
  }

  // MARK: - Events

  private func adoptionEvent(_ kind: EventKind, _ migration: Migration, detail: String)
    -> LedgerEvent
  {
    LedgerEvent(
      kind: kind, migration: migration.id, version: migration.version.recorded, direction: .up,
      checksum: migration.checksum, runID: runID, actor: actor,
      sql: migration.upSQL, downSQL: migration.downSQL, detail: detail,
      dependsOn: migration.dependencies.isEmpty ? nil : migration.dependencies)
  }
}
