import Foundation
import Testing

@testable import SchemaLedger

/// Where a source error says the problem is: each file it names, with a line when it has
/// one. Exhaustive on purpose: a new case must say where it points.
func locations(of error: MigrationSourceError) -> [(file: String, line: Int?)] {
  switch error {
  case .invalidUTF8(let file, let line), .nulByte(let file, let line),
    .missingPlaceholder(let file, let line, _), .misspeltMarker(let file, let line, _, _),
    .duplicateMarker(let file, let line, _), .sqlBeforeUpMarker(let file, let line),
    .markerOutOfOrder(let file, let line), .mixedMarkerStyles(let file, let line),
    .badDirective(let file, let line, _):
    return [(file, line)]
  case .unreadable(let file, _), .notWrittenYet(let file), .unsupportedProvider(let file, _, _),
    .journal(let file, _), .downWithoutUp(let file), .versionTooLong(let file),
    .cannotCreate(let file, _), .unknownDependency(let file, _, _),
    .dependencyCycle(let file, _):
    return [(file, nil)]
  case .directoryMissing(let path), .controlCharacters(let path),
    .unplaceable(let path, _, _), .invalidName(let path):
    return [(PathName.escapingControlCharacters(path), nil)]
  case .mixedLayouts(_, let path, _, let otherPath):
    return [(path, nil), (otherPath, nil)]
  case .duplicateVersion(_, let files), .duplicateVersionApplied(_, let files, _):
    return files.map { ($0, nil) }
  case .several(let errors):
    return errors.flatMap(locations(of:))
  }
}

/// Cases come from `SeededGenerator` (SplitMix64, in RollbackTests.swift): the same on
/// every machine, so a failure, or a crash, is replayed by running the test again.
@Suite("Fuzzing the migration parser", .timeLimit(.minutes(1)))
struct ParserFuzzTests {
  /// Real migration files: the bundled ones and every layout fixture's SQL.
  static let seeds: [[UInt8]] = {
    let roots = [
      repositoryRoot.appendingPathComponent("migrations"),
      repositoryRoot.appendingPathComponent("Tests/SchemaLedgerTests/Fixtures/Layouts"),
    ]
    var files: [[UInt8]] = []
    for root in roots {
      let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
      while let url = walker?.nextObject() as? URL {
        guard url.pathExtension == "sql", let data = try? Data(contentsOf: url) else { continue }
        files.append([UInt8](data))
      }
    }
    return files.sorted { $0.lexicographicallyPrecedes($1) }
  }()

