import Foundation
import Testing

@testable import SchemaLedger
@testable import schemaledger

/// Every command's `--json` output through the real binary, against the schema of
/// docs/json.md: exact keys and types per command, `format` 1, and the shared vocabulary
/// (no `outside_transaction`, actor objects, versions as number, string or null, `_at`
/// times in UTC ISO-8601, targets as values).
@Suite("--json: one vocabulary for every command", .timeLimit(.minutes(3)))
struct JSONVocabularyTests {
  // MARK: - The schema

  static let interruption = JSONSchema.object([
    "migration": .string, "version": .version, "direction": .string, "run_id": .string,
    "transactional": .bool, "started": .bool, "actor": .actor, "planned_at": .time,
  ])

  static let report = JSONSchema.object([
    "format": .integer, "run_id": .optional(.string),
    "steps": .array(
      .object([
        "migration": .string, "version": .version, "direction": .string,
        "duration_ms": .integer, "transactional": .bool,
      ])),
    "rehearsed": .bool, "recovered_interruptions": .array(interruption),
    "current_version": .version, "total_ms": .integer,
    "head": .optional(.object(["seq": .integer, "hash": .string])),
  ])

  static let target = JSONSchema.oneOf([
    .object(["kind": .exactly("steps"), "count": .integer]),
    .object(["kind": .exactly("to_version"), "version": .version]),
    .object(["kind": .exactly("all")]),
    .object(["kind": .exactly("migrations"), "migrations": .array(.string)]),
  ])

  static let plan = JSONSchema.object([
    "format": .integer, "target": .optional(target),
    "steps": .array(
      .object([
        "id": .string, "version": .version, "repeatable": .bool, "placeholders": .array(.string),
        "checksum": .string, "file": .string, "up_sql": .string, "down_sql": .optional(.string),
        "transactional": .bool,
      ])),
    "already_applied": .integer, "layout": .string, "interrupted": .array(interruption),
  ])

  static let rollbackPlan = JSONSchema.object([
    "format": .integer, "target": target,
    "steps": .array(
      .object([
        "id": .string, "version": .version, "repeatable": .bool, "checksum": .optional(.string),
        "applied_seq": .integer, "applied_at": .optional(.time), "down_sql": .optional(.string),
        "transactional": .bool,
      ])),
  ])

  static let status = JSONSchema.object([
    "format": .integer, "current_version": .version, "layout": .optional(.string),
    "database_exists": .bool, "run_in_progress": .optional(.string), "ledger_readable": .bool,
    "migrations": .array(
      .object([
        "id": .string, "version": .version, "repeatable": .bool, "state": .string,
        "applied_at": .optional(.time), "applied_by": .optional(.actor),
        "last_error": .optional(.string), "transactional": .bool, "out_of_order": .bool,
        "down_section_edited": .bool,
      ])),
  ])

  /// A ledger event: every column, plus `actor`. No `format`: `export` lines are events.
  static let event = JSONSchema.object([
    "seq": .integer, "kind": .string, "migration": .optional(.string), "version": .version,
    "direction": .optional(.string), "checksum": .optional(.string), "run_id": .string,
    "actor_user": .string, "actor_host": .string, "actor_pid": .integer, "actor": .actor,
    "recorded_at": .time, "duration_ms": .optional(.integer),
    "transactional": .optional(.bool), "sql": .optional(.string),
    "down_sql": .optional(.string), "error": .optional(.string),
    "error_code": .optional(.integer), "detail": .optional(.string),
    "depends_on": .optional(.string), "schema_fingerprint": .optional(.string),
    "prev_hash": .string, "hash": .string,
  ])

  static let history = JSONSchema.object(["format": .integer, "events": .array(event)])

  static let replay = JSONSchema.object([
    "format": .integer, "last_seq": .integer, "event_count": .integer,
    "current_version": .version,
    "applied": .array(
      .object([
        "id": .string, "version": .version, "repeatable": .bool,
        "applied_at": .optional(.time), "applied_by": .optional(.actor),
        "transactional": .optional(.bool),
      ])),
    "last_run": .optional(
      .object([
        "run_id": .string, "actor": .actor, "started_at": .time, "last_event_at": .time,
      ])),
    "schema": .optional(.string), "schema_fingerprint": .optional(.string),
    "notes": .array(.string), "at_end": .bool,
  ])

