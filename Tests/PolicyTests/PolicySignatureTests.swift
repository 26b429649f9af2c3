import Crypto
import Foundation
import OCI
import Policy
import Testing
import TestSupport
import Verification

/// `PolicyPull` with keys: the artifact must carry a valid signature by one of them (cosign's layouts, as
/// `ocitool sign` writes them) before any layer is fetched or any file written.
@Suite("Policy pull with signature keys")
struct PolicySignatureTests {
    /// Policies pushed with `PolicyPush` into a fresh repository of the shared fake registry.
    static func pushed(_ prefix: String) async throws -> (registry: TestRegistry, repo: String, reference: Reference, push: PolicyPush) {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository(prefix)
        let reference = try Reference(parsing: registry.reference(repo, "v1"))
        let push = try PolicyPush(paths: [Samples.directory], bundle: false, annotations: [:], environment: [:])
        _ = try await push.push(to: reference, with: loopbackClient([registry]))
        return (registry, repo, reference, push)
    }

    /// Layer digests of the pushed manifest.
    static func layerDigests(_ push: PolicyPush) -> [String] {
        guard case .image(let manifest) = push.manifest.content else { return [] }
        return manifest.layers.map(\.digest.description)
    }

    @Test("unsigned: refused before any layer is fetched, nothing written")
    func unsigned() async throws {
        let (registry, repo, reference, push) = try await Self.pushed("policy/unsigned")
        let key = try PrivateKey.generateECDSAP256()
        let scratch = try TemporaryDirectory()
        let before = try await registry.requests(matching: repo).count
        let error = await #expect(throws: PolicyError.self) {
            try await pull(reference, from: registry, into: scratch.file("out"), keys: [key.publicKey])
        }
        guard case .unsigned(let named, let reasons) = error else {
            Issue.record("expected unsigned, got \(String(describing: error))")
            return
        }
        #expect(named == reference.description)
        #expect(!reasons.isEmpty)
        #expect(try TreeSnapshot(scratch.file("out")).entries == nil)
        let paths = try await registry.requests(matching: repo).dropFirst(before).map(\.path)
        for digest in Self.layerDigests(push) {
            #expect(!paths.contains { $0.hasSuffix(digest) }, "layer \(digest) was not fetched: \(paths)")
        }
    }

    @Test("signed with the key (classic or bundle format): written", arguments: [ImageSigner.Format.classic, .bundle])
    func signed(format: ImageSigner.Format) async throws {
        let (registry, _, reference, _) = try await Self.pushed("policy/signed")
        let key = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: loopbackClient([registry]), key: key).sign(reference, format: format)
        let scratch = try TemporaryDirectory()
        let other = try PrivateKey.generateECDSAP256()
        let result = try await pull(reference, from: registry, into: scratch.file("out"), keys: [other.publicKey, key.publicKey])
        #expect(result.written.count == 4, "any one of the keys will do")
        #expect(listing(scratch.file("out")) == Samples.all.map(\.fileName).sorted())
    }

    @Test("signed by another key: refused, nothing written, existing files untouched")
    func otherKey() async throws {
        let (registry, _, reference, _) = try await Self.pushed("policy/other-key")
        let signer = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: loopbackClient([registry]), key: signer).sign(reference, format: .classic)
        let scratch = try TemporaryDirectory()
        try scratch.write("mine\n", to: "out/ClusterPolicy-require-team-label.yaml")
        let before = try TreeSnapshot(scratch.file("out"))
        let error = await #expect(throws: PolicyError.self) {
            try await pull(reference, from: registry, into: scratch.file("out"), force: true,
                           keys: [try PrivateKey.generateECDSAP256().publicKey])
        }
        guard case .unsigned = error else {
            Issue.record("expected unsigned, got \(String(describing: error))")
            return
        }
        #expect(try TreeSnapshot(scratch.file("out")) == before)
    }

    @Test("a signature on another tag's content does not cover re-pushed policies")
    func signatureIsOnTheDigest() async throws {
        let (registry, repo, reference, _) = try await Self.pushed("policy/resigned")
        let key = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: loopbackClient([registry]), key: key).sign(reference, format: .classic)
        // The tag moves to other policies, which nobody signed.
        let moved = try PolicyPush(paths: [Samples.cleanup], bundle: false, annotations: [:], environment: [:])
        _ = try await moved.push(to: reference, with: loopbackClient([registry]))
        let scratch = try TemporaryDirectory()
        let error = await #expect(throws: PolicyError.self) {
            try await pull(reference, from: registry, into: scratch.file("out"), keys: [key.publicKey])
        }
        guard case .unsigned = error else {
            Issue.record("expected unsigned, got \(String(describing: error)) for \(repo)")
            return
        }
        #expect(try TreeSnapshot(scratch.file("out")).entries == nil)
    }
}
