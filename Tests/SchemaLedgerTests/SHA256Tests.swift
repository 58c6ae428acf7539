import Testing

@testable import SchemaLedger

@Suite("SHA-256")
struct SHA256Tests {
  /// A message and its expected digest in lowercase hex.
  struct Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let message: String
    let digest: String

    var testDescription: String { name }
  }

  /// The published FIPS 180-2 / NIST example messages.
  static let nistVectors: [Vector] = [
    Vector(
      name: "empty string",
      message: "",
      digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    Vector(
      name: "abc",
      message: "abc",
      digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    Vector(
      name: "448-bit message",
      message: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    Vector(
      name: "896-bit message",
      message: "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      digest: "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    Vector(
      name: "one million 'a'",
      message: String(repeating: "a", count: 1_000_000),
      digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
  ]

  /// Runs of 'a' around the 55/56-byte padding boundary and the 64-byte block boundary.
  /// Expected digests computed with Python's `hashlib.sha256`.
  static let boundaryVectors: [(length: Int, digest: String)] = [
    (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
    (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
    (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
    (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
  ]

  /// 200 bytes that are not all alike, and their digest (from Python's `hashlib.sha256`).
  static let splitInput = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
  static let splitDigest = "2c7e18c942ef065b526a2d4e5546283749cd3ddfb51d8fc71f42717363685f46"

  @Test("NIST vectors", arguments: nistVectors)
  func nistVector(_ vector: Vector) {
    #expect(SHA256.hexDigest(vector.message) == vector.digest)
    #expect(SHA256.hexDigest(Array(vector.message.utf8)) == vector.digest)
  }

  @Test("Block-boundary lengths", arguments: boundaryVectors)
  func boundaryLength(_ length: Int, _ digest: String) {
    let message = String(repeating: "a", count: length)
    #expect(SHA256.hexDigest(message) == digest)
    #expect(SHA256.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: length)) == digest)
  }

  @Test("Incremental updates split at every offset match one-shot")
  func incrementalSplits() {
    let input = Self.splitInput
    let oneShot = SHA256.hash(input)
    #expect(SHA256.hexDigest(input) == Self.splitDigest)
    for offset in 0...input.count {
      var sliced = SHA256()
      sliced.update(input[..<offset])
      sliced.update(input[offset...])
      #expect(sliced.finalize() == oneShot, "ArraySlice split at \(offset)")

      var raw = SHA256()
      input.withUnsafeBytes { bytes in
        raw.update(UnsafeRawBufferPointer(rebasing: bytes[..<offset]))
        raw.update(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
      }
      #expect(raw.finalize() == oneShot, "raw buffer split at \(offset)")
    }
  }

  @Test("Non-contiguous sequences hash like arrays")
  func nonContiguousSequence() {
    var hasher = SHA256()
    hasher.update(Self.splitInput.lazy.map { $0 })
    #expect(hasher.finalize() == SHA256.hash(Self.splitInput))

    var byteAtATime = SHA256()
    for byte in Self.splitInput { byteAtATime.update(CollectionOfOne(byte)) }
    #expect(byteAtATime.finalize() == SHA256.hash(Self.splitInput))
  }

  @Test("Strings hash as their UTF-8 bytes")
  func stringIsUTF8() {
    let text = "schéma ✓ ledger 📒"
    #expect(SHA256.hash(text) == SHA256.hash(Array(text.utf8)))
    var hasher = SHA256()
    hasher.update("schéma ✓ ")
    hasher.update("ledger 📒")
    #expect(hasher.finalize() == SHA256.hash(text))
  }

  @Test("Digest is 32 bytes, hex is 64 lowercase digits")
  func digestShape() {
    #expect(SHA256.hash("abc").count == 32)
    let hex = SHA256.hexDigest("abc")
    #expect(hex.count == 64)
    #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
  }
}
