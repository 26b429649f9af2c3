@testable import Admission
import Crypto
import Foundation
import OCI
import Policy
import Sigstore
import Testing
import TestSupport
import Verification

/// The seed's case: several policies whose rules verify the same images cost the registry traffic of verifying
/// each image once.
@Suite struct SharedFetchTests {
    /// A Pod whose two containers run `repo:v1` of the scenario.
    static func pod(running repo: String, in scenario: Scenario) throws -> ResourceSet {
        let pod = scenario.manifest("""
            apiVersion: v1
            kind: Pod
            metadata: {name: shop, namespace: shop}
            spec:
              containers:
                - {name: a, image: REGISTRY/BASE/\(repo):v1}
                - {name: b, image: REGISTRY/BASE/\(repo):v1}
            """)
        return try ResourceSet([.init(origin: "pod.yaml", text: pod)])
    }

    @Test func threePoliciesOverOneImageMakeTheRequestsOfOneVerify() async throws {
        let registry = try await TestRegistry.sharedFake()
        let scenario = try await Scenario.seeded(registry, "shared")
        let resources = try Self.pod(running: "app", in: scenario)
        let policies = try ["check-image-signature", "require-slsa-provenance", "audit-vulnerabilities"].map { try Testdata.text("policies/\($0).yaml") }

        // The lower bound: one `ocitool verify` of the image with the key (resolve, .sig, .att, referrers, blobs).
        let app = try scenario.reference("app")
        let seeded = try await registry.requests(matching: scenario.base).count
        let verified = await ImageVerifier(client: makeClient(registry), policy: VerificationPolicy(
            keys: [try Testdata.key("signer").publicKey], now: Int64(Date().timeIntervalSince1970))).verify(app)
        #expect(verified.verdict == .verified)
        let single = Array(try await registry.requests(matching: scenario.base).dropFirst(seeded))
        let result = try await scenario.evaluate(policies: policies, resources: resources)
        let admitted = Array(try await registry.requests(matching: scenario.base).dropFirst(seeded + single.count))
        #expect(result.totals == AdmissionReport.Totals(pass: 6), "3 rules × 2 containers")
        #expect(result.stats.checks == 1, "one (image, key) check shared by every rule")
        #expect(admitted.count == single.count, "\(admitted.map { "\($0.method) \($0.path)" }) vs \(single.map { "\($0.method) \($0.path)" })")
        #expect(Set(admitted.map { "\($0.method) \($0.path)" }).count == admitted.count, "no request repeated")
    }

    /// Keyless too: three policies over cosign's keyless-signed image, two naming the same keyless attestor and
    /// one a certificate attestor, cost the traffic of one keyless `ocitool verify`: two checks, no request twice.
    @Test(.enabled(if: Vectors.available, "\(Vectors.missing)"))
    func keylessAttestorsShareTheFetches() async throws {
        let scenario = try await KeylessAttestorTests.scenario("sharedkeyless")
        let registry = scenario.registry
        let fixtures = "containers-image/signature/fixtures/"
        let keyless = """
                            subject: mitr@redhat.com
                            issuer: https://github.com/login/oauth
                            roots: |-
                              VECTOR fulcio_v1.crt.pem
                            rekor:
                              pubkey: |-
                                VECTOR rekor.pub
                            ctlog: {ignoreSCT: true}
        """
        func policy(_ name: String, _ entry: String, _ body: String) throws -> VerifyImagesPolicy {
            let text = clusterPolicy(name, verifyImages: """
                    - imageReferences: ["*/fulcio:*"]
                      attestors:
                        - entries:
                            - \(entry):
            \(body)
            """)
            return try VerifyImagesPolicy(try KyvernoPolicy.all(in: try Vectors.fillingFixtures(in: text), origin: name)[0])
        }
        let certificate = """
                            cert: |-
                              VECTOR dir-img-cosign-fulcio-rekor-valid/signature-1 dev.sigstore.cosign/certificate
                            rekor:
                              pubkey: |-
                                VECTOR rekor.pub
        """
        let policies = [try policy("first", "keyless", keyless), try policy("second", "keyless", keyless), try policy("third", "certificates", certificate)]
        let resources = try Self.pod(running: "fulcio", in: scenario)

        let seeded = try await registry.requests(matching: scenario.base).count
        let trust = try KeylessTrust(identity: CertificateIdentityPolicy(identity: .exact("mitr@redhat.com"), issuer: .exact("https://github.com/login/oauth")),
                                     roots: try Certificate.chain(pem: try Vectors.text(fixtures + "fulcio_v1.crt.pem")), intermediates: [],
                                     trustedRoot: nil, ignoreSCTs: true)
        let rekor = try TrustedRoot(rekorPublicKeyPEM: try Vectors.text(fixtures + "rekor.pub"))
        let verified = await ImageVerifier(client: makeClient(registry), policy: VerificationPolicy(
            signers: .keyless(trust), logTrust: rekor, now: Int64(Date().timeIntervalSince1970))).verify(try scenario.reference("fulcio"))
        #expect(verified.verdict == .verified, "\(verified.reasons)")
        let single = Array(try await registry.requests(matching: scenario.base).dropFirst(seeded))
        let engine = AdmissionEngine(policies: policies, client: makeClient(registry), trustedRoot: nil, jobs: 8, now: Int64(Date().timeIntervalSince1970))
        let result = await engine.evaluate(resources)
        let admitted = Array(try await registry.requests(matching: scenario.base).dropFirst(seeded + single.count))
        #expect(result.totals == AdmissionReport.Totals(pass: 6), "3 rules × 2 containers")
        #expect(result.stats.checks == 2, "one keyless check shared by two policies, one certificate check")
        #expect(admitted.count == single.count, "\(admitted.map { "\($0.method) \($0.path)" }) vs \(single.map { "\($0.method) \($0.path)" })")
        #expect(Set(admitted.map { "\($0.method) \($0.path)" }).count == admitted.count, "no request repeated")
    }
}
