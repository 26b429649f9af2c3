@testable import Admission
import Policy
import Testing

/// verifyImages entries: defaults, and every clause ocitool cannot honour refused with the field named.
@Suite struct PolicyReadingTests {
    static func policy(_ verifyImages: String, rule: String = "", spec: String = "") -> String {
        """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: p}
        spec:
          \(spec.isEmpty ? "background: false" : spec)
          rules:
            - name: r
              match: {any: [{resources: {kinds: [Pod]}}]}
              \(rule.isEmpty ? "skipBackgroundRequests: true" : rule)
              verifyImages:
                - \(verifyImages)
        """
    }

    static func read(_ text: String) throws -> VerifyImagesPolicy {
        try VerifyImagesPolicy(try KyvernoPolicy.all(in: text, origin: "test.yaml")[0])
    }

    static let key = (try? Testdata.text("keys/signer.pub").replacingOccurrences(of: "\n", with: "\\n")) ?? ""

    @Test func defaults() throws {
        let read = try Self.read(Self.policy(#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "\#(Self.key)"}}]}]}"#))
        let verification = try #require(read.rules.first?.verifications.first)
        #expect(verification.required && verification.verifyDigest && verification.mutateDigest)
        #expect(read.rules.first?.action == .audit, "Kyverno's default validationFailureAction is Audit")
        #expect(verification.attestors[0].required == 1)
        guard case .key(let key) = verification.attestors[0].entries[0] else { Issue.record("not a key"); return }
        #expect(key.log == .defaultTrust)
    }

    @Test func legacyPredicateTypeAndRuleLevelFailureAction() throws {
        let read = try Self.read(Self.policy(
            #"{imageReferences: ["*"], failureAction: Enforce, attestations: [{predicateType: https://example.com/CodeReview/v1, attestors: [{entries: [{keys: {publicKeys: "\#(Self.key)", rekor: {ignoreTlog: true}}}]}]}]}"#,
            spec: "validationFailureAction: audit"))
        let verification = try #require(read.rules.first?.verifications.first)
        #expect(verification.attestations.first?.type == "https://example.com/CodeReview/v1")
        #expect(verification.action == .enforce)
    }

    @Test(arguments: [
        (#"{imageReferences: ["*"], attestors: [{entries: [{keys: {kms: "gcpkms://k"}}]}]}"#, "", "unsupported", "keys.kms"),
        (#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "k8s://ns/secret"}}]}]}"#, "", "unsupported", "publicKeys"),
        (#"{imageReferences: ["*"], repository: other/sigs, attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "", "unsupported", "repository"),
        (#"{imageReferences: ["*"], type: Notary, attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "", "unsupported", "type"),
        (#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "context: [{name: keys, configMap: {name: keys, namespace: default}}]", "unsupported", "context"),
        (#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "preconditions: {all: []}", "unsupported", "preconditions"),
        (#"{imageReferences: ["*"]}"#, "", "invalid", "verifyImages[0]"),
        (#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "exlude: {any: [{resources: {namespaces: [kube-system]}}]}", "invalid", "exlude"),
        (#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "imageExtractors: {Task: [{path: /spec/image}]}", "unsupported", "imageExtractors"),
        (#"{imageReferences: ["*"], attestors: [{count: 2, entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "", "invalid", "count"),
        (#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "not a key"}}]}]}"#, "", "invalid", "publicKeys"),
        (#"{imageReferences: ["*"], attestations: [{type: t, attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}], conditions: [{all: [{key: "{{ a }}", operator: Resembles, value: 1}]}]}]}"#, "", "invalid", "conditions"),
        (#"{imageReferences: ["*"], mutateDigest: maybe, attestors: [{entries: [{keys: {publicKeys: "KEY"}}]}]}"#, "", "invalid", "mutateDigest"),
    ])
    func refusals(_ verifyImages: String, _ rule: String, _ kind: String, _ field: String) throws {
        let text = Self.policy(verifyImages.replacingOccurrences(of: "KEY", with: Self.key), rule: rule)
        let error = #expect(throws: AdmissionError.self) { try Self.read(text) }
        switch error {
        case .unsupported(_, let named, _)?: #expect(kind == "unsupported" && named.hasSuffix(field), "\(named)")
        case .invalidPolicy(_, let named, _)?: #expect(kind == "invalid" && named.hasSuffix(field), "\(named)")
        default: Issue.record("\(String(describing: error))")
        }
    }

    @Test func namespaceOverridesAreRefused() throws {
        let text = Self.policy(#"{imageReferences: ["*"], attestors: [{entries: [{keys: {publicKeys: "\#(Self.key)"}}]}]}"#,
                               spec: "validationFailureActionOverrides: [{action: Enforce, namespaces: [prod]}]")
        let error = #expect(throws: AdmissionError.self) { try Self.read(text) }
        #expect(error?.description.contains("spec.validationFailureActionOverrides: validationFailureActionOverrides is not supported") == true,
                "\(String(describing: error))")
    }

    @Test func otherPolicyKindsAreRefused() throws {
        let text = "apiVersion: policies.kyverno.io/v1\nkind: ImageValidatingPolicy\nmetadata: {name: ivp}\nspec: {}\n"
        let error = #expect(throws: AdmissionError.self) { try Self.read(text) }
        #expect(error?.description.contains("ImageValidatingPolicy") == true)
    }
}
