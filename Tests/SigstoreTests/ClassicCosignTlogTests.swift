import TestSupport
import Crypto
import Foundation
import Sigstore
import Testing

/// Classic cosign signatures carry their Rekor entry in the `dev.sigstore.cosign/bundle` annotation:
/// a SET over the canonical JSON of the entry, and a hashedrekord body naming payload, signature and key.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct ClassicCosignTlogTests {
    static let fixtures = "containers-image/signature/fixtures/"
    static let testdata = "containers-image/signature/internal/testdata/"

    static func rekorTrust() throws -> TrustedRoot {
        try TrustedRoot(rekorPublicKeyPEM: try Vectors.text(fixtures + "rekor.pub"))
    }

    /// dir-img-cosign-key-rekor-valid: signed with cosign2.pub, logged in the public Rekor.
    struct KeyRekorSignature {
        let entry: TransparencyLogEntry
        let payload: [UInt8]
        let signature: [UInt8]
        let key: PublicKey

        init() throws {
            let layer = try StoredCosignLayer(vector: fixtures + "dir-img-cosign-key-rekor-valid/signature-1")
            entry = try TransparencyLogEntry(cosignBundleAnnotation: try #require(layer.annotations[TransparencyLogEntry.cosignBundleAnnotation]))
            payload = layer.payloadBytes
            signature = layer.signature
            key = try Vectors.publicKey(fixtures + "cosign2.pub")
        }

        func expected(key: PublicKey? = nil, payload: [UInt8]? = nil, signature: [UInt8]? = nil) -> ExpectedEntry {
            ExpectedEntry(signature: signature ?? self.signature, verifier: .publicKey(key ?? self.key), artifact: .payload(payload ?? self.payload))
        }
    }

    @Test func bareAnnotationSETVerifiesWithRekorKey() throws {
        let entry = try TransparencyLogEntry(cosignBundleAnnotation: try Vectors.text(Self.testdata + "rekor-set"))
        #expect(entry.kind == "hashedrekord")
        #expect(entry.version == "0.0.1")
        #expect(entry.logIndex == 8_949_589)
        #expect(entry.integratedTime == 1_670_870_899)
        #expect(entry.inclusionProof == nil)

        // Keyless: the entry names the certificate, the payload hash and the signature.
        let signature = Array(try #require(Data(base64Encoded: try Vectors.text(Self.testdata + "rekor-sig"))))
        let expected = ExpectedEntry(signature: signature, verifier: .certificate(pemDER(try Vectors.text(Self.testdata + "rekor-cert"))),
                                     artifact: .payload(try Vectors.bytes(Self.testdata + "rekor-payload")))
        let trust = try TrustedRoot(rekorPublicKeyPEM: try Vectors.text(Self.testdata + "rekor.pub"))
        #expect(TransparencyLogVerifier(trust: trust).verify(entry, expecting: expected) == .verified)
    }

    @Test func keyRekorSignatureVerifiesAndItsEntryMatches() throws {
        let sample = try KeyRekorSignature()
        #expect(sample.key.isValidSignature(sample.signature, for: sample.payload), "the signature itself verifies with cosign2.pub")
        let verifier = TransparencyLogVerifier(trust: try Self.rekorTrust())
        #expect(verifier.verify(sample.entry, expecting: sample.expected()) == .verified)
        // The log ID of the public Rekor is the SHA-256 of its key.
        #expect(sample.entry.logID == Hasher.hash(try Vectors.publicKey(Self.fixtures + "rekor.pub").spkiDER, using: .sha256))
    }

    struct Tampering: Sendable, CustomTestStringConvertible {
        let name: String
        let reason: String
        var testDescription: String { name }
    }

    static let tamperings: [Tampering] = [
        Tampering(name: "another signing key", reason: "different public key or certificate"),
        Tampering(name: "another payload", reason: "artifact hash does not match"),
        Tampering(name: "another signature", reason: "records a different signature"),
        Tampering(name: "flipped SET byte", reason: "signed entry timestamp of entry 11608800 does not verify"),
        Tampering(name: "edited body", reason: "signed entry timestamp"),
        Tampering(name: "other log index", reason: "signed entry timestamp"),
        Tampering(name: "untrusted log", reason: "is not a trusted transparency log"),
        Tampering(name: "integrated in the future", reason: "is in the future"),
        Tampering(name: "no SET and no proof", reason: "neither a signed entry timestamp nor an inclusion proof"),
    ]

    @Test(arguments: tamperings)
    func anythingChangedFailsWithAReason(_ tampering: Tampering) throws {
        let sample = try KeyRekorSignature()
        var entry = sample.entry
        var expected = sample.expected()
        var trust = try Self.rekorTrust()
        var clock: any WallClock = SystemWallClock()
        func rebuilt(logIndex: Int64? = nil, set: [UInt8]?? = nil, body: [UInt8]? = nil) -> TransparencyLogEntry {
            TransparencyLogEntry(logIndex: logIndex ?? entry.logIndex, logID: entry.logID, kind: entry.kind, version: entry.version,
                                 integratedTime: entry.integratedTime, signedEntryTimestamp: set ?? entry.signedEntryTimestamp,
                                 inclusionProof: entry.inclusionProof, canonicalizedBody: body ?? entry.canonicalizedBody)
        }
        switch tampering.name {
        case "another signing key": expected = sample.expected(key: try Vectors.publicKey(Self.fixtures + "cosign.pub"))
        case "another payload": expected = sample.expected(payload: sample.payload + [0x0A])
        case "another signature": expected = sample.expected(signature: Array(sample.signature.dropLast()) + [sample.signature.last! ^ 1])
        case "flipped SET byte":
            var set = try #require(entry.signedEntryTimestamp)
            set[set.count / 2] ^= 0x01
            entry = rebuilt(set: set)
        case "edited body":
            let text = String(decoding: entry.canonicalizedBody, as: UTF8.self).replacingOccurrences(of: "sha256", with: "SHA256")
            entry = rebuilt(body: Array(text.utf8))
        case "other log index": entry = rebuilt(logIndex: entry.logIndex + 1)
        case "untrusted log": trust = try TrustedRoot(rekorPublicKeyPEM: try Vectors.text(Self.fixtures + "cosign.pub"))
        case "integrated in the future": clock = FixedWallClock(Date(timeIntervalSince1970: Double(entry.integratedTime! - 1)))
        case "no SET and no proof": entry = rebuilt(set: .some(nil))
        default: Issue.record("unknown tampering \(tampering.name)")
        }
        let verdict = TransparencyLogVerifier(trust: trust, clock: clock).verify(entry, expecting: expected)
        guard case .failed(let reason) = verdict else {
            Issue.record("\(tampering.name) was accepted: \(verdict)")
            return
        }
        #expect(reason.contains(tampering.reason), "\(reason)")
    }

    static let malformedAnnotations: [(annotation: String, reason: String)] = [
        ("not json", "not valid JSON"),
        (#"{"Payload":{"body":"e30=","integratedTime":1,"logIndex":1,"logID":"00"}}"#, "missing field SignedEntryTimestamp"),
        (#"{"SignedEntryTimestamp":"AQID","Payload":{"body":"e30=","integratedTime":1,"logIndex":-4,"logID":"\#(String(repeating: "00", count: 32))"}}"#,
         "must not be negative"),
        (#"{"SignedEntryTimestamp":"AQID","Payload":{"body":"e30=","integratedTime":1,"logIndex":1,"logID":"zz"}}"#, "not a 32-byte hex log ID"),
        (#"{"SignedEntryTimestamp":"AQID","Payload":{"body":"e30=","integratedTime":1,"logIndex":1,"logID":"\#(String(repeating: "00", count: 32))"}}"#,
         "Payload.body"),
    ]

    @Test(arguments: malformedAnnotations)
    func malformedAnnotationsAreRefused(_ sample: (annotation: String, reason: String)) {
        #expect {
            try TransparencyLogEntry(cosignBundleAnnotation: sample.annotation)
        } throws: { error in
            "\(error)".contains(sample.reason)
        }
    }

    /// cosign's SIGNATURE_SPEC example annotation parses; its old `rekord` entry type is refused at matching.
    @Test func cosignSpecExampleAnnotationParsesButRekordEntriesAreUnsupported() throws {
        let entry = try TransparencyLogEntry(cosignBundleAnnotation: try Vectors.text("cosign/specs/SIGNATURE_SPEC.example-bundle.json"))
        #expect(entry.kind == "rekord")
        #expect(entry.signedEntryTimestamp != nil)
        let expected = ExpectedEntry(signature: [1], verifier: .certificate([1]), artifact: .payload([]))
        let verdict = TransparencyLogVerifier(trust: try Self.rekorTrust()).verify(entry, expecting: expected)
        #expect(verdict != .verified)
    }
}