  static let verify = JSONSchema.object([
    "format": .integer, "clean": .bool, "events_checked": .integer,
    "problems": .array(.string), "notes": .array(.string),
  ])

  // MARK: - Running and checking

  /// The commands whose output was checked (the first argument of each run).
  final class Coverage: @unchecked Sendable {
    var commands: Set<String> = []
  }

  /// Runs `arguments` (with the fixture's paths), expects `status`, checks stdout against
  /// `schema` and the shared vocabulary, and returns the object.
  @discardableResult
  func output(
    _ fixture: Fixture, _ arguments: [String], _ schema: JSONSchema, status: Int32 = 0,
    coverage: Coverage, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws -> [String: Any] {
    coverage.commands.insert(arguments[0])
    let result = try fixture.cli(arguments)
    #expect(
      result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
    let object = try jsonObject(result.stdout)
    #expect(object["format"] as? Int == 1, "\(arguments)", sourceLocation: sourceLocation)
    #expect(schema.issues(object) == [], "\(arguments)", sourceLocation: sourceLocation)
    #expect(
      JSONSchema.vocabularyIssues(object) == [], "\(arguments)", sourceLocation: sourceLocation)
    return object
  }

  /// JSON Lines output: one event per line, no `format`.
  func lines(
    _ fixture: Fixture, _ arguments: [String], coverage: Coverage,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws -> [String] {
    coverage.commands.insert(arguments[0])
    let result = try fixture.cli(arguments)
    #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    for line in lines {
      let object = try jsonObject(line)
      #expect(object["format"] == nil, sourceLocation: sourceLocation)
      #expect(Self.event.issues(object) == [], "\(line)", sourceLocation: sourceLocation)
      #expect(JSONSchema.vocabularyIssues(object) == [], sourceLocation: sourceLocation)
    }
    return lines
  }

  /// `001_a` applied, `002_b` rolled back (pending again), `003_c` failed, `004_d`
  /// interrupted (planned by a run that died); returns `rollback --json`'s output.
  func everyState(_ fixture: Fixture, coverage: Coverage) throws -> [String: Any] {
    try fixture.applyTwoReversible()
    try fixture.migration(
      "003_c.sql", Fixture.dbmate(up: "CREATE TABEL c (x);", down: "DROP TABLE c;"))
    try fixture.migration(
      "004_d.sql", Fixture.dbmate(up: "CREATE TABLE d (x);", down: "DROP TABLE d;"))
    #expect(try fixture.cli(["apply"]).status == 1)
    let rollback = try output(fixture, ["rollback", "--json"], Self.report, coverage: coverage)
    let store = LedgerStore(connection: try SQLiteConnection(path: fixture.databasePath))
    try store.prepare(runID: "test-setup", actor: .current())
    try store.connection.inTransaction {
      let planned = try store.append(
        LedgerEvent(
          kind: .planned, migration: "004_d", version: 4, direction: .up, checksum: "c4",
          runID: "crashed-run", actor: LedgerActor(user: "ops", host: "db1", pid: 7),
          transactional: true, sql: "CREATE TABLE d (x);"))
      try store.recordHead(seq: planned.seq, hash: planned.hash)
    }
    return rollback
  }

  // MARK: - Tests

  /// The `--json` runs on the fixture of `everyState`, with their schema and exit code.
  static let runs: [(arguments: [String], schema: JSONSchema, status: Int32)] = [
    (["status", "--json"], status, 0),
    (["status", "--json", "--exit-code"], status, 3),
    (["plan", "--json"], plan, 0),
    (["plan", "--json", "--to", "2"], plan, 0),
    (["apply", "--dry-run", "--json"], plan, 0),
    (["rollback", "--dry-run", "--json"], rollbackPlan, 0),
    (["rollback", "--dry-run", "--all", "--json"], rollbackPlan, 0),
    (["history", "--json"], history, 0),
    (["replay", "--json"], replay, 0),
    (["replay", "--json", "--schema", "--at", "4"], replay, 0),
    (["verify", "--json"], verify, 0),
    (["down", "--dry-run", "--json"], rollbackPlan, 0),
    (["version", "--json"], version, 0),
  ]

  /// `version --json`.
  static let version = JSONSchema.object(["format": .integer, "current_version": .version])

  /// Commands whose `--json` is checked by their own tests (they change the fixture):
  /// `redo` in `VocabularyTests.redoJSON`.
  static let coveredElsewhere: Set<String> = ["redo"]

