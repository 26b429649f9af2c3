import TestSupport
import Crypto
import Foundation
import Sigstore
import Testing

/// Transparency-log verification of real bundles: SETs, inclusion proofs, checkpoints and body matching.
@Suite(.enabled(if: Vectors.available, "\(Vectors.missing)"))
struct BundleTlogTests {
    static func trust(_ path: String) throws -> TrustedRoot { try TrustedRoot(bytes: try Vectors.bytes(path)) }

    /// cosign's OCI attestation bundle: dsse 0.0.1 entry with SET, inclusion proof and checkpoint.
    struct OCIAttestation {
        let bundle: SigstoreBundle
        let entry: TransparencyLogEntry
        let expected: ExpectedEntry
        let verifier: TransparencyLogVerifier

        init() throws {
            bundle = try SigstoreBundle(bytes: try Vectors.bytes("cosign/pkg/cosign/testdata/oci-attestation.sigstore.json"))
            entry = try #require(bundle.verificationMaterial.tlogEntries.first)
            let dsse: DSSEEnvelope? = if case .dsse(let envelope) = bundle.content { envelope } else { nil }
            let envelope = try #require(dsse, "the cosign attestation bundle holds a DSSE envelope")
            expected = ExpectedEntry(signature: bundle.signature, verifier: .certificate(try #require(bundle.signingCertificate)),
                                     artifact: .envelope(envelope))
            verifier = TransparencyLogVerifier(trust: try BundleTlogTests.trust("cosign/pkg/cosign/testdata/trusted_root_pgi.json"))
        }

        func with(set: [UInt8]?? = nil, proof: TransparencyLogEntry.InclusionProof?? = nil) -> TransparencyLogEntry {
            TransparencyLogEntry(logIndex: entry.logIndex, logID: entry.logID, kind: entry.kind, version: entry.version,
                                 integratedTime: entry.integratedTime, signedEntryTimestamp: set ?? entry.signedEntryTimestamp,
                                 inclusionProof: proof ?? entry.inclusionProof, canonicalizedBody: entry.canonicalizedBody)
        }

        func proof(hashes: [[UInt8]]? = nil, rootHash: [UInt8]? = nil, treeSize: Int64? = nil, checkpoint: String?? = nil) -> TransparencyLogEntry.InclusionProof {
            let original = entry.inclusionProof!
            return .init(logIndex: original.logIndex, rootHash: rootHash ?? original.rootHash, treeSize: treeSize ?? original.treeSize,
                         hashes: hashes ?? original.hashes, checkpoint: checkpoint ?? original.checkpoint)
        }
    }

    @Test func ociAttestationVerifiesBySETAndByInclusionProofAlone() throws {
        let sample = try OCIAttestation()
        #expect(sample.entry.signedEntryTimestamp != nil && sample.entry.inclusionProof?.checkpoint != nil)
        #expect(sample.verifier.verify(sample.entry, expecting: sample.expected) == .verified)
        #expect(sample.verifier.verify(sample.with(set: .some(nil)), expecting: sample.expected) == .verified, "inclusion proof alone")
        #expect(sample.verifier.verify(sample.with(proof: .some(nil)), expecting: sample.expected) == .verified, "SET alone")
    }

    struct Damage: Sendable, CustomTestStringConvertible {
        let name: String
        let reason: String
        var testDescription: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "neither SET nor proof", reason: "neither a signed entry timestamp nor an inclusion proof"),
        Damage(name: "proof without checkpoint and no SET", reason: "neither a signed entry timestamp nor an inclusion proof with a checkpoint"),
        Damage(name: "flipped proof hash", reason: "does not lead to its root hash"),
        Damage(name: "proof one hash short", reason: "does not fit leaf"),
        Damage(name: "proof for another tree size", reason: "does not fit leaf"),
        Damage(name: "other root hash", reason: "does not lead to its root hash"),
        Damage(name: "checkpoint signature flipped", reason: "checkpoint signature by rekor.sigstore.dev does not verify"),
        Damage(name: "checkpoint by an unknown key", reason: "carries no signature by the log"),
        Damage(name: "checkpoint for another size", reason: "checkpoint signature"),
        Damage(name: "checkpoint without signature", reason: "no signature"),
        Damage(name: "envelope with another payload", reason: "payload hash does not match"),
        Damage(name: "signature not in the envelope", reason: "not one of the envelope's"),
        Damage(name: "another certificate", reason: "different public key or certificate"),
        Damage(name: "a plain payload instead of the envelope", reason: "records a DSSE envelope"),
    ]

