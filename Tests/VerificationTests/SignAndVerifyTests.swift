import Crypto
import Foundation
import OCI
import RegistryClient
import Testing
import TestSupport
import Verification

/// Sign with fresh keys, attach in real registries, verify — and every way it must fail.
@Suite("sign, attest and verify with fresh keys")
struct SignAndVerifyTests {
    static func registries() async throws -> [TestRegistry] {
        [try await TestRegistry.sharedDocker(), try await TestRegistry.sharedFake()]
    }

    @Test("classic signature and attestation verify on docker-registry and on a referrers registry", arguments: [0, 1])
    func classic(registryIndex: Int) async throws {
        let registry = try await Self.registries()[registryIndex]
        let image = try await TestImage.push(registry, "classic")
        let key = try PrivateKey.generateECDSAP256()
        let signer = ImageSigner(client: makeClient([registry]), key: key)
        _ = try await signer.sign(image.reference, format: .classic)
        _ = try await signer.attest(image.reference, predicateType: slsa, predicate: .object(["builder": .string("test")]), format: .classic)

        let report = await verify(image, policy([key.publicKey], attestations: [slsa]))
        #expect(report.verdict == .verified, "\(report.reasons)")
        #expect(report.digest == image.digest)
        #expect(report.signatures.count == 1 && report.signatures[0].format == .simplesigning && report.signatures[0].source == .tag)
        #expect(report.attestations.first?.statement?["predicate"]?["builder"] == .string("test"))
        #expect(report.signatures[0].tlog == .unchecked)
    }

    @Test("bundle signature and attestation (OCI 1.1 referrers) verify", arguments: [0, 1])
    func bundle(registryIndex: Int) async throws {
        let registry = try await Self.registries()[registryIndex]
        let image = try await TestImage.push(registry, "bundle")
        let key = try PrivateKey.generateECDSAP256()
        let signer = ImageSigner(client: makeClient([registry]), key: key)
        _ = try await signer.sign(image.reference, format: .bundle)
        _ = try await signer.attest(image.reference, predicateType: spdx, predicate: .object(["spdxVersion": .string("SPDX-2.3")]), format: .bundle)

        let report = await verify(image, policy([key.publicKey], attestations: [spdx]))
        #expect(report.verdict == .verified, "\(report.reasons)")
        #expect(report.signatures.map(\.format) == [.bundle])
        #expect(report.signatures.map(\.source) == [.referrer])
        #expect(report.attestations.map(\.format) == [.bundle])
    }