  /// The JSON Lines runs: one event per line.
  static let lineRuns: [[String]] = [["history", "--jsonl"], ["export"]]

  @Test("the runs cover every command that has --json, and export")
  func coverage() {
    let withJSON = CommandLineTool.allCommands.filter { command in
      command.options.contains { $0.name == "json" }
    }
    let names = withJSON.map { $0.name }
    let covered = Set(Self.runs.map { $0.arguments[0] } + Self.lineRuns.map { $0[0] })
      .union(Self.coveredElsewhere)
    #expect(covered.isSuperset(of: names), "\(names)")
    #expect(covered.contains("export"))
  }

  @Test("the checker itself refuses the old shapes")
  func checker() throws {
    let old = try jsonObject(
      #"{"outside_transaction": false, "applied_by": "root@vm (pid 1)", "target": "--to 3", "#
        + #""applied_at": "", "version": "x", "transactional": 1}"#)
    #expect(JSONSchema.vocabularyIssues(old).count == 6)
    let good = try jsonObject(
      #"{"transactional": true, "applied_by": {"user": "u", "host": "h", "pid": 1}, "#
        + #""target": {"kind": "all"}, "applied_at": "2026-11-25T08:50:12.123Z", "#
        + #""versions": [{"version": 3}, {"version": "1.10"}, {"version": null}]}"#)
    #expect(JSONSchema.vocabularyIssues(good) == [])
    #expect(JSONSchema.object(["a": .integer]).issues(try jsonObject(#"{"a": true}"#)).count == 1)
    #expect(JSONSchema.object(["a": .bool]).issues(try jsonObject(#"{"a": 1}"#)).count == 1)
    #expect(
      JSONSchema.object(["a": .integer]).issues(try jsonObject(#"{"a": 1, "b": 2}"#)).count == 1)
    #expect(JSONSchema.parseTime("2026-11-25T08:50:12+01:00") == nil)
  }

  @Test("every command's --json output fits its schema and the shared vocabulary")
  func everyCommand() throws {
    let coverage = Coverage()
    try withFixture { fixture in
      let rollback = try everyState(fixture, coverage: coverage)
      try checkRollback(rollback)
      var outputs: [String: [String: Any]] = [:]
      for run in Self.runs {
        outputs[run.arguments.joined(separator: " ")] = try output(
          fixture, run.arguments, run.schema, status: run.status, coverage: coverage)
      }
      let jsonl = try lines(fixture, Self.lineRuns[0], coverage: coverage)
      let exported = try lines(fixture, Self.lineRuns[1], coverage: coverage)
      #expect(exported == jsonl)
      try checkStatus(try #require(outputs["status --json"]))
      try checkPlans(outputs)
      try checkHistory(try #require(outputs["history --json"]), lines: jsonl.count)
      try checkReplays(outputs)
      let verified = try #require(outputs["verify --json"])
      #expect(verified["clean"] as? Bool == true, "\(verified)")
      let file = fixture.directory.appendingPathComponent("ledger.jsonl")
      try (exported.joined(separator: "\n") + "\n").write(
        to: file, atomically: true, encoding: .utf8)
      let fromExport = try output(
        fixture, ["verify", "--json", "--export", file.path], Self.verify, coverage: coverage)
      #expect(fromExport["clean"] as? Bool == true)
      #expect(fromExport["events_checked"] as? Int == exported.count)
    }
    #expect(coverage.commands.contains("rollback"))
  }

  func checkRollback(_ rollback: [String: Any]) throws {
    let undone = try #require(rollback["steps"] as? [[String: Any]])
    #expect(undone.map { $0["migration"] as? String } == ["002_b"])
    #expect(undone.map { $0["direction"] as? String } == ["down"])
  }

  func checkStatus(_ status: [String: Any]) throws {
    let migrations = try #require(status["migrations"] as? [[String: Any]])
    #expect(migrations.map { $0["id"] as? String } == ["001_a", "002_b", "003_c", "004_d"])
    let states = migrations.map { $0["state"] as? String }
    #expect(states == ["applied", "pending", "failed", "interrupted"])
    let by = try #require(migrations[0]["applied_by"] as? [String: Any])
    #expect(JSONSchema.actor.issues(by) == [])
    let notApplied: Any? = migrations[1]["applied_by"]
    #expect(notApplied is NSNull)
    let error = migrations[2]["last_error"] as? String
    #expect(error?.contains("TABEL") == true)
  }

  func checkPlans(_ outputs: [String: [String: Any]]) throws {
    let plan = try #require(outputs["plan --json"])
    let steps = try #require(plan["steps"] as? [[String: Any]])
    #expect(steps.map { $0["id"] as? String } == ["002_b", "003_c", "004_d"])
    let noTarget: Any? = plan["target"]
    #expect(noTarget is NSNull)
    let interrupted = try #require(plan["interrupted"] as? [[String: Any]])
    #expect(interrupted.map { $0["run_id"] as? String } == ["crashed-run"])
    let actor = try #require(interrupted.first?["actor"] as? [String: Any])
    #expect(actor["user"] as? String == "ops")
    #expect(actor["pid"] as? Int == 7)
    let upTo = try #require(outputs["plan --json --to 2"]?["target"] as? [String: Any])
    #expect(upTo["kind"] as? String == "to_version")
    #expect(upTo["version"] as? Int == 2)
    let dryRun = try #require(outputs["apply --dry-run --json"])
    #expect((dryRun["steps"] as? [Any])?.count == 3)
    let rollback = try #require(outputs["rollback --dry-run --json"])
    let target = try #require(rollback["target"] as? [String: Any])
    #expect(target["kind"] as? String == "steps")
    #expect(target["count"] as? Int == 1)
    let all = try #require(outputs["rollback --dry-run --all --json"])
    #expect((all["target"] as? [String: Any])?["kind"] as? String == "all")
    let ids = (all["steps"] as? [[String: Any]])?.map { $0["id"] as? String }
    #expect(ids == ["001_a"])
  }

  func checkHistory(_ history: [String: Any], lines: Int) throws {
    let events = try #require(history["events"] as? [[String: Any]])
    #expect(events.count == lines)
    let kinds = Set(events.compactMap { $0["kind"] as? String })
    #expect(kinds.isSuperset(of: ["planned", "applied", "failed", "rolled_back"]))
  }

  func checkReplays(_ outputs: [String: [String: Any]]) throws {
    let now = try #require(outputs["replay --json"])
    let noSchema: Any? = now["schema"]
    #expect(noSchema is NSNull)
    #expect(now["at_end"] as? Bool == true)
    let run = now["last_run"] as? [String: Any]
    #expect(run?["run_id"] as? String == "crashed-run")
    let early = try #require(outputs["replay --json --schema --at 4"])
    #expect(early["schema"] as? String == "CREATE TABLE a (x);\n")
    #expect(early["at_end"] as? Bool == false)
  }

  @Test("versions: a number, a string of several parts, null for a repeatable (Flyway)")
  func versions() throws {
    let coverage = Coverage()
    try withFixture { fixture in
      try fixture.migration("V1__a.sql", "CREATE TABLE a (x);")
      try fixture.migration("V1.10__b.sql", "CREATE TABLE b (x);")
      try fixture.migration(
        "R__v.sql", "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT x FROM a;")
      let plan = try output(fixture, ["plan", "--json"], Self.plan, coverage: coverage)
      let planned = try #require(plan["steps"] as? [[String: Any]])
      #expect(planned.map { $0["repeatable"] as? Bool } == [false, false, true])
      let apply = try output(fixture, ["apply", "--json"], Self.report, coverage: coverage)
      let steps = try #require(apply["steps"] as? [[String: Any]])
      try checkVersions(steps.map { $0["version"] })
      #expect(apply["current_version"] as? String == "1.10")
      #expect(apply["run_id"] is String)
      let head = try #require(apply["head"] as? [String: Any])
      #expect((head["hash"] as? String)?.count == 64)
      let status = try output(fixture, ["status", "--json"], Self.status, coverage: coverage)
      #expect(status["layout"] as? String == "flyway")
      let entries = try #require(status["migrations"] as? [[String: Any]])
      try checkVersions(entries.map { $0["version"] })
      let again = try output(fixture, ["apply", "--json"], Self.report, coverage: coverage)
      let runID: Any? = again["run_id"]
      #expect(runID is NSNull)
    }
  }

  func checkVersions(_ versions: [Any?]) throws {
    try #require(versions.count == 3)
    #expect(versions[0] as? Int == 1)
    #expect(versions[1] as? String == "1.10")
    let repeatable: Any? = versions[2]
    #expect(repeatable is NSNull)
  }
}