    @Test(arguments: damages)
    func ociAttestationDamageFails(_ damage: Damage) throws {
        let sample = try OCIAttestation()
        var entry = sample.entry
        var expected = sample.expected
        let checkpoint = try #require(sample.entry.inclusionProof?.checkpoint)
        guard case .envelope(let envelope) = expected.artifact else { return }
        switch damage.name {
        case "neither SET nor proof": entry = sample.with(set: .some(nil), proof: .some(nil))
        case "proof without checkpoint and no SET": entry = sample.with(set: .some(nil), proof: sample.proof(checkpoint: .some(nil)))
        case "flipped proof hash":
            var hashes = sample.entry.inclusionProof!.hashes
            hashes[3][7] ^= 0x20
            entry = sample.with(proof: sample.proof(hashes: hashes))
        case "proof one hash short": entry = sample.with(proof: sample.proof(hashes: Array(sample.entry.inclusionProof!.hashes.dropLast())))
        case "proof for another tree size": entry = sample.with(proof: sample.proof(treeSize: 53_604_734))
        case "other root hash": entry = sample.with(proof: sample.proof(rootHash: [UInt8](repeating: 7, count: 32)))
        case "checkpoint signature flipped":
            entry = sample.with(proof: sample.proof(checkpoint: checkpoint.replacingOccurrences(of: "wNI9ajBFAiEAuh6l", with: "wNI9ajBFAiEAuh6m")))
        case "checkpoint by an unknown key":
            entry = sample.with(proof: sample.proof(checkpoint: checkpoint.replacingOccurrences(of: "wNI9aj", with: "AAAAAD")))
        case "checkpoint for another size":
            entry = sample.with(proof: sample.proof(checkpoint: checkpoint.replacingOccurrences(of: "\n53604735\n", with: "\n53604736\n")))
        case "checkpoint without signature":
            let text = String(checkpoint.prefix { $0 != "\u{2014}" })
            entry = sample.with(proof: sample.proof(checkpoint: .some(text)))
        case "envelope with another payload":
            expected = ExpectedEntry(signature: expected.signature, verifier: expected.verifier, artifact: .envelope(DSSEEnvelope(
                payloadType: envelope.payloadType, payload: envelope.payload + [0x20], signatures: envelope.signatures)))
        case "signature not in the envelope":
            expected = ExpectedEntry(signature: [0x30, 0x02, 0x01, 0x01], verifier: expected.verifier, artifact: expected.artifact)
        case "another certificate":
            let other = try Vectors.text("containers-image/signature/internal/testdata/rekor-cert")
            expected = ExpectedEntry(signature: expected.signature, verifier: .certificate(pemDER(other)), artifact: expected.artifact)
        case "a plain payload instead of the envelope":
            expected = ExpectedEntry(signature: expected.signature, verifier: expected.verifier, artifact: .payload(envelope.payload))
        default: Issue.record("unknown damage \(damage.name)")
        }
        let verdict = sample.verifier.verify(entry, expecting: expected)
        guard case .failed(let reason) = verdict else {
            Issue.record("\(damage.name) was accepted")
            return
        }
        #expect(reason.contains(damage.reason), "\(reason)")
    }

