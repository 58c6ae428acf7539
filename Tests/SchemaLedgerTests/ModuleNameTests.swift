import SchemaLedger
import Testing

/// An app's own `Migration` type (Fluent has one), beside SchemaLedger's.
private struct Migration {
  let name: String
}

/// These compile only while no public type is named like the module: with a class
/// `SchemaLedger`, `SchemaLedger.Migration` would look inside the class and fail.
@Suite("Names an app can use beside its own")
struct ModuleNameTests {
  @Test("SchemaLedger.Migration names the module's type in an app that has a Migration")
  func moduleQualifiedNames() {
    let mine = Migration(name: "app")
    let theirs: Any.Type = SchemaLedger.Migration.self
    #expect(mine.name == "app")
    #expect(String(reflecting: theirs) == "SchemaLedger.Migration")
    #expect(String(reflecting: SchemaLedger.SchemaMigrator.self) == "SchemaLedger.SchemaMigrator")
  }
}
