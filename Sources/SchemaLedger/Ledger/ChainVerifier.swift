/// Checks the hash chain of events fed in `seq` order: every event's hash matches its
/// fields, links to the previous event's hash, and `seq` has no gap. Pure; used on the
/// live ledger and on exported files alike. Stops recording at the first break (later
/// events cannot be trusted to link to anything).
///
/// From a `keyed` event on, hashes are HMAC-SHA-256 with the ledger's key: with `key`
/// they are checked (a wrong key is named as such); without it only the links are, and
/// `uncheckedKeyedEvents` counts what could not be checked.
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
  private let key: LedgerKey?
  /// The first break found, if any.
  public private(set) var firstBreak: Break?
  /// Events checked so far.
  public private(set) var count = 0
  /// The `seq` of the `keyed` event, when the chain has one.
  public private(set) var keyedFrom: Int64?
  /// Keyed events whose hash could not be checked (no key was given).
  public private(set) var uncheckedKeyedEvents = 0

  /// A verifier at the start of a chain, with the key of a keyed chain when there is one.
  public init(key: LedgerKey? = nil) {
    self.key = key
  }

  /// Checks the next event.
  public mutating func check(_ event: LedgerEvent) {
    count += 1
    guard firstBreak == nil else { return }
    if event.kind == .keyed, keyedFrom == nil { keyedFrom = event.seq }
    let keyed = keyedFrom != nil
    if keyed, event.kind == .keyed, let key, event.detail?.contains("key id \(key.id)") == false {
      firstBreak = Break(
        seq: event.seq,
        reason: "the ledger is keyed with another key than the one given (this key's id is "
          + "\(key.id); the ledger names its key in this event's detail)")
      return
    }
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
    } else if keyed, key == nil {
      uncheckedKeyedEvents += 1
    } else if event.hash != event.computedHash(key: keyed ? key : nil) {
      firstBreak = Break(
        seq: event.seq,
        reason: keyed
          ? "its fields do not match its keyed hash (the row was edited after it was written, "
            + "by someone without the key)"
          : "its fields do not match its hash (the row was edited after it was written)")
    }
    previousSeq = event.seq
    previousHash = event.hash
  }
}
