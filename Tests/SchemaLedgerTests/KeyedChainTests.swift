import Foundation
import Testing

@testable import SchemaLedger

/// A keyed hash chain: someone who can write to the database but does not hold the key
/// cannot rewrite events unnoticed, even by recomputing every plain hash.
@Suite("The keyed hash chain")
struct KeyedChainTests {
  static let key = LedgerKey(bytes: Array("0123456789abcdef-secret-key".utf8))!
  static let otherKey = LedgerKey(bytes: Array("another-key-of-sixteen-bytes".utf8))!

  private func keyed(_ fixture: Fixture, _ key: LedgerKey? = key) -> SchemaMigrator {
    fixture.ledger { $0.ledgerKey = key }
  }

  /// Rewrites event `seq`'s detail with the triggers dropped, then recomputes every plain
  /// hash after it and the head anchor: what a forger without the key can do.
  private func forge(_ fixture: Fixture, seq: Int64) throws {
    let connection = try SQLiteConnection(path: fixture.databasePath)
    try connection.executeScript(
      """
      DROP TRIGGER schemaledger_events_no_update;
      DROP TRIGGER schemaledger_events_no_delete;
      """)
    var previous = LedgerEvent.genesisHash
    for var event in try fixture.events() {
      if event.seq == seq { event.detail = "forged" }
      if event.seq >= seq {
        event.prevHash = previous
        event.hash = event.computedHash
        try connection.execute(
          "UPDATE schemaledger_events SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?",
          [.text(event.detail), .text(event.prevHash), .text(event.hash), .integer(event.seq)])
      }
      previous = event.hash
    }
    try connection.execute(
      "UPDATE schemaledger_meta SET value = ? WHERE key = 'head'",
      [.text("\(try fixture.events().last!.seq) \(previous)")])
  }

  @Test("With a key, every event is keyed from a 'keyed' event on, and verify holds")
  func keyedFromTheStart() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      try keyed(fixture).migrate()
      let events = try fixture.events()
      #expect(events.first?.kind == .keyed)
      #expect(events.first?.detail?.contains("key id \(Self.key.id)") == true)
      for event in events {
        #expect(event.hash == event.computedHash(key: Self.key), "event #\(event.seq)")
        #expect(event.hash != event.computedHash, "event #\(event.seq) is not plain")
      }
      #expect(try keyed(fixture).verify().isClean)
      // Without the key: the links are checked, the keyed hashes are noted as unchecked.
      let plain = try fixture.ledger().verify()
      #expect(plain.isClean)
      #expect(plain.notes.contains { $0.contains("were not checked (no key given") })
    }
  }

  @Test("A forgery that recomputes every plain hash is found with the key, not without")
  func forgeryFound() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      try keyed(fixture).migrate()
      try forge(fixture, seq: 3)
      let report = try keyed(fixture).verify()
      #expect(
        report.problems.contains { problem in
          if case .brokenChain(let found) = problem {
            return found.seq == 3 && found.reason.contains("keyed hash")
          }
          return false
        })
      // The export, checked on its own with the key, shows the same.
      var lines: [String] = []
      try fixture.ledger().export { lines.append($0) }
      #expect(!SchemaMigrator.verifyExport(lines: lines, path: "x.jsonl", key: Self.key).isClean)
      // A writer with the key refuses the forged ledger before acting.
      try fixture.migration("003_c.sql", "CREATE TABLE c (x);")
      #expect(throws: LedgerError.self) { try keyed(fixture).migrate() }
      #expect(!(try fixture.schemaObjects().contains("table c")))
    }
  }

  @Test("A keyed ledger refuses a writer without the key, or with another key")
  func writersNeedTheKey() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      try keyed(fixture).migrate(to: 1)
      let seqBefore = try fixture.events().count
      #expect(
        throws: LedgerError.keyRequired(database: fixture.databasePath, keyID: Self.key.id)
      ) { try fixture.ledger().migrate() }
      #expect(
        throws: LedgerError.wrongKey(
          database: fixture.databasePath, keyID: Self.key.id, givenID: Self.otherKey.id)
      ) { try keyed(fixture, Self.otherKey).migrate() }
      #expect(try fixture.events().count == seqBefore)
      let message = LedgerError.keyRequired(database: "app.sqlite", keyID: "x").description
      #expect(message.contains("Configuration.ledgerKey"))
      let commandLine = LedgerError.keyRequired(database: "app.sqlite", keyID: "x")
        .description(for: .commandLine)
      #expect(commandLine.contains("--ledger-key-file"))
      try keyed(fixture).migrate()
      #expect(try fixture.schemaObjects().contains("table b"))
    }
  }

  @Test("A plain ledger becomes keyed from the first run with a key; the old events stay plain")
  func keyedLater() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      try fixture.ledger().migrate(to: 1)
      try keyed(fixture).migrate()
      let events = try fixture.events()
      let keyedAt = try #require(events.firstIndex { $0.kind == .keyed })
      #expect(keyedAt > 0)
      #expect(events[..<keyedAt].allSatisfy { $0.hash == $0.computedHash })
      #expect(events[keyedAt...].allSatisfy { $0.hash == $0.computedHash(key: Self.key) })
      #expect(try keyed(fixture).verify().isClean)
      #expect(
        try keyed(fixture, Self.otherKey).verify().problems.contains { problem in
          if case .brokenChain(let found) = problem {
            return found.reason.contains("another key")
          }
          return false
        })
    }
  }

  @Test("A key given to verify a ledger that is not keyed is a finding")
  func notKeyed() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      try fixture.ledger().migrate()
      #expect(try keyed(fixture).verify().problems.contains(.notKeyed))
    }
  }

  @Test("The CLI reads the key from --ledger-key-file, refuses a short or missing one")
  func keyFileOption() throws {
    try withFixture { fixture in
      try fixture.writeTwoReversible()
      let keyFile = try fixture.directory.write("ledger.key", "0123456789abcdef-secret-key\n")
      let applied = try fixture.cli(["apply", "--ledger-key-file", keyFile.path])
      #expect(applied.status == 0, "\(applied.stderr)")
      #expect(try fixture.events().first?.kind == .keyed)
      let withoutKey = try fixture.cli(["rollback", "--steps", "1"])
      #expect(withoutKey.status == 1)
      #expect(withoutKey.stderr.contains("keyed hash chain"))
      let short = try fixture.directory.write("short.key", "too short\n")
      let refused = try fixture.cli(["verify", "--ledger-key-file", short.path])
      #expect(refused.status == 64)
      #expect(refused.stderr.contains("shorter than 16 bytes"))
      let missing = try fixture.cli(["verify", "--ledger-key-file", "/nonexistent/key"])
      #expect(missing.status == 1)
      #expect(missing.stderr.contains("cannot use '/nonexistent/key'"))
      let verified = try fixture.cli(["verify", "--ledger-key-file", keyFile.path])
      #expect(verified.status == 0, "\(verified.stdout)")
    }
  }
}
