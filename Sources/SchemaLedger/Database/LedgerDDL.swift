/// The ledger's tables, index, append-only guards and views in one engine's dialect, with
/// the steps that upgrade an older ledger in place. The names, columns and format are the
/// same on every engine (`LedgerSchema`); each connection gives its engine's DDL
/// (`DatabaseConnection.ledgerDDL`). Apps never need it: its parts are the package's.
public struct LedgerDDL: Sendable {
  /// Creates a ledger of this build's format: idempotent, it creates only what is missing
  /// (a dropped trigger).
  package var create: String
  /// The DDL of each step of the in-place upgrade, by the format the step reaches. An
  /// engine whose ledgers began at a later format has none for the earlier ones.
  package var upgrades: [Int: String]
  /// Creates the trigger that refuses updates of events (the upgrade to format 3 drops it
  /// while it moves the texts, and creates it again in the same transaction).
  package var eventsNoUpdateTrigger: String
  /// Drops that trigger.
  package var dropEventsNoUpdateTrigger: String
  /// The names of the triggers that keep the events and the texts append-only, as
  /// `create` makes them: `verify` reports each one missing, and a writer recreates it.
  package var guardTriggers: Set<String>

  /// The engine's DDL; `create` separates its statements with blank lines.
  package init(
    create: String, upgrades: [Int: String], eventsNoUpdateTrigger: String,
    dropEventsNoUpdateTrigger: String, guardTriggers: Set<String>
  ) {
    self.create = create
    self.upgrades = upgrades
    self.eventsNoUpdateTrigger = eventsNoUpdateTrigger
    self.dropEventsNoUpdateTrigger = dropEventsNoUpdateTrigger
    self.guardTriggers = guardTriggers
  }

  /// The statement of `create` that creates the trigger `name`, or `nil`: what an operator
  /// runs to restore a dropped append-only trigger (SQLite's `CREATE TRIGGER IF NOT
  /// EXISTS name`, PostgreSQL's `CREATE OR REPLACE TRIGGER name`).
  package func triggerDefinition(named name: String) -> String? {
    create.components(separatedBy: "\n\n").first { statement in
      let head = statement.prefix { $0 != "\n" }
      return head.hasPrefix("CREATE ") && head.contains(" TRIGGER ")
        && head.hasSuffix(" \(name)")
    }
  }

  /// The upgrade step that reaches `format`; throws when this engine has none.
  func upgrade(to format: Int, database: String) throws -> String {
    guard let ddl = upgrades[format] else {
      throw LedgerError.malformedFormat(database: database, value: String(format - 1))
    }
    return ddl
  }
}
