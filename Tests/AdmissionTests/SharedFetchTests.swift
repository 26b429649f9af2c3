@testable import Admission
import Foundation
import OCI
import Testing
import TestSupport
import Verification

/// The seed's case: several policies whose rules verify the same images cost the registry traffic of verifying
/// each image once.
@Suite struct SharedFetchTests {
    @Test func threePoliciesOverOneImageMakeTheRequestsOfOneVerify() async throws {
        let registry = try await TestRegistry.sharedFake()
        let scenario = try await Scenario.seeded(registry, "shared")
        let pod = scenario.manifest("""
            apiVersion: v1
            kind: Pod
            metadata: {name: shop, namespace: shop}
            spec:
              containers:
                - {name: a, image: REGISTRY/BASE/app:v1}
                - {name: b, image: REGISTRY/BASE/app:v1}
            """)
        let resources = try ResourceSet([.init(origin: "pod.yaml", text: pod)])
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
}
