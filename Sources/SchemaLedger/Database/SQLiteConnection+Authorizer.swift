import CSQLite

// Wraps `sqlite3_set_authorizer`: SQLite calls the authorizer while it compiles a
// statement (and while it runs one that compiles statements of its own, as VACUUM does),
// once per action, with the action code and up to four names (object, table or column,
// database, innermost trigger or view). Returning SQLITE_DENY makes the compilation, or
// the step, fail with SQLITE_AUTH. No `@unchecked Sendable` is involved: the state the
// callback reads is reached through an unretained pointer whose lifetime and thread use
// are explained on `StatementAuthorizer` and `installAuthorizer`.

/// What a script run with `executeScript(_:heartbeat:guardedBy:)` may not do. SQLite's
/// authorizer refuses the statement before it runs (or, for what SQLite does while
/// running one, such as `VACUUM INTO` opening its file, before that happens).
public struct ScriptGuard: Sendable, Equatable {
  /// Objects whose name starts with this prefix (in any case, in any attached database)
  /// may be read, but not created, dropped, altered or written, nor given triggers or
  /// indexes. `PRAGMA writable_schema` may not be switched on either, since it would let
  /// a statement rewrite their definitions.
  public var protectedPrefix: String?
  /// Confines the script to the connection's own database file: attaching another file
  /// and writing a database that lives in another file are refused. In-memory and
  /// temporary databases (`ATTACH ''`, plain `VACUUM`) are allowed.
  public var confined: Bool

  public init(protectedPrefix: String? = nil, confined: Bool = false) {
    self.protectedPrefix = protectedPrefix
    self.confined = confined
  }
}

/// Why a guarded script's statement was refused.
public enum ScriptRefusal: Sendable, Equatable {
  /// It would change a protected object. `action` says how, with the names involved
  /// (`drops the trigger schemaledger_events_no_delete`); `object` is the protected name.
  case protectedObject(action: String, object: String)
  /// It would switch `PRAGMA writable_schema` on.
  case writableSchema
  /// It would attach the database file `path` (a confined script).
  case attachesFile(path: String)
  /// It would write a copy of the database to the file `path` (`VACUUM INTO`; confined).
  case vacuumsInto(path: String)
  /// It would write the database attached as `name`, which lives in another file
  /// (confined).
  case writesOtherDatabase(name: String)

  /// `true` when the refusal comes from `ScriptGuard.confined`: the statement would
  /// write outside the connection's own database file.
  public var leavesDatabaseFile: Bool {
    switch self {
    case .attachesFile, .vacuumsInto, .writesOtherDatabase: return true
    case .protectedObject, .writableSchema: return false
    }
  }

  /// What the statement would do, as a verb phrase (`attaches the database file 'x'`).
  public var action: String {
    switch self {
    case .protectedObject(let action, _): return action
    case .writableSchema: return "switches PRAGMA writable_schema on"
    case .attachesFile(let path): return "attaches another database file ('\(path)')"
    case .vacuumsInto(let path): return "writes a copy of the database to '\(path)' (VACUUM INTO)"
    case .writesOtherDatabase(let name):
      return "writes the database attached as '\(name)', which is another file"
    }
  }
}

/// The state behind the authorizer of one connection (`sqlite3_set_authorizer`): the
/// guard in force, if any, and the first refusal of the statement being prepared or run.
///
/// SQLite calls the authorizer synchronously, on the thread that prepares or steps a
/// statement, so this object is only ever used on the thread running the script that set
/// `rules`. It is not `Sendable` and needs no lock; the connection keeps it alive for as
/// long as the authorizer can be called (see `installAuthorizer`).
final class StatementAuthorizer {
  /// The guard in force; `nil` between guarded scripts (then everything is allowed).
  var rules: ScriptGuard?
  /// `true` while `sqlite3_prepare_v3` compiles a statement of the script: the statement's
  /// own actions are judged then. While it runs, SQLite may prepare statements of its own
  /// (`VACUUM` copies every table, the ledger's included, into a temporary database; a
  /// virtual table creates its shadow tables), and only the confinement applies to those.
  var preparing = false
  /// The first refusal since `startStatement()`.
  private(set) var refusal: ScriptRefusal?
  /// The table of the last `ALTER TABLE` judged while preparing, for the rename check.
  private(set) var alteredTable: String?
  private let handle: OpaquePointer

  init(handle: OpaquePointer) {
    self.handle = handle
  }

  /// Forgets the previous statement's refusal, before the next statement is prepared.
  func startStatement() {
    refusal = nil
    alteredTable = nil
    preparing = true
  }

  /// Judges one action; returns `SQLITE_OK` or `SQLITE_DENY`.
  func authorize(
    _ action: Int32, _ first: String?, _ second: String?, database: String?, trigger: String?
  ) -> Int32 {
    guard let rules else { return SQLITE_OK }
    if refusal != nil { return SQLITE_DENY }
    var found: ScriptRefusal?
    if rules.confined {
      found = confinement(action, first, database: database)
    }
    if found == nil, preparing, let prefix = rules.protectedPrefix {
      found = protection(action, first, second, trigger: trigger, prefix: prefix)
    }
    guard let found else { return SQLITE_OK }
    refusal = found
    return SQLITE_DENY
  }

  /// `ALTER TABLE x RENAME TO <protected name>`: the authorizer names only the old table,
  /// so the new name is read from the prepared statement's text.
  func renameRefusal(statementSQL: String) -> ScriptRefusal? {
    guard let table = alteredTable, let prefix = rules?.protectedPrefix,
      let newName = SQLScanner.renamedTable(in: statementSQL), isProtected(newName, prefix)
    else { return nil }
    return .protectedObject(action: "renames the table \(table) to \(newName)", object: newName)
  }

