@testable import Admission
import Foundation
import OCI
import Testing
import TestSupport
import Verification

/// Sample policies and manifests from testdata evaluated against signed images in a real registry.
@Suite struct PolicyEvaluationTests {
    @Test func signaturePolicyAppliesToPodTemplatesThroughAutogen() async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "autogen")
        let report = try await scenario.evaluate(policies: [try Testdata.text("policies/check-image-signature.yaml")],
                                                 resources: try scenario.resources("deployment.yaml"))
        #expect(report.statuses("Deployment/shop/web") == [
            "autogen-verify-signature tool:v1": .pass, "autogen-verify-signature app:v1": .pass,
        ])
        // Both containers running app are reported, each with the digest it resolved to.
        let images = report.resources[0].rules[0].images
        #expect(images.map(\.path) == ["/spec/template/spec/initContainers/0/image", "/spec/template/spec/containers/0/image",
                                       "/spec/template/spec/containers/1/image"])
        #expect(images.allSatisfy { $0.digest?.hasPrefix("sha256:") == true })
        #expect(report.totals == AdmissionReport.Totals(pass: 3))
        #expect(report.pins.count == 3)
    }

    @Test func skipExcludeAndUnmatchedImages() async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "skip")
        let report = try await scenario.evaluate(policies: [try Testdata.text("policies/check-image-signature.yaml")],
                                                 resources: try scenario.resources("workloads.yaml"))
        #expect(report.resources.map(\.resource) == ["Pod/shop/debug", "CronJob/shop/nightly", "Pod/kube-system/system"])
        #expect(report.statuses("Pod/shop/debug") == ["verify-signature tool:debug": .skip])
        #expect(report.statuses("CronJob/shop/nightly") == ["autogen-cronjob-verify-signature -": .skip])
        #expect(report.resources[2].rules.isEmpty, "kube-system is excluded")
        #expect(report.resources[1].rules[0].images[0].reasons[0].contains("no image matches imageReferences"))
        #expect(report.stats.checks == 0 && report.stats.httpRequests == 0, "skipped images are never fetched")
    }

    @Test func twoKeysInOneEntryAreTwoAttestorsAllRequired() async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "twokeys")
        let policy = try Testdata.text("policies/two-keys.yaml")
        var report = try await scenario.evaluate(policies: [policy], resources: try scenario.resources("deployment.yaml"))
        #expect(report.statuses("Deployment/shop/web") == ["signed-by-both app:v1": .fail])
        #expect(report.resources[0].rules[0].images[0].reasons.joined().contains("1 of 2 required attestors passed"))
        _ = try await ImageSigner(client: makeClient(scenario.registry), key: try Testdata.key("other")).sign(try scenario.reference("app"), format: .bundle)
        report = try await scenario.evaluate(policies: [policy], resources: try scenario.resources("deployment.yaml"))
        #expect(report.statuses("Deployment/shop/web") == ["signed-by-both app:v1": .pass])
    }

    /// Each clause decides pass / fail / warn / error as Kyverno would.
    @Test(arguments: [
        // image, attestors or attestations YAML (after imageReferences), extra entry fields, action, expected
        ("app", "signer", "", "Enforce", AdmissionReport.Status.pass),
        ("app", "other", "", "Enforce", .fail),
        ("app", "other", "", "Audit", .warn),
        ("app", "other", "required: false", "Enforce", .warn),
        ("unsigned", "signer", "", "Enforce", .fail),
        ("proxy", "signer,other count=1", "", "Enforce", .pass),
        ("proxy", "signer,other", "", "Enforce", .fail),
        ("app", "signer", "mutateDigest: false", "Enforce", .fail),
        ("app", "signer", "mutateDigest: false\n          verifyDigest: false", "Enforce", .pass),
        ("missing", "signer", "", "Enforce", .fail),
    ])
    func attestorClauses(_ image: String, _ keys: String, _ fields: String, _ action: String, _ expected: AdmissionReport.Status) async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "clauses")
        let parts = keys.split(separator: " ")
        let count = parts.count > 1 ? Int(parts[1].dropFirst("count=".count)) : nil
        let verifyImages = """
                - imageReferences: ["*/\(image)*"]
                  \(fields)
                  attestors:
        \(try keyEntries(parts[0].split(separator: ",").map(String.init), count: count))
        """
        let pod = scenario.manifest("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: c, image: REGISTRY/BASE/\(image):v1}\n")
        let report = try await scenario.evaluate(policies: [clusterPolicy("clause", action: action, verifyImages: verifyImages)],
                                                 resources: try ResourceSet([.init(origin: "pod.yaml", text: pod)]))
        #expect(report.statuses("Pod/p") == ["clause-rule \(image):v1": expected], "\(report.resources[0].rules.first?.images.first?.reasons ?? [])")
    }

    @Test func slsaProvenanceConditions() async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "slsa")
        let resources = try scenario.resources("deployment.yaml")
        let policy = try Testdata.text("policies/require-slsa-provenance.yaml")
        let report = try await scenario.evaluate(policies: [policy], resources: resources)
        #expect(report.statuses("Deployment/shop/web") == ["autogen-check-builder app:v1": .pass])

        // The same policy wanting another builder fails, naming the condition.
        let otherBuilder = policy.replacingOccurrences(of: "https://github.com/example-org/build-workflows/*", with: "https://github.com/slsa-framework/*")
        let refused = try await scenario.evaluate(policies: [otherBuilder], resources: resources)
        let result = try #require(refused.resources[0].rules.first?.images.first)
        #expect(result.status == .fail)
        #expect(result.reasons.joined().contains("builder.id"))

        // Kyverno's `image` variable sits beside the predicate's fields.
        let imageCondition = policy.replacingOccurrences(of: "              conditions:\n                - all:\n", with: """
                          conditions:
                            - all:
                                - key: "{{ image.name }}:{{ image.tag }}"
                                  operator: Equals
                                  value: app:v1
                                - key: "{{ image.digest }}"
                                  operator: Equals
                                  value: "sha256:*"

            """)
        #expect(imageCondition != policy)
        let named = try await scenario.evaluate(policies: [imageCondition], resources: resources)
        #expect(named.statuses("Deployment/shop/web") == ["autogen-check-builder app:v1": .pass], "\(named.resources[0].rules[0].images[0].reasons)")
    }

    @Test func vulnerabilityConditionsInAuditModeWarn() async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "vuln")
        let report = try await scenario.evaluate(policies: [try Testdata.text("policies/audit-vulnerabilities.yaml")],
                                                 resources: try scenario.resources("deployment.yaml"))
        // app's scan is clean; tool's (a sigstore bundle) reports a critical finding: Audit makes it a warning.
        #expect(report.statuses("Deployment/shop/web") == ["autogen-no-critical-vulnerabilities app:v1": .pass,
                                                            "autogen-no-critical-vulnerabilities tool:v1": .warn])
        let tool = try #require(report.resources[0].rules[0].images.first { $0.image.hasSuffix("tool:v1") })
        #expect(tool.reasons.joined().contains("CRITICAL"))
        #expect(report.totals.fail == 0 && report.totals.warn == 1)
    }

    @Test func attestationOfAnotherTypeDoesNotCount() async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "attest")
        let attestOnly = """
                - imageReferences: ["*/tool*"]
                  attestations:
                    - type: https://slsa.dev/provenance/v0.2
                      attestors:
        \(try keyEntries(["signer"], indent: 16))
        """
        let tool = try await scenario.evaluate(policies: [clusterPolicy("attest", verifyImages: attestOnly)], resources: try scenario.resources("deployment.yaml"))
        #expect(tool.statuses("Deployment/shop/web") == ["autogen-attest-rule tool:v1": .fail])
        #expect(tool.resources[0].rules[0].images[0].reasons.joined().contains("no https://slsa.dev/provenance/v0.2 attestation verified"))
    }

    @Test func keylessAttestorsAreErrorsNotPasses() async throws {
        let scenario = try await Scenario.seeded(try await TestRegistry.sharedDocker(), "keyless")
        let verifyImages = """
                - imageReferences: ["*/app*"]
                  attestors:
                    - entries:
                        - keyless:
                            subject: "https://github.com/example/shop/.github/workflows/release.yml@refs/heads/main"
                            issuer: https://token.actions.githubusercontent.com
        """
        let report = try await scenario.evaluate(policies: [clusterPolicy("keyless", verifyImages: verifyImages)],
                                                 resources: try scenario.resources("deployment.yaml"))
        let result = try #require(report.resources[0].rules.first?.images.first)
        #expect(result.status == .error)
        #expect(result.reasons.joined().contains("keyless attestors need"))
    }
}
