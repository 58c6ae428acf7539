import FoundationEssentials
import SchemaLedger

/// The `--json` outputs: one vocabulary for every command (docs/json.md). Keys are
/// snake_case like the ledger's columns and sorted, so output is stable. The same thing
/// has the same name and type everywhere: a migration object names itself `id`, anything
/// else refers to one as `migration`; a version is `MigrationVersion.json`; an actor is
/// `{user, host, pid}`; a time is a UTC ISO-8601 string under a name ending in `_at`.
enum JSONOutput {
  /// The version of the vocabulary, `format` in every top-level object. Adding a key
  /// keeps it; renaming, removing or retyping one raises it (docs/json.md).
  static let format: Int64 = 1

  /// A command's output: `members` and `format`, pretty-printed.
  static func document(_ members: [String: JSONValue]) -> String {
    var members = members
    members["format"] = .integer(format)
    return JSONValue.object(members).encoded(pretty: true)
  }

  // MARK: - Shared shapes

  /// `{user, host, pid}`, or `null`.
  static func actor(_ actor: LedgerActor?) -> JSONValue { actor?.json ?? .null }

  /// A migration of the folder, as `plan` will apply it.
  static func migration(_ migration: Migration) -> JSONValue {
    [
      "id": .string(migration.id), "version": migration.version.json,
      "repeatable": .bool(migration.isRepeatable),
      "placeholders": .array(migration.placeholders.map(JSONValue.string)),
      "checksum": .string(migration.checksum), "file": .string(migration.upLocation.file),
      "up_sql": .string(migration.upSQL), "down_sql": JSONValue(migration.downSQL),
      "transactional": .bool(migration.transactionMode.isWrapped),
    ]
  }

  /// An attempt planned by a run that recorded no outcome for it.
  static func interruption(_ attempt: UnfinishedAttempt) -> JSONValue {
    [
      "migration": .string(attempt.migration), "version": attempt.version.json,
      "direction": .string(attempt.direction.rawValue), "run_id": .string(attempt.runID),
      "transactional": .bool(attempt.transactional), "started": .bool(attempt.wasStarted),
      "actor": attempt.actor.json, "planned_at": .string(attempt.plannedAt),
    ]
  }

  /// What a plan stops at: `{"kind": "to_version", "version": 3}`, `{"kind": "steps",
  /// "count": 2}`, `{"kind": "all"}` or `{"kind": "migrations", "migrations": [...]}`.
  static func target(_ target: RollbackTarget) -> JSONValue {
    switch target {
    case .steps(let count): return ["kind": "steps", "count": JSONValue(count)]
    case .toVersion(let version): return ["kind": "to_version", "version": version.json]
    case .all: return ["kind": "all"]
    case .migrations(let ids):
      return ["kind": "migrations", "migrations": .array(ids.map(JSONValue.string))]
    }
  }

  // MARK: - Command outputs

  /// `apply --json` and `rollback --json`: what the run did.
  static func report(_ report: RunReport) -> [String: JSONValue] {
    [
      "run_id": JSONValue(report.runID),
      "steps": .array(
        report.steps.map {
          [
            "migration": .string($0.migration), "version": $0.version.json,
            "direction": .string($0.direction.rawValue),
            "duration_ms": JSONValue($0.durationMs), "transactional": .bool($0.transactional),
          ]
        }),
      "rehearsed": .bool(report.rehearsed),
      "recovered_interruptions": .array(report.recoveredInterruptions.map(interruption)),
      "current_version": report.currentVersion?.json ?? .null,
      "total_ms": JSONValue(report.totalMs),
      "head": report.head.map { ["seq": .integer($0.seq), "hash": .string($0.hash)] } ?? .null,
    ]
  }

  /// `plan --json` (and `apply --dry-run --json`).
  static func plan(_ plan: ApplyPlan, interrupted: [UnfinishedAttempt]) -> [String: JSONValue] {
    [
      "target": plan.target.map { target(.toVersion($0)) } ?? .null,
      "steps": .array(plan.steps.map(migration)),
      "already_applied": JSONValue(plan.alreadyApplied),
      "layout": .string(plan.layout.rawValue),
      "interrupted": .array(interrupted.map(interruption)),
    ]
  }

