import Foundation
import Testing

@testable import SchemaLedger

@Suite("Placeholder substitution")
struct PlaceholderSubstitutionTests {
  static let file = "migrations/V2__seed.sql"

  func substitution(
    _ values: [String: String] = [:], environment: [String: String] = [:]
  ) -> PlaceholderSubstitution {
    PlaceholderSubstitution(file: Self.file, values: values, environment: environment)
  }

  /// Flyway substitution of `text`; records an issue when it reports no placeholder.
  func flyway(_ text: String, _ values: [String: String] = [:]) throws
    -> PlaceholderSubstitution.Result
  {
    try #require(try substitution(values).flyway(text))
  }

  /// goose ENVSUB substitution of `text`; records an issue when nothing is substituted.
  func goose(
    _ text: String, values: [String: String] = [:], environment: [String: String] = [:]
  ) throws -> PlaceholderSubstitution.Result {
    try #require(try substitution(values, environment: environment).gooseEnvsub(text))
  }

  /// A goose file whose line 4 is `line`, inside an ENVSUB block.
  static func gooseFile(_ line: String) -> String {
    "-- +goose Up\n-- +goose StatementBegin\n-- +goose ENVSUB ON\n\(line)\n"
      + "-- +goose ENVSUB OFF\n-- +goose StatementEnd\n"
  }

  /// The fourth line of `text`.
  static func line4(_ text: String) -> String {
    String(text.lfLines[3])
  }

  // MARK: - Flyway

  @Test("Flyway: a file without ${ has nothing to substitute")
  func flywayNone() throws {
    #expect(try substitution(["a": "1"]).flyway("SELECT 1;\n") == nil)
  }