    @Test func ociAttestationFailsUnderAnotherLogOrOutsideTheKeyValidity() throws {
        let sample = try OCIAttestation()
        let staging = try Self.trust("sigstore-python/sigstore/_store/staging/trusted_root.json")
        #expect(TransparencyLogVerifier(trust: staging).verify(sample.entry, expecting: sample.expected)
            == .failed(reason: "log c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d (index 175508996) is not a trusted transparency log"))
        let expired = try Self.trust("sigstore-conformance/test/assets/bundle-verify/trust-root-tlog-validity-end-inclusive/trusted_root.json")
        let verdict = TransparencyLogVerifier(trust: expired).verify(sample.entry, expecting: sample.expected)
        #expect(verdict == .failed(reason: "the log key of https://rekor.sigstore.dev was not valid at the integrated time 2025-02-28T19:18:11Z"))
    }

    /// sigstore-go's key-based v0.1 bundle: intoto 0.0.2 entry (signature base64 twice), key publish_key.pub.
    @Test func publishBundleFullyVerifiesWithItsKey() throws {
        let bundle = try SigstoreBundle(bytes: try Vectors.bytes("sigstore-go/examples/bundle-publish.json"))
        guard case .publicKey(let hint) = bundle.verificationMaterial.signingMaterial, case .dsse(let envelope) = bundle.content else {
            Issue.record("expected a key-based DSSE bundle")
            return
        }
        #expect(hint == "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA")
        let key = try Vectors.publicKey("sigstore-go/examples/publish_key.pub")
        #expect(key.isValidSignature(bundle.signature, for: envelope.pae), "the envelope signature verifies over PAE")
        #expect(!key.isValidSignature(bundle.signature, for: envelope.payload))

        let entry = try #require(bundle.verificationMaterial.tlogEntries.first)
        #expect(entry.kind == "intoto" && entry.version == "0.0.2" && entry.inclusionProof == nil)
        let verifier = TransparencyLogVerifier(trust: try Self.trust("sigstore-go/examples/trusted-root-public-good.json"))
        let expected = ExpectedEntry(signature: bundle.signature, verifier: .publicKey(key), artifact: .envelope(envelope))
        #expect(verifier.verify(entry, expecting: expected) == .verified)

        let otherKey = try Vectors.publicKey("containers-image/signature/fixtures/cosign.pub")
        #expect(!otherKey.isValidSignature(bundle.signature, for: envelope.pae))
        let wrong = ExpectedEntry(signature: bundle.signature, verifier: .publicKey(otherKey), artifact: .envelope(envelope))
        #expect(verifier.verify(entry, expecting: wrong)
            == .failed(reason: "entry 18300940 (intoto 0.0.2) does not match: the entry records the signature with a different public key or certificate"))
    }

    static let keylessBundles: [(bundle: String, trust: String)] = [
        ("sigstore-go/examples/bundle-provenance.json", "sigstore-go/pkg/testing/data/trusted-roots/public-good.json"),
        ("sigstore-go/pkg/testing/data/bundles/dsse.sigstore.json", "sigstore-go/pkg/testing/data/trusted-roots/public-good.json"),
        ("sigstore-go/pkg/testing/data/bundles/dsse-2sigs.sigstore.json", "sigstore-go/pkg/testing/data/trusted-roots/public-good.json"),
        ("sigstore-go/pkg/testing/data/bundles/sigstore.js@2.0.0-provenance.sigstore.json", "sigstore-go/pkg/testing/data/trusted-roots/public-good.json"),
        ("cosign/pkg/cosign/testdata/oci-attestation.sigstore.json", "sigstore-python/sigstore/_store/prod/trusted_root.json"),
    ]

    /// Keyless DSSE bundles: the log parts verify against the signing certificate (the chain is a later step).
    @Test(arguments: keylessBundles)
    func keylessDSSEBundleLogEntriesVerify(_ sample: (bundle: String, trust: String)) throws {
        let outcome = BundleCheck.run(bundleBytes: try Vectors.bytes(sample.bundle), trustBytes: try Vectors.bytes(sample.trust),
                                      keyPEM: nil, artifact: [])
        #expect(outcome == .logVerified)
    }

    @Test func sigstorePythonV3BundleVerifiesWithItsArtifact() throws {
        let outcome = BundleCheck.run(bundleBytes: try Vectors.bytes("sigstore-python/test/assets/bundle_v3.txt.sigstore"),
                                      trustBytes: try Vectors.bytes("sigstore-python/sigstore/_store/staging/trusted_root.json"),
                                      keyPEM: nil, artifact: try Vectors.bytes("sigstore-python/test/assets/bundle_v3.txt"))
        #expect(outcome == .logVerified)
        let wrongArtifact = BundleCheck.run(bundleBytes: try Vectors.bytes("sigstore-python/test/assets/bundle_v3.txt.sigstore"),
                                            trustBytes: try Vectors.bytes("sigstore-python/sigstore/_store/staging/trusted_root.json"),
                                            keyPEM: nil, artifact: Array("something else".utf8))
        #expect(wrongArtifact == .digestHintMismatch)
    }

    /// An artifact known only by its digest: the entry must hold that digest.
    @Test func othernameBundleVerifiesAgainstAnArtifactDigest() throws {
        let bundle = try SigstoreBundle(bytes: try Vectors.bytes("sigstore-go/pkg/testing/data/bundles/othername.sigstore.json"))
        guard case .messageSignature(let message) = bundle.content else {
            Issue.record("expected a message signature")
            return
        }
        let digest = try #require(message.digest)
        let verifier = TransparencyLogVerifier(trust: try Self.trust("sigstore-go/pkg/testing/data/trusted-roots/scaffolding.json"))
        let entry = try #require(bundle.verificationMaterial.tlogEntries.first)
        let expected = ExpectedEntry(signature: message.signature, verifier: .certificate(try #require(bundle.signingCertificate)),
                                     artifact: .sha256Digest(digest))
        #expect(verifier.verify(entry, expecting: expected) == .verified)
        let other = ExpectedEntry(signature: message.signature, verifier: expected.verifier, artifact: .sha256Digest(Array(digest.reversed())))
        #expect(verifier.verify(entry, expecting: other) != .verified)
    }

    /// policy-controller's distroless attestation: the SET verifies, but the envelope was edited after logging.
    @Test func editedLegacyAttestationFailsOnItsPayloadHash() throws {
        let folder = "sigstore-policy-controller/extracted/distroless-static-keyless-attestation/"
        let annotations = try JSONDecoder().decode([String: String].self, from: Data(try Vectors.bytes(folder + "annotations.json")))
        let entry = try TransparencyLogEntry(cosignBundleAnnotation: try #require(annotations["dev.sigstore.cosign/bundle"]))
        let envelope = try DSSEEnvelope(bytes: try Vectors.bytes(folder + "layer.dsse.json"))
        let certificate = pemDER(try #require(annotations["dev.sigstore.cosign/certificate"]))
        let expected = ExpectedEntry(signature: envelope.signatures[0].signature, verifier: .certificate(certificate), artifact: .envelope(envelope))
        let verifier = TransparencyLogVerifier(trust: try Self.trust("sigstore-go/pkg/testing/data/trusted-roots/public-good.json"))
        #expect(verifier.verify(entry, expecting: expected)
            == .failed(reason: "entry \(entry.logIndex) (intoto 0.0.1) does not match: the entry's payload hash does not match the signed content"))
    }
}
