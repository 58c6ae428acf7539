/// Checks the hash chain of events fed in `seq` order: every event's hash matches its
/// fields, links to the previous event's hash, and `seq` has no gap. Pure; used on the
/// live ledger and on exported files alike. Stops recording at the first break (later
/// events cannot be trusted to link to anything).
public struct ChainVerifier: Sendable {
  /// Where and how the chain broke.
  public struct Break: Sendable, Equatable, CustomStringConvertible {
    /// The first event that does not match.
    public var seq: Int64
    /// What does not match.
    public var reason: String

    /// `event #12: ...`.
    public var description: String { "event #\(seq): \(reason)" }
  }

  private var previousHash = LedgerEvent.genesisHash
  private var previousSeq: Int64 = 0
  /// The first break found, if any.
  public private(set) var firstBreak: Break?
  /// Events checked so far.
  public private(set) var count = 0

  /// A verifier at the start of a chain.
  public init() {}

  /// Checks the next event.
  public mutating func check(_ event: LedgerEvent) {
    count += 1
    guard firstBreak == nil else { return }
    if event.seq != previousSeq + 1 {
      firstBreak = Break(
        seq: event.seq,
        reason: "follows #\(previousSeq): events #\(previousSeq + 1)...#\(event.seq - 1) are "
          + "missing (deleted rows)")
    } else if event.prevHash != previousHash {
      firstBreak = Break(
        seq: event.seq,
        reason: "its prev_hash does not match the hash of #\(previousSeq) (an event before it "
          + "was changed, removed or inserted)")
    } else if event.hash != event.computedHash {
      firstBreak = Break(
        seq: event.seq,
        reason: "its fields do not match its hash (the row was edited after it was written)")
    }
    previousSeq = event.seq
    previousHash = event.hash
  }
}