  @Test("Flyway: ${name} is replaced on every line, each time it appears")
  func flywayEveryLine() throws {
    let result = try flyway(
      "INSERT INTO t VALUES ('${role}');\nSELECT 1;\nUPDATE t SET r = '${role}' WHERE r <> '${role}';\n",
      ["role": "admin"])
    #expect(
      result.text
        == "INSERT INTO t VALUES ('admin');\nSELECT 1;\n"
        + "UPDATE t SET r = 'admin' WHERE r <> 'admin';\n")
  }

  @Test("Flyway: the names used are reported once each, sorted")
  func flywayNamesSorted() throws {
    let result = try flyway(
      "SELECT '${zeta}', '${alpha}';\nSELECT '${zeta}';\n", ["alpha": "a", "zeta": "z"])
    #expect(result.names == ["alpha", "zeta"])
  }

  @Test(
    "Flyway: built-in placeholders have values without being given",
    arguments: [
      ("flyway:defaultSchema", "main"),
      ("flyway:schemas", "main"),
      ("flyway:database", "main"),
      ("flyway:user", ""),
      ("flyway:filename", "V2__seed.sql"),
      ("flyway:table", "schemaledger_events"),
    ])
  func flywayBuiltIn(name: String, value: String) throws {
    let result = try flyway("SELECT '${\(name)}';")
    #expect(result.text == "SELECT '\(value)';")
    #expect(result.names == [name])
  }

  @Test("Flyway: a given value overrides a built-in one")
  func flywayGivenOverridesBuiltIn() throws {
    let result = try flyway("SELECT '${flyway:defaultSchema}';", ["flyway:defaultSchema": "aux"])
    #expect(result.text == "SELECT 'aux';")
  }

  @Test("Flyway: a placeholder without a value is an error naming the file, line and name")
  func flywayMissing() throws {
    let text = "SELECT 1;\n-- ${commented} counts too\nSELECT '${known}', '${unknown}';\n"
    #expect(
      throws: MigrationSourceError.missingPlaceholder(file: Self.file, line: 2, name: "commented")
    ) { try substitution(["known": "k"]).flyway(text) }
    #expect(
      throws: MigrationSourceError.missingPlaceholder(file: Self.file, line: 3, name: "unknown")
    ) { try substitution(["known": "k", "commented": "c"]).flyway(text) }
  }

  @Test(
    "Flyway: $1, $name and $$ are not placeholders and stay as written",
    arguments: ["SELECT $1, ?2;", "SELECT $$body$$;", "SELECT $name;", "SELECT '$';"])
  func flywayOtherDollars(sql: String) throws {
    let result = try substitution(["name": "x", "body": "y", "p": "v"]).flyway(sql + " -- ${p}")
    #expect(result?.text == sql + " -- v")
  }

  @Test("Flyway: a value is inserted as is, not substituted again")
  func flywayValueNotRescanned() throws {
    let result = try flyway("SELECT '${a}';", ["a": "${b}", "b": "no"])
    #expect(result.text == "SELECT '${b}';")
    #expect(result.names == ["a"])
  }

  @Test("Flyway: line breaks are kept, so lines keep their numbers")
  func flywayLinesKept() throws {
    let text = "\n\nSELECT '${a}';\n\n"
    #expect(try flyway(text, ["a": "1"]).text == "\n\nSELECT '1';\n\n")
  }

  // MARK: - goose ENVSUB

  @Test("goose: a file without ENVSUB markers has nothing to substitute")
  func gooseNoMarkers() throws {
    let result = try substitution(environment: ["A": "x"]).gooseEnvsub(
      "-- +goose Up\nSELECT '${A}', '$A';\n")
    #expect(result == nil)
  }

  @Test("goose: only the lines between ENVSUB ON and ENVSUB OFF are substituted")
  func gooseOnlyInsideBlock() throws {
    let text = """
      -- +goose Up
      SELECT '${A}';
      -- +goose ENVSUB ON
      SELECT '${A}';
      -- +goose ENVSUB OFF
      SELECT '${A}';
      """
    let result = try goose(text, environment: ["A": "x"])
    #expect(
      result.text
        == """
        -- +goose Up
        SELECT '${A}';
        -- +goose ENVSUB ON
        SELECT 'x';
        -- +goose ENVSUB OFF
        SELECT '${A}';
        """)
    #expect(result.names == ["A"])
  }

  @Test("goose: ENVSUB markers are case-insensitive and a block runs to the end without OFF")
  func gooseMarkerCase() throws {
    let text = "-- +goose up\n-- +goose envsub on\nSELECT '$A';\nSELECT '$A';"
    #expect(try goose(text, environment: ["A": "x"]).text.hasSuffix("SELECT 'x';\nSELECT 'x';"))
  }

  @Test("goose: an ENVSUB block without references substitutes nothing")
  func gooseBlockWithoutReferences() throws {
    #expect(
      try substitution(environment: ["A": "x"]).gooseEnvsub(Self.gooseFile("SELECT 1;")) == nil)
  }

  @Test(
    "goose: ${VAR} and $VAR read the variable",
    arguments: ["SELECT '${TENANT}';", "SELECT '$TENANT';"])
  func gooseReference(line: String) throws {
    let result = try goose(Self.gooseFile(line), environment: ["TENANT": "acme"])
    #expect(Self.line4(result.text) == "SELECT 'acme';")
    #expect(result.names == ["TENANT"])
  }

  @Test(
    "goose: ${VAR:-default} uses the default when the variable is unset or empty",
    arguments: [
      (nil, "fallback"),
      ("", "fallback"),
      ("set", "set"),
    ] as [(String?, String)])
  func gooseColonDash(value: String?, expected: String) throws {
    let environment = value.map { ["V": $0] } ?? [:]
    let result = try goose(Self.gooseFile("SELECT '${V:-fallback}';"), environment: environment)
    #expect(Self.line4(result.text) == "SELECT '\(expected)';")
  }

  @Test(
    "goose: ${VAR-default} uses the default only when the variable is unset",
    arguments: [
      (nil, "fallback"),
      ("", ""),
      ("set", "set"),
    ] as [(String?, String)])
  func gooseDash(value: String?, expected: String) throws {
    let environment = value.map { ["V": $0] } ?? [:]
    let result = try goose(Self.gooseFile("SELECT '${V-fallback}';"), environment: environment)
    #expect(Self.line4(result.text) == "SELECT '\(expected)';")
  }

  @Test(
    "goose: ${VAR:?message} is an error when the variable is unset or empty",
    arguments: [nil, ""] as [String?])
  func gooseColonQuestionError(value: String?) throws {
    let environment = value.map { ["V": $0] } ?? [:]
    #expect(throws: MigrationSourceError.missingPlaceholder(file: Self.file, line: 4, name: "V")) {
      try substitution(environment: environment).gooseEnvsub(
        Self.gooseFile("SELECT '${V:?V must be set}';"))
    }
  }

  @Test("goose: ${VAR:?message} gives the value when the variable is set")
  func gooseColonQuestionSet() throws {
    let result = try goose(
      Self.gooseFile("SELECT '${V:?V must be set}';"), environment: ["V": "set"])
    #expect(Self.line4(result.text) == "SELECT 'set';")
  }

  @Test("goose: an explicit placeholder value wins over the environment")
  func gooseExplicitWins() throws {
    let result = try goose(
      Self.gooseFile("SELECT '${V}';"), values: ["V": "explicit"], environment: ["V": "env"])
    #expect(Self.line4(result.text) == "SELECT 'explicit';")
  }

  @Test(
    "goose: an unset variable is an error naming its line (goose would expand it to nothing)",
    arguments: ["SELECT '${MISSING}';", "SELECT '$MISSING';"])
  func gooseUnset(line: String) throws {
    #expect(
      throws: MigrationSourceError.missingPlaceholder(file: Self.file, line: 4, name: "MISSING")
    ) { try substitution(environment: ["OTHER": "x"]).gooseEnvsub(Self.gooseFile(line)) }
  }

  @Test(
    "goose: $1 and a lone $$ are not references and stay as written",
    arguments: ["SELECT $1, '${V}';", "SELECT $$ , '${V}';"])
  func gooseOtherDollars(line: String) throws {
    let result = try goose(Self.gooseFile(line), environment: ["V": "v"])
    #expect(Self.line4(result.text) == line.replacingOccurrences(of: "${V}", with: "v"))
  }
}

@Suite("Placeholder edge cases")
struct PlaceholderEdgeCaseTests {
  @Test("$$ is never the start of a reference, in goose ENVSUB blocks and Flyway files")
  func doubleDollar() throws {
    let substitution = PlaceholderSubstitution(
      file: "m.sql", values: [:], environment: ["name": "value"])
    let goose = try substitution.gooseEnvsub(
      "-- +goose ENVSUB ON\nSELECT $$name$$, $name;\n-- +goose ENVSUB OFF\n")
    #expect(goose?.text == "-- +goose ENVSUB ON\nSELECT $$name$$, value;\n-- +goose ENVSUB OFF\n")
    #expect(try substitution.flyway("SELECT $$x$$;\n") == nil)
  }

  @Test("A repeatable migration split into .up/.down files is refused as malformed")
  func repeatablePairRefused() {
    guard case .malformed(let hint)? = MigrationFileName.parse(file: "R__views.up.sql") else {
      Issue.record("R__views.up.sql was not refused")
      return
    }
    #expect(hint.contains("R__name.sql"))
  }
}
