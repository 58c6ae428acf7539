import FoundationEssentials

/// The secret key of a keyed hash chain: with it, every event's `hash` is an
/// HMAC-SHA-256 of its canonical encoding instead of a plain SHA-256, so someone who can
/// write to the database but does not hold the key cannot rewrite events and recompute
/// their hashes unnoticed (`verify` with the key finds it). The key is given to each run
/// (`SchemaMigrator.Configuration.ledgerKey`; `--ledger-key-file`) and never stored in the
/// database; the ledger records only its `id`.
public struct LedgerKey: Sendable, Equatable {
  /// The key's bytes.
  let bytes: [UInt8]

  /// The shortest key accepted, in bytes: a shorter one could be guessed.
  public static let minimumLength = 16

  /// A key of `bytes`; `nil` when it is shorter than `minimumLength`.
  public init?(bytes: [UInt8]) {
    guard bytes.count >= Self.minimumLength else { return nil }
    self.bytes = bytes
  }

  /// The key in the file at `path` (its bytes, without one trailing line feed), or
  /// `nil` when the file cannot be read or the key is too short.
  public init?(file path: String) {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var bytes = [UInt8](data)
    if bytes.last == 0x0A { bytes.removeLast() }
    if bytes.last == 0x0D { bytes.removeLast() }
    self.init(bytes: bytes)
  }

  /// A public name of the key (16 hex digits of an HMAC of a fixed text), recorded in
  /// the ledger so that a wrong key is recognised as such; it reveals nothing of the key.
  public var id: String {
    String(HMACSHA256.hexMAC(key: bytes, message: "schemaledger-key-id").prefix(16))
  }
}
