/// SHA-256 (FIPS 180-4), written by hand so SchemaLedger needs no crypto package.
///
/// Feed bytes with the `update` methods in as many pieces as convenient, then call
/// ``finalize()`` once to read the 32-byte digest. The one-shot helpers `hash(_:)`
/// and `hexDigest(_:)` cover the common case of hashing a single value.
///
/// The hasher is a value type with no heap storage: its state, the partial block and the
/// message length all live inline, and whole 64-byte blocks are compressed straight from the
/// caller's memory without copying.
package struct SHA256: Sendable {
  private typealias Words = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
  private typealias Block = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

  /// The intermediate hash value H(0)...H(7).
  private var state: Words = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
    0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
  /// Bytes of an incomplete block, waiting for more input (64 bytes).
  private var buffer: Block = (0, 0, 0, 0, 0, 0, 0, 0)
  /// How many bytes of `buffer` are in use (0..<64).
  private var bufferCount = 0
  /// Total message length so far, in bytes.
  private var byteCount: UInt64 = 0
  /// Set by `finalize()`; guards against accidental reuse.
  private var isFinalized = false

  /// Creates a hasher for a new, empty message.
  package init() {}

  /// Appends the bytes in `bytes` to the message.
  package mutating func update(_ bytes: UnsafeRawBufferPointer) {
    precondition(!isFinalized, "SHA256 value reused after finalize()")
    guard var input = bytes.baseAddress, !bytes.isEmpty else { return }
    var remaining = bytes.count
    byteCount &+= UInt64(remaining)
    if bufferCount > 0 {
      let take = min(64 - bufferCount, remaining)
      withUnsafeMutableBytes(of: &buffer) { block in
        (block.baseAddress! + bufferCount).copyMemory(from: input, byteCount: take)
      }
      bufferCount += take
      input += take
      remaining -= take
      guard bufferCount == 64 else { return }
      withUnsafeBytes(of: &buffer) { Self.compress(&state, $0.baseAddress!, blocks: 1) }
      bufferCount = 0
    }
    let blocks = remaining / 64
    if blocks > 0 {
      Self.compress(&state, input, blocks: blocks)
      input += blocks * 64
      remaining -= blocks * 64
    }
    if remaining > 0 {
      withUnsafeMutableBytes(of: &buffer) { block in
        block.baseAddress!.copyMemory(from: input, byteCount: remaining)
      }
      bufferCount = remaining
    }
  }

  /// Appends a sequence of bytes (such as `[UInt8]`, `ArraySlice<UInt8>` or `Data`) to the
  /// message. Contiguous collections are hashed in place without copying.
  package mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
    let done: Void? = bytes.withContiguousStorageIfAvailable {
      update(UnsafeRawBufferPointer($0))
    }
    guard done == nil else { return }
    withUnsafeTemporaryAllocation(byteCount: 256, alignment: 8) { chunk in
      var count = 0
      for byte in bytes {
        chunk[count] = byte
        count += 1
        if count == chunk.count {
          update(UnsafeRawBufferPointer(chunk))
          count = 0
        }
      }
      update(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
    }
  }

  /// Appends the UTF-8 encoding of `string` to the message.
  package mutating func update(_ string: String) {
    let done: Void? = string.utf8.withContiguousStorageIfAvailable {
      update(UnsafeRawBufferPointer($0))
    }
    if done == nil { update(string.utf8) }
  }

  /// Pads the message, processes the last block and returns the 32-byte digest.
  ///
  /// This consumes the hasher: after calling it the value must not be updated or finalized
  /// again (doing so traps). Start a new `SHA256()` for the next message.
  package mutating func finalize() -> [UInt8] {
    precondition(!isFinalized, "SHA256 value finalized twice")
    isFinalized = true
    let bitLength = byteCount &* 8
    withUnsafeMutableBytes(of: &buffer) { block in
      block[bufferCount] = 0x80
      var used = bufferCount + 1
      if used > 56 {
        block.baseAddress!.advanced(by: used).initializeMemory(
          as: UInt8.self, repeating: 0, count: 64 - used)
        Self.compress(&state, block.baseAddress!, blocks: 1)
        used = 0
      }
      block.baseAddress!.advanced(by: used).initializeMemory(
        as: UInt8.self, repeating: 0, count: 56 - used)
      block.storeBytes(of: bitLength.bigEndian, toByteOffset: 56, as: UInt64.self)
      Self.compress(&state, block.baseAddress!, blocks: 1)
    }
    return withUnsafeBytes(of: state) { words in
      [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
        for index in 0..<8 {
          let word = words.load(fromByteOffset: index * 4, as: UInt32.self).bigEndian
          UnsafeMutableRawPointer(digest.baseAddress! + index * 4).storeBytes(
            of: word, as: UInt32.self)
        }
        count = 32
      }
    }
  }

  /// The SHA-256 digest of the UTF-8 encoding of `string` (32 bytes).
  package static func hash(_ string: String) -> [UInt8] {
    var hasher = SHA256()
    hasher.update(string)
    return hasher.finalize()
  }

  /// The SHA-256 digest of `bytes` (32 bytes).
  package static func hash(_ bytes: [UInt8]) -> [UInt8] {
    var hasher = SHA256()
    hasher.update(bytes)
    return hasher.finalize()
  }

  /// The SHA-256 digest of the UTF-8 encoding of `string`, as 64 lowercase hex digits.
  package static func hexDigest(_ string: String) -> String {
    hex(hash(string))
  }

  /// The SHA-256 digest of `bytes`, as 64 lowercase hex digits.
  package static func hexDigest(_ bytes: [UInt8]) -> String {
    hex(hash(bytes))
  }

  /// Lowercase hexadecimal spelling of `bytes`.
  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The round constants K(0)...K(63).
  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]

  @inline(__always)
  private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 &- n))
  }

  /// Runs the compression function over `blocks` consecutive 64-byte blocks at `input`.
  private static func compress(_ h: inout Words, _ input: UnsafeRawPointer, blocks: Int) {
    roundConstants.withUnsafeBufferPointer { k in
      withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
        for blockIndex in 0..<blocks {
          let block = input + blockIndex * 64
          for t in 0..<16 {
            w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
          }
          for t in 16..<64 {
            let w15 = w[t - 15]
            let w2 = w[t - 2]
            let s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 &>> 3)
            let s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 &>> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
          }
          var (a, b, c, d, e, f, g, hh) = h
          for t in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choice = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ choice &+ k[t] &+ w[t]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ majority
            hh = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
          }
          h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
        }
      }
    }
  }
}
