import Crypto
import Foundation
import OCI
import Testing
import TestSupport
import Verification

/// Multi-platform images: a signature on the index and signatures on each platform manifest are distinct
/// (FORMATS.md), and the policy says which ones must exist.
@Suite("multi-platform images: index or each platform")
struct MultiArchTests {
    enum Signed: String, Sendable { case index, amd64 = "linux/amd64", arm64 = "linux/arm64" }

    struct Case: Sendable, CustomTestStringConvertible {
        let signed: [Signed]
        var platform: String? = nil
        var scope: VerificationPolicy.SignedScope = .index
        let verdict: Verdict
        /// Platform manifests the reasons must name as unsigned.
        var unsigned: [Signed] = []

        var testDescription: String {
            "signed \(signed.map(\.rawValue)) \(scope.rawValue)\(platform.map { " --platform \($0)" } ?? "") → \(verdict.rawValue)"
        }
    }

    static let cases: [Case] = [
        Case(signed: [.index], verdict: .verified),
        Case(signed: [.index], platform: "linux/arm64", verdict: .verified),
        Case(signed: [.index], scope: .eachPlatform, verdict: .failed, unsigned: [.amd64, .arm64]),
        Case(signed: [.amd64, .arm64], scope: .eachPlatform, verdict: .verified),
        Case(signed: [.index, .amd64, .arm64], scope: .eachPlatform, verdict: .verified),
        // Without --platform only the index's own signature speaks for the index.
        Case(signed: [.amd64, .arm64], verdict: .failed),
        Case(signed: [.arm64], verdict: .failed),
        Case(signed: [.arm64], platform: "linux/arm64", verdict: .verified),
        Case(signed: [.arm64], platform: "linux/amd64", verdict: .failed),
        Case(signed: [.arm64], scope: .eachPlatform, verdict: .failed, unsigned: [.amd64]),
        Case(signed: [.arm64], platform: "linux/arm64", scope: .eachPlatform, verdict: .verified),
        Case(signed: [.arm64], platform: "linux/amd64", scope: .eachPlatform, verdict: .failed, unsigned: [.amd64]),
    ]

    @Test("which signatures satisfy which policy", arguments: cases)
    func scope(_ sample: Case) async throws {
        let registry = try await TestRegistry.sharedFake()
        let index = try await TestIndex.push(registry, "multiarch/scope")
        let key = try PrivateKey.generateECDSAP256()
        let signer = ImageSigner(client: makeClient([registry]), key: key)
        for target in sample.signed {
            let digest = target == .index ? index.digest : index.platforms[target.rawValue]!
            _ = try await signer.sign(index.reference(digest), format: .classic)
        }
        let platform = try sample.platform.map { try Platform(parsing: $0) }
        let report = await ImageVerifier(client: makeClient([registry]), policy: policy([key.publicKey], platform: platform, scope: sample.scope))
            .verify(index.reference)
        #expect(report.verdict == sample.verdict, "\(report.reasons)")
        #expect(report.digest == index.digest, "the report names the index")
        for unsigned in sample.unsigned {
            let digest = index.platforms[unsigned.rawValue]!
            #expect(report.reasons.contains { $0.contains("platform manifest \(digest)") }, "names \(unsigned.rawValue): \(report.reasons)")
        }
        for signed in sample.signed where signed != .index {
            let digest = index.platforms[signed.rawValue]!
            #expect(!report.reasons.contains { $0.contains(digest.description) }, "a signed platform is not blamed: \(report.reasons)")
        }
        if sample.verdict == .failed && sample.unsigned.isEmpty {
            #expect(report.reasons == ["no valid signature by the given key(s)"])
        }
    }

    @Test("each-platform ignores BuildKit's attestation manifests (platform unknown/unknown)")
    func attestationManifestsAreNotPlatforms() async throws {
        let registry = try await TestRegistry.sharedFake()
        let index = try await TestIndex.push(registry, "multiarch/buildkit", platforms: ["linux/amd64", "linux/arm64", "unknown/unknown"])
        let key = try PrivateKey.generateECDSAP256()
        let signer = ImageSigner(client: makeClient([registry]), key: key)
        for platform in ["linux/amd64", "linux/arm64"] {
            _ = try await signer.sign(index.reference(index.platforms[platform]!), format: .classic)
        }
        let report = await ImageVerifier(client: makeClient([registry]), policy: policy([key.publicKey], scope: .eachPlatform)).verify(index.reference)
        #expect(report.verdict == .verified, "\(report.reasons)")
    }

    @Test("each-platform attestations: one on the index does not attest the platforms")
    func attestationsPerPlatform() async throws {
        let registry = try await TestRegistry.sharedFake()
        let index = try await TestIndex.push(registry, "multiarch/attest")
        let key = try PrivateKey.generateECDSAP256()
        let signer = ImageSigner(client: makeClient([registry]), key: key)
        for digest in index.platforms.values { _ = try await signer.sign(index.reference(digest), format: .classic) }
        _ = try await signer.attest(index.reference, predicateType: slsa, predicate: .object([:]), format: .bundle)
        let each = policy([key.publicKey], attestations: [slsa], scope: .eachPlatform)

        let report = await ImageVerifier(client: makeClient([registry]), policy: each).verify(index.reference)
        #expect(report.verdict == .failed)
        #expect(Set(report.reasons) == Set(index.platforms.values.map { "platform manifest \($0) has no valid \(slsa) attestation" }))

        for digest in index.platforms.values {
            _ = try await signer.attest(index.reference(digest), predicateType: slsa, predicate: .object([:]), format: .classic)
        }
        let attested = await ImageVerifier(client: makeClient([registry]), policy: each).verify(index.reference)
        #expect(attested.verdict == .verified, "\(attested.reasons)")
    }

    @Test("a platform the index does not have fails, naming it", arguments: [VerificationPolicy.SignedScope.index, .eachPlatform])
    func absentPlatform(_ scope: VerificationPolicy.SignedScope) async throws {
        let registry = try await TestRegistry.sharedFake()
        let index = try await TestIndex.push(registry, "multiarch/absent")
        let key = try PrivateKey.generateECDSAP256()
        _ = try await ImageSigner(client: makeClient([registry]), key: key).sign(index.reference, format: .classic)
        let report = await ImageVerifier(client: makeClient([registry]),
                                         policy: policy([key.publicKey], platform: Platform(os: "linux", architecture: "s390x"), scope: scope))
            .verify(index.reference)
        #expect(report.verdict == .failed)
        #expect(report.reasons.contains { $0.contains("linux/s390x") }, "\(report.reasons)")
    }
}
