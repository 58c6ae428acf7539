/// What `LedgerProjection` reads of an event: a `LedgerEvent`, or a ledger row read
/// lazily (`ProjectionRow`) so that a replay reads only the columns each kind needs.
///
/// The fold reads each field at most once per event, and only for the kinds that use it.
protocol ProjectableEvent {
  var seq: Int64 { get }
  var kind: EventKind { get }
  var direction: Direction? { get }
  var runID: String { get }
  var migration: String? { get }
  var version: Int64? { get }
  var checksum: String? { get }
  var actor: LedgerActor { get }
  var recordedAt: String { get }
  /// Appends `recordedAt`'s UTF-8 bytes to `buffer` without making a `String`.
  func appendRecordedAt(to buffer: inout [UInt8])
  var transactional: Bool? { get }
  /// `true` when a down SQL was recorded (its text is not needed).
  var hasDownSQL: Bool { get }
  var dependsOn: [String]? { get }
  var error: String? { get }
  var detail: String? { get }
}

extension LedgerEvent: ProjectableEvent {
  var hasDownSQL: Bool { downSQL != nil }

  func appendRecordedAt(to buffer: inout [UInt8]) {
    buffer.append(contentsOf: recordedAt.utf8)
  }
}
