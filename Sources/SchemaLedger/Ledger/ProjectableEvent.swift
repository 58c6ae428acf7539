/// What `LedgerProjection` reads of an event: a `LedgerEvent`, or a ledger row read
/// lazily (`ProjectionRow`) so that a replay reads only the columns each kind needs.
///
/// Texts the fold keeps come through the projection's `TextInterner`, so that a replay
/// makes one `String` per distinct text. The fold reads each field at most once per event,
/// and only for the kinds that use it.
protocol ProjectableEvent {
  var seq: Int64 { get }
  var kind: EventKind { get }
  var direction: Direction? { get }
  /// The run id's number in `texts`.
  func runID(_ texts: inout TextInterner) -> Int32
  /// The migration id's number in `texts`, for migration events.
  func migration(_ texts: inout TextInterner) -> Int32?
  var version: MigrationVersion? { get }
  func checksum(_ texts: inout TextInterner) -> String?
  func actor(_ texts: inout TextInterner) -> LedgerActor
  var recordedTime: InlineText { get }
  var transactional: Bool? { get }
  /// `true` when a down SQL was recorded (its text is not needed).
  var hasDownSQL: Bool { get }
  var dependsOn: [String]? { get }
  var error: String? { get }
  var detail: String? { get }
}

extension LedgerEvent: ProjectableEvent {
  func runID(_ texts: inout TextInterner) -> Int32 { texts.number(of: runID) }

  func migration(_ texts: inout TextInterner) -> Int32? {
    migration.map { texts.number(of: $0) }
  }

  func checksum(_ texts: inout TextInterner) -> String? {
    guard let checksum else { return nil }
    let number = texts.number(of: checksum)
    return texts[number]
  }

  func actor(_ texts: inout TextInterner) -> LedgerActor { actor }

  var recordedTime: InlineText { InlineText(recordedAt) }

  var hasDownSQL: Bool { downSQL != nil }
}