  private func isProtected(_ name: String?, _ prefix: String) -> Bool {
    guard let name, name.utf8.count >= prefix.utf8.count else { return false }
    return name.prefix(prefix.count).lowercased() == prefix.lowercased()
  }

  /// The protected-object rule, for the statement's own actions.
  private func protection(
    _ action: Int32, _ first: String?, _ second: String?, trigger: String?, prefix: String
  ) -> ScriptRefusal? {
    let name = first ?? "?"
    let table = second ?? "?"
    let candidates: [(object: String?, action: String)]
    switch action {
    case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE:
      candidates = [(first, "creates the table \(name)")]
    case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE:
      candidates = [(first, "drops the table \(name)")]
    case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX:
      candidates = [
        (second, "creates the index \(name) on \(table)"), (first, "creates the index \(name)"),
      ]
    case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX:
      candidates = [
        (first, "drops the index \(name)"), (second, "drops the index \(name) of \(table)"),
      ]
    case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER:
      candidates = [
        (second, "creates the trigger \(name) on \(table)"), (first, "creates the trigger \(name)"),
      ]
    case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER:
      candidates = [
        (first, "drops the trigger \(name)"), (second, "drops the trigger \(name) of \(table)"),
      ]
    case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW:
      candidates = [(first, "creates the view \(name)")]
    case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW:
      candidates = [(first, "drops the view \(name)")]
    case SQLITE_CREATE_VTABLE:
      candidates = [(first, "creates the virtual table \(name)")]
    case SQLITE_DROP_VTABLE:
      candidates = [(first, "drops the virtual table \(name)")]
    case SQLITE_ALTER_TABLE:  // first: the database, second: the table
      alteredTable = second
      candidates = [(second, "alters the table \(table)")]
    case SQLITE_INSERT:
      candidates = [(first, "inserts into the table \(name)")]
    case SQLITE_UPDATE:
      candidates = [(first, "updates the table \(name)")]
    case SQLITE_DELETE:
      candidates = [(first, "deletes from the table \(name)")]
    case SQLITE_PRAGMA:
      let off = ["0", "off", "false", "no"]
      if first?.lowercased() == "writable_schema", let value = second,
        !off.contains(value.lowercased())
      {
        return .writableSchema
      }
      return nil
    default:
      return nil
    }
    guard let hit = candidates.first(where: { isProtected($0.object, prefix) }),
      let object = hit.object
    else { return nil }
    let inTrigger = trigger.map { " (in the body of \($0))" } ?? ""
    return .protectedObject(action: hit.action + inTrigger, object: object)
  }

  /// The confinement rule: no other database file may be opened or written.
  private func confinement(_ action: Int32, _ first: String?, database: String?)
    -> ScriptRefusal?
  {
    switch action {
    case SQLITE_ATTACH:
      // '' is a private temporary database, ':memory:' a private in-memory one; plain
      // VACUUM attaches '' to rebuild the database.
      guard let file = first, !file.isEmpty, file != ":memory:" else { return nil }
      return preparing ? .attachesFile(path: file) : .vacuumsInto(path: file)
    case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE, SQLITE_CREATE_INDEX, SQLITE_CREATE_TABLE,
      SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VIEW, SQLITE_DROP_INDEX, SQLITE_DROP_TABLE,
      SQLITE_DROP_TRIGGER, SQLITE_DROP_VIEW, SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE:
      return writesOtherFile(database)
    case SQLITE_ALTER_TABLE:
      return writesOtherFile(first)  // for ALTER TABLE, the first argument is the database
    default:
      return nil
    }
  }

  private func writesOtherFile(_ database: String?) -> ScriptRefusal? {
    guard let database, database != "main", database != "temp" else { return nil }
    // Empty (or NULL) for a temporary or in-memory database, such as VACUUM's own.
    let file = sqlite3_db_filename(handle, database).map { String(cString: $0) } ?? ""
    return file.isEmpty ? nil : .writesOtherDatabase(name: database)
  }
}

extension SQLiteConnection {
  /// Installs `authorizer` as the connection's authorizer (`sqlite3_set_authorizer`),
  /// once; it stays installed until the connection closes, and allows everything while
  /// its `rules` are `nil`.
  ///
  /// Installed once rather than around each script because setting or clearing an
  /// authorizer expires every prepared statement of the connection (SQLite re-prepares
  /// them on their next use), which would re-prepare the ledger's cached statements at
  /// every step.
  ///
  /// The callback receives the authorizer as an unretained pointer. That is safe because
  /// the connection owns the authorizer (a stored property) and closes the handle in its
  /// `deinit`, before its stored properties are released: SQLite cannot call the callback
  /// once the object is gone. The callback is a C function pointer that captures nothing.
  func installAuthorizer(_ authorizer: StatementAuthorizer) {
    sqlite3_set_authorizer(
      handle,
      { context, action, first, second, database, trigger in
        guard let context else { return SQLITE_OK }
        let authorizer = Unmanaged<StatementAuthorizer>.fromOpaque(context)
          .takeUnretainedValue()
        guard authorizer.rules != nil else { return SQLITE_OK }
        switch action {
        case SQLITE_READ, SQLITE_SELECT, SQLITE_FUNCTION, SQLITE_RECURSIVE:
          return SQLITE_OK  // the most frequent codes, never refused: no strings to copy
        default:
          break
        }
        return authorizer.authorize(
          action, first.map { String(cString: $0) }, second.map { String(cString: $0) },
          database: database.map { String(cString: $0) },
          trigger: trigger.map { String(cString: $0) })
      }, Unmanaged.passUnretained(authorizer).toOpaque())
  }
}
