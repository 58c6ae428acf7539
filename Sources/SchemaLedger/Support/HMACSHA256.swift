/// HMAC-SHA-256 (RFC 2104) over `SHA256`: a keyed hash that only holders of the key can
/// compute, used for the keyed hash chain (`LedgerKey`). Incremental like `SHA256`:
/// `update` the message, then `finalize`. Tested against RFC 4231's vectors.
package struct HMACSHA256: Sendable {
  private var inner = SHA256()
  private var outerPad: [UInt8]

  /// A hasher keyed with `key` (any length: a key longer than the 64-byte block is hashed
  /// first, as RFC 2104 says).
  package init(key: [UInt8]) {
    var block = key.count > 64 ? SHA256.hash(key) : key
    block += [UInt8](repeating: 0, count: 64 - block.count)
    outerPad = block.map { $0 ^ 0x5c }
    inner.update(block.map { $0 ^ 0x36 })
  }

  /// Adds `string`'s UTF-8 bytes to the message.
  package mutating func update(_ string: String) {
    inner.update(string)
  }

  /// Adds `bytes` to the message.
  package mutating func update(_ bytes: [UInt8]) {
    inner.update(bytes)
  }

  /// The 32-byte MAC of the message.
  package mutating func finalize() -> [UInt8] {
    var outer = SHA256()
    outer.update(outerPad)
    outer.update(inner.finalize())
    return outer.finalize()
  }

  /// The MAC of `message` under `key`, as lowercase hex.
  package static func hexMAC(key: [UInt8], message: String) -> String {
    var hmac = HMACSHA256(key: key)
    hmac.update(message)
    return SHA256.hex(hmac.finalize())
  }
}