    @Test("signing twice keeps both signatures; either key verifies")
    func appendKeepsEarlierSignatures() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let image = try await TestImage.push(registry, "append")
        let first = try PrivateKey.generateECDSAP256(), second = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: makeClient([registry]), key: first).sign(image.reference, format: .classic)
        _ = try await ImageSigner(client: makeClient([registry]), key: second).sign(image.reference, format: .classic)
        let report = await verify(image, policy([first.publicKey]))
        #expect(report.verdict == .verified)
        #expect(report.signatures.count == 2)
        #expect(report.signatures.filter(\.verified).count == 1)
        #expect(await verify(image, policy([second.publicKey])).verdict == .verified)
    }

    @Test("a wrong key fails, naming the reason")
    func wrongKey() async throws {
        let registry = try await TestRegistry.sharedFake()
        let image = try await TestImage.push(registry, "wrongkey")
        let signing = try PrivateKey.generateECDSAP256(), other = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: makeClient([registry]), key: signing).sign(image.reference, format: .classic)
        _ = try await ImageSigner(client: makeClient([registry]), key: signing).sign(image.reference, format: .bundle)
        let report = await verify(image, policy([other.publicKey]))
        #expect(report.verdict == .failed)
        #expect(report.signatures.count == 2 && report.signatures.allSatisfy { !$0.verified })
        #expect(report.signatures.allSatisfy { ($0.reason ?? "").contains("key") })
    }

    @Test("an unsigned image fails; a missing attestation type fails")
    func unsignedAndMissingAttestation() async throws {
        let registry = try await TestRegistry.sharedFake()
        let image = try await TestImage.push(registry, "unsigned")
        let key = try PrivateKey.generateECDSAP256()
        let unsigned = await verify(image, policy([key.publicKey]))
        #expect(unsigned.verdict == .failed)
        #expect(unsigned.reasons.contains { $0.contains("no valid signature") })

        let signer = ImageSigner(client: makeClient([registry]), key: key)
        _ = try await signer.sign(image.reference, format: .classic)
        _ = try await signer.attest(image.reference, predicateType: slsa, predicate: .object([:]), format: .classic)
        let report = await verify(image, policy([key.publicKey], attestations: [spdx]))
        #expect(report.verdict == .failed)
        #expect(report.reasons.contains { $0.contains(spdx) })
    }

    @Test("a signature copied from another image fails: it names the other digest")
    func copiedSignature() async throws {
        let registry = try await TestRegistry.sharedFake()
        let signed = try await TestImage.push(registry, "copysrc")
        let victim = try await TestImage.push(registry, "copydst", layer: "victim")
        let key = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: makeClient([registry]), key: key).sign(signed.reference, format: .classic)
        _ = try await ImageSigner(client: makeClient([registry]), key: key).attest(signed.reference, predicateType: slsa, predicate: .object([:]), format: .classic)
        // Copy the .sig and .att manifests (and their blobs) under the victim's tags.
        for suffix in ["sig", "att"] {
            let source = try #require(try await registry.fetchManifest(repo: signed.repo, reference: "\(signed.digest.fallbackTag).\(suffix)"))
            let document = try ManifestDocument(bytes: source.data, contentType: source.mediaType)
            for blob in document.blobs {
                _ = try await registry.pushBlob(repo: victim.repo, data: try #require(try await registry.fetchBlob(repo: signed.repo, digest: blob.digest.description)))
            }
            _ = try await registry.pushManifest(repo: victim.repo, reference: "\(victim.digest.fallbackTag).\(suffix)", data: source.data, mediaType: source.mediaType)
        }
        let report = await verify(victim, policy([key.publicKey], attestations: [slsa]))
        #expect(report.verdict == .failed)
        #expect(report.signatures.first?.verified == false)
        #expect(report.signatures.first?.reason?.contains(signed.digest.description) == true)
        #expect(report.attestations.first?.verified == false)
    }

    @Test("500 or 429 on the signature lookups is indeterminate, never failed", arguments: [500, 429])
    func registryErrorsAreIndeterminate(status: Int) async throws {
        let registry = try await TestRegistry.sharedFake()
        let image = try await TestImage.push(registry, "flaky\(status)")
        let key = try PrivateKey.generateECDSAP256()
        try await registry.addFaults([.status(status, method: "GET", path: "/v2/\(image.repo)/(manifests/sha256-|referrers/).*", times: 1000)])
        let report = await verify(image, policy([key.publicKey]))
        #expect(report.verdict == .indeterminate, "\(report.reasons)")
        try await registry.clearFaults(matching: image.repo)
    }

    @Test("the same image twice costs no repeated request")
    func noRepeatedRequests() async throws {
        let registry = try await TestRegistry.sharedFake()
        let image = try await TestImage.push(registry, "repeat")
        let key = try PrivateKey.generateECDSAP256()
        let signer = ImageSigner(client: makeClient([registry]), key: key)
        _ = try await signer.sign(image.reference, format: .classic)
        _ = try await signer.sign(image.reference, format: .bundle)
        let before = try await registry.requests(matching: image.repo).count
        let client = makeClient([registry])
        let report = await BatchVerifier(verifier: ImageVerifier(client: client, policy: policy([key.publicKey])), jobs: 4)
            .verify([image.reference, image.reference, image.pinned])
        #expect(report.verified)
        let requests = try await registry.requests(matching: image.repo).dropFirst(before)
        let keys = requests.map { "\($0.method) \($0.path)?\($0.query)" }
        #expect(Set(keys).count == keys.count, "repeated: \(keys)")
    }
}
