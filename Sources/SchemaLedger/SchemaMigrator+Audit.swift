import FoundationEssentials

/// Reading the past: replay, verification, export.
extension SchemaMigrator {
  /// The state as it was after the events up to `point` (all events when `nil`), and,
  /// with `schema`, the application schema reconstructed by replaying the recorded SQL
  /// into an in-memory database. Read-only, no lock. An event number past the ledger's
  /// last event throws `LedgerError.pastEnd`; a time after the last event gives the
  /// current state (`Replay.isAtEnd`).
  public func replay(at point: ReplayPoint? = nil, schema: Bool = false) throws -> Replay {
    let connection = try openExisting() ?? open(.readOnlyMemory)
    return try LedgerAuditor(
      connection: connection, database: databasePath,
      cancellation: configuration.cancellation
    ).replay(at: point, schema: schema)
  }

  /// Checks the hash chain and the head anchor, the append-only triggers, the files
  /// against the applied migrations, and the live schema against the schema the ledger's
  /// SQL produces; with `anchors` (`seq` and hash pairs kept from earlier runs, see
  /// `RunReport.head`), that the ledger still has those events. Read-only, no lock.
  public func verify(anchors: [LedgerHead] = []) throws -> VerificationReport {
    // A missing database has nothing to verify: saying "OK" would hide a mistyped path.
    guard databaseExists else { throw SQLiteError.fileMissing(path: databasePath) }
    let connection = try openExisting() ?? open(.readOnlyMemory)
    let source = Result<MigrationSource, any Error> { try self.source() }
    return try LedgerAuditor(
      connection: connection, key: configuration.ledgerKey,
      cancellation: configuration.cancellation
    ).verify(source: source, anchors: anchors)
  }

  /// Calls `body` with every event as one JSON line (with its hash chain), in order.
  public func export(_ body: (String) throws -> Void) throws {
    guard let connection = try openExisting() else { return }
    try LedgerAuditor(connection: connection).export(body)
  }

  /// Checks an exported JSON Lines file on its own: every line parses and the hash chain
  /// holds. `path` names the file in messages.
  public static func verifyExport(lines: [String], path: String, key: LedgerKey? = nil)
    -> VerificationReport
  {
    var chain = ChainVerifier(key: key)
    var problems: [VerificationReport.Problem] = []
    for (index, line) in lines.enumerated() where !line.isEmpty {
      let source = "\(path):\(index + 1)"
      do {
        guard let object = try? JSONValue.decode(line), case .object = object else {
          throw LedgerError.unreadableEvent(database: source, seq: 0, reason: "not JSON")
        }
        chain.check(try LedgerEvent(json: object, source: source))
      } catch {
        problems.append(.unreconstructable("\(source): \(error)"))
        break
      }
    }
    if let broken = chain.firstBreak { problems.insert(.brokenChain(broken), at: 0) }
    var report = VerificationReport(problems: problems, eventsChecked: chain.count, notes: [])
    report.noteKeying(of: chain, keyGiven: key != nil)
    return report
  }
}
