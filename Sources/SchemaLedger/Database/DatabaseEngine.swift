/// The database engines SchemaLedger runs on. The ledger's code does not ask which one
/// it talks to (`DatabaseConnection` hides it); what other tools wrote does depend on it
/// (`HistoryImporter` reads their tables as each tool writes them on that engine).
public enum DatabaseEngine: String, Sendable {
  case sqlite
  case postgres
}