  /// Pieces that steer the parser: markers and their near misses, directives,
  /// placeholders, quotes and comments, line endings, bytes that are not text.
  static let fragments: [[UInt8]] =
    [
      "-- migrate:up", "-- migrate:down", "-- migrate:up transaction:false", "-- migrate:UP",
      "-- migrate:dwon", "-- migrate: up", "-- +goose Up", "-- +goose Down",
      "-- +goose StatementBegin", "-- +goose StatementEnd", "-- +goose NO TRANSACTION",
      "-- +goose ENVSUB ON", "-- +goose ENVSUB OFF", "-- +goose Upp", "-- depends:",
      "-- depends: 0001_case", "-- depends: 9", "${name}", "${", "$name", "${name:-x}", "/*",
      "*/", "'", "\"", "BEGIN;", "COMMIT;", "END;", ";", "--", "\n", "\r\n", "\r", "\t",
      "\u{FEFF}", "CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;",
    ].map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80]]

  /// One mutation of `bytes`.
  static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
    var bytes = bytes
    let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
    switch Int.random(in: 0..<7, using: &generator) {
    case 0 where !bytes.isEmpty:  // flip a bit
      let index = min(position, bytes.count - 1)
      bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
    case 1:  // insert a byte, often one that matters
      let special: [UInt8] = [0x00, 0x0D, 0x0A, 0x2D, 0x3B, 0x27, 0x80, 0xFF]
      bytes.insert(
        Bool.random(using: &generator)
          ? special.randomElement(using: &generator)!
          : UInt8.random(in: 0...255, using: &generator),
        at: position)
    case 2 where !bytes.isEmpty:  // delete a run
      let end = min(bytes.count, position + Int.random(in: 1...16, using: &generator))
      bytes.removeSubrange(min(position, bytes.count - 1)..<end)
    case 3:  // insert a fragment, on a line of its own or not
      var fragment = fragments.randomElement(using: &generator)!
      if Bool.random(using: &generator) { fragment = [0x0A] + fragment + [0x0A] }
      bytes.insert(contentsOf: fragment, at: position)
    case 4:  // splice in part of another seed
      let other = seeds.randomElement(using: &generator) ?? []
      let start = other.isEmpty ? 0 : Int.random(in: 0..<other.count, using: &generator)
      bytes.insert(contentsOf: other[start...].prefix(200), at: position)
    case 5:  // duplicate a region
      let end = min(bytes.count, position + Int.random(in: 0...64, using: &generator))
      bytes.insert(contentsOf: Array(bytes[position..<end]), at: end)
    default:  // truncate
      bytes = Array(bytes.prefix(position))
    }
    return bytes
  }

  /// Checks what parsing one case gave: a migration, or a source error naming one of
  /// `files` (escaped as messages show them), with `file:line` when it has a line.
  static func check(_ result: Result<Void, any Error>, files: [String], case number: Int) {
    guard case .failure(let error) = result else { return }
    guard let sourceError = error as? MigrationSourceError else {
      Issue.record("case \(number): not a MigrationSourceError: \(error)")
      return
    }
    let description = sourceError.description
    let places = locations(of: sourceError)
    let shown = Set(files.map(PathName.escapingControlCharacters))
    #expect(!places.isEmpty, "case \(number): \(description)")
    for place in places {
      let expected = place.line.map { "\(place.file):\($0)" } ?? place.file
      #expect(shown.contains(place.file), "case \(number): names \(place.file)")
      #expect(description.contains(expected), "case \(number): \(description)")
    }
  }

  @Test("random and mutated files parse cleanly or fail with an error naming file and line")
  func mutatedFiles() throws {
    #expect(Self.seeds.count >= 20)
    var generator = SeededGenerator(seed: 0x5EED_0001)
    let identity = MigrationFileParser.Identity(id: "0001_case", version: 1, name: "case")
    let file = "fuzz/0001_case.sql"
    let substitution = PlaceholderSubstitution(
      file: file, values: ["name": "v"], environment: ["HOME": "/h"])
    for number in 0..<3000 {
      var bytes: [UInt8]
      if number % 10 == 9 {  // pure noise, now and then
        bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in
          UInt8.random(in: 0...255, using: &generator)
        }
      } else {
        bytes = Self.seeds.randomElement(using: &generator)!
        for _ in 0..<Int.random(in: 1...8, using: &generator) {
          bytes = Self.mutate(bytes, using: &generator)
        }
      }
      // From bytes, as a folder's files are read.
      Self.check(
        Result {
          let text = try SourceText.decode(bytes, file: file)
          _ = try MigrationFileParser(file: file, identity: identity).parseSingleFile(text)
          if let substituted = try substitution.gooseEnvsub(text) {
            _ = try MigrationFileParser(file: file, identity: identity)
              .parseSingleFile(substituted.text)
          }
          _ = try substitution.flyway(text)
          _ = try MigrationFileParser.parsePair(
            identity: identity, upFile: file, upText: text, downFile: "fuzz/0001_case.down.sql",
            downText: text, outsideReason: nil)
        }, files: [file, "fuzz/0001_case.down.sql"], case: number)
      // From a string, as an application embeds its SQL.
      let text = String(decoding: bytes, as: UTF8.self)
      Self.check(
        Result { _ = try MigrationSource(files: [("0001_case.sql", text)]) },
        files: ["0001_case.sql"], case: number)
    }
  }

  @Test("mutated file names in memory parse or fail with an error naming the file")
  func mutatedNames() throws {
    var generator = SeededGenerator(seed: 0x5EED_0002)
    let names = [
      "0001_case.sql", "V1__case.sql", "R__case.sql", "0001_case.up.sql", "1.2_case.sql",
      "0001-case.sql", "9223372036854775807_case.sql",
    ]
    for number in 0..<1000 {
      let name = String(
        decoding: Self.mutate(
          Array(names.randomElement(using: &generator)!.utf8), using: &generator),
        as: UTF8.self)
      Self.check(
        Result {
          _ = try MigrationSource(files: [
            (name, "CREATE TABLE a (x);"), ("0002_b.sql", "SELECT 1;"),
          ])
        }, files: [name, "0002_b.sql"], case: number)
    }
  }
}
