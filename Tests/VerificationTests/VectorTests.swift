import Crypto
import Foundation
import OCI
import Sigstore
import Testing
import TestSupport
import Verification

/// Signatures cosign itself made (containers/image's fixtures, vectors README "Classic cosign signatures"),
/// put in a registry as cosign would have left them, then verified through the registry like any image.
@Suite("cosign's own classic signatures, served by a registry", .enabled(if: Vectors.available, "\(Vectors.missing)"))
struct VectorTests {
    static let fixtures = "containers-image/signature/fixtures/"

    /// The image of `folder` (its `manifest.json`, Content-Type from its mediaType) and a `sha256-<hex>.sig`
    /// manifest whose layers are `signatures` (default: every `signature-N` of the folder), in a fresh repository
    /// of the lax fake (the images' own blobs are not part of the vectors).
    static func load(_ folder: String, signatures: [String]? = nil) async throws -> TestImage {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(lax: true))
        let repo = uniqueRepository("vectors/\(folder)")
        let manifest = try Vectors.data(fixtures + folder + "/manifest.json")
        let mediaType = try #require(try jsonObject(manifest)["mediaType"] as? String)
        let digest = try Digest(parsing: try await registry.pushManifest(repo: repo, reference: "v1", data: manifest, mediaType: mediaType))
        let files = try signatures ?? Vectors.names(in: fixtures + folder, prefix: "signature-").map { folder + "/" + $0 }
        let layers = try files.map { try StoredCosignLayer(vector: fixtures + $0).layer }
        try await registry.pushCosignTag(repo: repo, subject: digest, suffix: "sig", layers: layers)
        return TestImage(registry: registry, repo: repo, digest: digest)
    }

    static func key(_ name: String) throws -> PublicKey { try PublicKey(pem: try Vectors.text(fixtures + name)) }

    static func rekorTrust() throws -> TrustedRoot { try TrustedRoot(rekorPublicKeyPEM: try Vectors.text(fixtures + "rekor.pub")) }

    struct Case: Sendable, CustomTestStringConvertible {
        let folder: String
        var signatures: [String]? = nil
        let key: String
        let verdict: Verdict
        /// Signatures found, and how many of them verify.
        let found: Int
        let verified: Int
        /// What the refusal says (the signature's reason), when it fails.
        var reason: String? = nil

        var testDescription: String { "\(signatures?.joined(separator: ",") ?? folder) with \(key) → \(verdict.rawValue)" }
    }

    static let cases: [Case] = [
        Case(folder: "dir-img-cosign-valid", key: "cosign.pub", verdict: .verified, found: 1, verified: 1),
        Case(folder: "dir-img-cosign-valid-2", key: "cosign.pub", verdict: .verified, found: 2, verified: 2),
        Case(folder: "dir-img-cosign-valid-with-tag", key: "cosign.pub", verdict: .verified, found: 1, verified: 1),
        Case(folder: "dir-img-cosign-key-rekor-valid", key: "cosign2.pub", verdict: .verified, found: 1, verified: 1),
        Case(folder: "dir-img-cosign-key-rekor-valid", key: "cosign.pub", verdict: .failed, found: 1, verified: 0,
             reason: "does not verify"),
        // The manifest was edited after signing: the signature names the original digest.
        Case(folder: "dir-img-cosign-modified-manifest", key: "cosign.pub", verdict: .failed, found: 1, verified: 0,
             reason: "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"),
        // A text/plain attachment with a signature annotation is not a signature at all.
        Case(folder: "dir-img-cosign-other-attachment", key: "cosign.pub", verdict: .failed, found: 0, verified: 0),
        Case(folder: "dir-img-cosign-valid", signatures: ["unknown-cosign-key.signature"], key: "cosign.pub",
             verdict: .failed, found: 1, verified: 0, reason: "does not verify"),
        // Keyless and PKI signatures have no key: no key file makes them verify.
        Case(folder: "dir-img-cosign-fulcio-rekor-valid", key: "cosign.pub", verdict: .failed, found: 1, verified: 0,
             reason: "does not verify"),
        Case(folder: "dir-img-cosign-fulcio-rekor-valid", key: "cosign2.pub", verdict: .failed, found: 1, verified: 0,
             reason: "does not verify"),
        Case(folder: "dir-img-cosign-pki-valid", key: "cosign.pub", verdict: .failed, found: 1, verified: 0,
             reason: "does not verify"),
        Case(folder: "dir-img-cosign-pki-valid", key: "some-rsa-key.pub", verdict: .failed, found: 1, verified: 0,
             reason: "does not verify"),
    ]

    @Test("verdict with a key, no log trust", arguments: cases)
    func verdictWithKey(_ sample: Case) async throws {
        let image = try await Self.load(sample.folder, signatures: sample.signatures)
        let report = await verify(image, policy([try Self.key(sample.key)]))
        #expect(report.verdict == sample.verdict, "\(report.reasons) \(report.signatures.map(\.reason))")
        #expect(report.digest == image.digest)
        #expect(report.signatures.count == sample.found)
        #expect(report.signatures.filter(\.verified).count == sample.verified)
        #expect(report.signatures.allSatisfy { $0.format == .simplesigning && $0.source == .tag && $0.tlog == .unchecked })
        if sample.verdict == .failed {
            #expect(report.reasons.contains { $0.contains("no valid signature") }, "\(report.reasons)")
        }
        if let reason = sample.reason {
            #expect(report.signatures.allSatisfy { $0.reason?.contains(reason) == true }, "\(report.signatures.map(\.reason))")
        }
    }

    /// The entry of dir-img-cosign-key-rekor-valid's bundle annotation (integrated in 2022).
    static func keyRekorEntry() throws -> TransparencyLogEntry {
        let layer = try StoredCosignLayer(vector: fixtures + "dir-img-cosign-key-rekor-valid/signature-1")
        return try TransparencyLogEntry(cosignBundleAnnotation: try #require(layer.annotations[Wire.bundleAnnotation]))
    }

    @Test("a key-signed signature logged in Rekor: its SET verifies with rekor.pub")
    func rekorLogged() async throws {
        let image = try await Self.load("dir-img-cosign-key-rekor-valid")
        let trusted = policy([try Self.key("cosign2.pub")], logTrust: try Self.rekorTrust())
        let integrated = try #require(try Self.keyRekorEntry().integratedTime)
        #expect(trusted.now > integrated, "the policy's now is after the entry's integrated time")

        let report = await verify(image, trusted)
        #expect(report.verdict == .verified, "\(report.reasons) \(report.signatures.map(\.reason))")
        #expect(report.signatures.map(\.tlog) == [.verified])
    }

    @Test("the Rekor entry refuses: another log's key, or a clock before the entry was integrated")
    func rekorRefusals() async throws {
        let image = try await Self.load("dir-img-cosign-key-rekor-valid")
        let key = try Self.key("cosign2.pub")
        let integrated = try #require(try Self.keyRekorEntry().integratedTime)
        let otherLog = try TrustedRoot(rekorPublicKeyPEM: try PrivateKey.generateECDSAP256().publicKey.pem)
        let policies = [
            ("another Rekor key", policy([key], logTrust: otherLog), "not a trusted transparency log"),
            ("integrated after now", policy([key], logTrust: try Self.rekorTrust(), now: integrated - 1), "in the future"),
        ]
        for (name, policy, reason) in policies {
            let report = await verify(image, policy)
            #expect(report.verdict == .failed, "\(name): \(report.reasons)")
            #expect(report.signatures.map(\.tlog) == [.failed], "\(name)")
            #expect(report.signatures.first?.reason?.contains(reason) == true, "\(name): \(report.signatures.map(\.reason))")
        }
    }

    @Test("with log trust, a signature that was never logged fails: its entry is missing")
    func notLogged() async throws {
        let image = try await Self.load("dir-img-cosign-valid")
        let report = await verify(image, policy([try Self.key("cosign.pub")], logTrust: try Self.rekorTrust()))
        #expect(report.verdict == .failed)
        #expect(report.signatures.map(\.tlog) == [.missing])
    }

    @Test("--check-reference: the fixtures were signed for 192.168.64.2:5000/…, not this repository")
    func checkReference() async throws {
        let image = try await Self.load("dir-img-cosign-valid")
        let report = await verify(image, policy([try Self.key("cosign.pub")], checkReference: true))
        #expect(report.verdict == .failed)
        #expect(report.signatures.first?.reason?.contains("192.168.64.2:5000/cosign-signed-single-sample") == true)
    }
}