  /// `rollback --dry-run --json`: the applied migrations it would undo, newest first.
  static func rollbackPlan(_ plan: RollbackPlan) -> [String: JSONValue] {
    [
      "target": target(plan.target),
      "steps": .array(
        plan.steps.map {
          [
            "id": .string($0.migration), "version": $0.version.json,
            "repeatable": .bool($0.version.isRepeatable), "checksum": JSONValue($0.checksum),
            "applied_seq": .integer($0.appliedSeq), "applied_at": JSONValue($0.appliedAt),
            "down_sql": JSONValue($0.downSQL), "transactional": .bool($0.outsideReason == nil),
          ]
        }),
    ]
  }

  /// `status --json`.
  static func status(_ report: MigrationStatusReport, databaseExists: Bool) -> [String: JSONValue] {
    [
      "database_exists": .bool(databaseExists),
      "run_in_progress": report.activeRun.map(JSONValue.string) ?? .null,
      "ledger_readable": .bool(report.isLedgerReadable),
      "current_version": report.currentVersion?.json ?? .null,
      "layout": report.layout.map { .string($0.rawValue) } ?? .null,
      "migrations": .array(
        report.entries.map { entry in
          [
            "id": .string(entry.id), "version": entry.version.json,
            "repeatable": .bool(entry.version.isRepeatable),
            "state": .string(entry.state.rawValue), "applied_at": JSONValue(entry.appliedAt),
            "applied_by": actor(entry.appliedBy), "last_error": JSONValue(entry.lastError),
            "transactional": .bool(!entry.runsOutsideTransaction),
            "out_of_order": .bool(entry.isOutOfOrder),
            "down_section_edited": .bool(entry.downSectionEdited),
          ]
        }),
    ]
  }

  /// `history --json`: the events, each as `LedgerEvent.json` (the `export` line).
  static func history(_ events: [LedgerEvent]) -> [String: JSONValue] {
    ["events": .array(events.map(\.json))]
  }

  /// `replay --json`: the state after the point; `schema` and `schema_fingerprint` are
  /// `null` without `--schema`.
  static func replay(_ replay: Replay) -> [String: JSONValue] {
    let state = replay.state
    return [
      "last_seq": .integer(state.lastSeq), "event_count": JSONValue(state.eventCount),
      "current_version": state.currentVersion?.json ?? .null,
      "applied": .array(
        state.appliedMigrations.map {
          [
            "id": .string($0.id), "version": $0.version.json,
            "repeatable": .bool($0.version.isRepeatable),
            "applied_at": JSONValue($0.changedAt), "applied_by": actor($0.changedBy),
            "transactional": JSONValue($0.transactional),
          ]
        }),
      "last_run": state.runs.last.map {
        [
          "run_id": .string($0.id), "actor": $0.actor.json,
          "started_at": .string($0.startedAt), "last_event_at": .string($0.lastEventAt),
        ]
      } ?? .null,
      "schema": JSONValue(replay.schema?.ddl),
      "schema_fingerprint": JSONValue(replay.schema?.fingerprint),
      "notes": .array(replay.notes.map(JSONValue.string)),
      "at_end": .bool(replay.isAtEnd),
    ]
  }

  /// `verify --json`.
  static func verification(_ report: VerificationReport) -> [String: JSONValue] {
    [
      "clean": .bool(report.isClean), "events_checked": JSONValue(report.eventsChecked),
      "problems": .array(report.problems.map { .string($0.description) }),
      "notes": .array(report.notes.map(JSONValue.string)),
    ]
  }

  /// The run's ledger head on stderr (`ledger head: SEQ:HASH`), to keep outside the
  /// database as an anchor for `verify --anchor`.
  static func printHead(_ report: RunReport, _ terminal: Terminal) {
    guard terminal.verbosity != .quiet,
      !report.steps.isEmpty || !report.recoveredInterruptions.isEmpty,
      let head = report.head
    else { return }
    terminal.err("ledger head: \(head)\n")
  }
}
