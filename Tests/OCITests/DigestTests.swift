import Crypto
import Foundation
import OCI
import Testing

/// Digests as the image-spec defines them (descriptor.md#digests), checked against the FIPS 180 test vectors.
@Suite struct DigestTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let input: String
        let algorithm: HashAlgorithm
        let hex: String
        var testDescription: String { "\(algorithm.rawValue)(\"\(input)\")" }
    }

    static let vectors: [Vector] = [
        Vector(input: "", algorithm: .sha256, hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(input: "abc", algorithm: .sha256, hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(input: "The quick brown fox jumps over the lazy dog", algorithm: .sha256,
               hex: "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
        Vector(input: "", algorithm: .sha512,
               hex: "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        Vector(input: "abc", algorithm: .sha512,
               hex: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ]

    @Test(arguments: vectors)
    func digestOfBytesMatchesTheStandardVectors(_ vector: Vector) throws {
        let digest = Digest(of: Array(vector.input.utf8), algorithm: vector.algorithm)
        #expect(digest.algorithm == vector.algorithm)
        #expect(digest.hex == vector.hex)
        #expect(digest.description == "\(vector.algorithm.rawValue):\(vector.hex)")
        #expect(try Digest(parsing: digest.description) == digest)
        #expect(Digest(of: Data(vector.input.utf8), algorithm: vector.algorithm) == digest, "Data and [UInt8] agree")
    }

    @Test func sha256IsTheDefault() {
        #expect(Digest(of: Array("abc".utf8)).description == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(arguments: [
        "sha256:" + String(repeating: "a", count: 64),
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "sha512:" + String(repeating: "f", count: 128),
    ])
    func parsesValidDigests(_ raw: String) throws {
        let digest = try Digest(parsing: raw)
        #expect(digest.description == raw)
        #expect(Digest(raw) == digest)
    }

    static let invalid: [(raw: String, reason: String)] = [
        ("", "expected ALGORITHM:HEX"),
        ("sha256", "expected ALGORITHM:HEX"),
        (String(repeating: "a", count: 64), "expected ALGORITHM:HEX"),
        ("sha256:", "needs 64 hex digits, got 0"),
        ("sha256:" + String(repeating: "a", count: 63), "needs 64 hex digits, got 63"),
        ("sha256:" + String(repeating: "a", count: 65), "needs 64 hex digits, got 65"),
        ("sha512:" + String(repeating: "a", count: 64), "needs 128 hex digits, got 64"),
        ("sha256:" + String(repeating: "A", count: 64), "lower-case hexadecimal"),
        ("sha256:" + String(repeating: "g", count: 64), "lower-case hexadecimal"),
        ("sha256:" + String(repeating: "a", count: 63) + " ", "lower-case hexadecimal"),
        ("SHA256:" + String(repeating: "a", count: 64), "unsupported algorithm \"SHA256\""),
        ("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm \"md5\""),
        ("sha384:" + String(repeating: "a", count: 96), "unsupported algorithm \"sha384\""),
        (":" + String(repeating: "a", count: 64), "unsupported algorithm \"\""),
        (" sha256:" + String(repeating: "a", count: 64), "unsupported algorithm \" sha256\""),
    ]

    @Test(arguments: invalid)
    func rejectsMalformedDigests(_ raw: String, _ reason: String) {
        #expect(Digest(raw) == nil)
        do {
            let parsed = try Digest(parsing: raw)
            Issue.record("\"\(raw)\" parsed as \(parsed)")
        } catch {
            guard case .invalidDigest(let value, let actual) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(value == raw)
            #expect(actual.contains(reason), "reason: \(actual)")
        }
    }

    @Test func fallbackTagIsTheReferrersTagSchemaName() throws {
        let sha256 = Digest(of: Array("abc".utf8))
        #expect(sha256.fallbackTag == "sha256-ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

        // "sha512-" + 128 hex digits is 135 characters: cut to the 128 a tag may have.
        let sha512 = Digest(of: Array("abc".utf8), algorithm: .sha512)
        #expect(sha512.fallbackTag.count == 128)
        #expect(sha512.fallbackTag == "sha512-" + sha512.hex.prefix(121))

        for digest in [sha256, sha512] {
            #expect(Reference.isValidTag(digest.fallbackTag))
            let tagged = try Reference(parsing: "example.com/repo:\(digest.fallbackTag)")
            #expect(tagged.tag == digest.fallbackTag)
        }
    }

    @Test(arguments: HashAlgorithm.allCases)
    func verifyAcceptsTheRightBytesOnly(_ algorithm: HashAlgorithm) throws {
        let content = Array("layer contents".utf8)
        let digest = Digest(of: content, algorithm: algorithm)
        try digest.verify(content)

        let tampered = Array("layer contentz".utf8)
        do {
            try digest.verify(tampered)
            Issue.record("tampered content verified")
        } catch {
            #expect(error == .digestMismatch(expected: digest, actual: Digest(of: tampered, algorithm: algorithm)))
            #expect(error.description.contains(digest.description))
        }
    }

    @Test func incrementalHashingAgreesWithOneShot() {
        let hasher = Crypto.Hasher(.sha256)
        for chunk in ["The quick ", "brown fox ", "", "jumps over the lazy dog"] { hasher.update(Array(chunk.utf8)) }
        #expect(Digest(finishing: hasher).hex == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
    }

    struct Holder: Codable, Equatable {
        var digest: Digest
        var others: [Digest]
    }

    @Test func codableRoundTripIsTheStringForm() throws {
        let a = Digest(of: Array("a".utf8))
        let b = Digest(of: Array("b".utf8), algorithm: .sha512)
        let value = Holder(digest: a, others: [b])
        let encoded = try JSONEncoder.stable.encode(value)
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"digest":"\#(a)","others":["\#(b)"]}"#)
        #expect(try JSONDecoder().decode(Holder.self, from: encoded) == value)
    }

    @Test(arguments: [#"{"digest":"sha256:abc","others":[]}"#, #"{"digest":"md5:abc","others":[]}"#, #"{"digest":42,"others":[]}"#])
    func decodingAnInvalidDigestFails(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Holder.self, from: Data(json.utf8)) }
    }

    @Test func decodingErrorSaysWhyAndWhere() {
        do {
            _ = try JSONDecoder().decode(Holder.self, from: Data(#"{"digest":"sha256:abc","others":[]}"#.utf8))
            Issue.record("decoded an invalid digest")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("needs 64 hex digits"))
            #expect(context.codingPath.map(\.stringValue) == ["digest"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
