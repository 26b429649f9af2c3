@testable import Admission
import Foundation
import OCI
import Policy
import Sigstore
import Testing
import TestSupport
import Verification

/// Keyless and certificate attestors over cosign's own keyless signatures (containers/image fixtures) served
/// by the lax fake registry: testdata/admission/policies/keyless-attestors.yaml, one rule per case, all
/// evaluated together over one Pod running both images.
@Suite("keyless and certificate attestors", .enabled(if: Vectors.available, "\(Vectors.missing)"))
struct KeylessAttestorTests {
    /// The fulcio and pki fixture images in a fresh namespace of the lax fake (their own blobs are not in the vectors).
    static func scenario(_ name: String) async throws -> Scenario {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(lax: true))
        let scenario = Scenario(registry: registry, base: uniqueRepository("admission/\(name)"))
        _ = try await registry.pushCosignVector("dir-img-cosign-fulcio-rekor-valid", repo: "\(scenario.base)/fulcio")
        _ = try await registry.pushCosignVector("dir-img-cosign-pki-valid", repo: "\(scenario.base)/pki")
        return scenario
    }

    static func policies(_ file: String) throws -> [VerifyImagesPolicy] {
        let text = try Vectors.fillingFixtures(in: try Testdata.text("policies/\(file)"))
        return try KyvernoPolicy.all(in: text, origin: file).map { try VerifyImagesPolicy($0) }
    }

    static func evaluate(_ scenario: Scenario, _ policies: [VerifyImagesPolicy], trustedRoot: TrustedRoot? = nil) async throws -> AdmissionReport {
        let engine = AdmissionEngine(policies: policies, client: makeClient(scenario.registry), trustedRoot: trustedRoot, jobs: 8,
                                     now: Int64(Date().timeIntervalSince1970))
        return await engine.evaluate(try scenario.resources("pod-keyless.yaml"))
    }

    @Test("every rule decides as its name says: exact, wildcard and regexp subjects, issuers, extensions, SCTs, roots, certificates")
    func rulesDecideAsNamed() async throws {
        let scenario = try await Self.scenario("keyless")
        let report = try await Self.evaluate(scenario, try Self.policies("keyless-attestors.yaml"))
        let rules = report.resources[0].rules
        #expect(rules.count == 16)
        for rule in rules {
            let image = try #require(rule.images.first, "\(rule.rule)")
            #expect(rule.images.count == 1)
            let expected: AdmissionReport.Status = rule.rule.hasPrefix("pass-") ? .pass : .fail
            #expect(image.status == expected, "\(rule.rule): \(image.reasons)")
            if expected == .pass { #expect(image.digest?.hasPrefix("sha256:") == true, "\(rule.rule)") }
        }
        func reasons(_ rule: String) -> String { rules.first { $0.rule == rule }?.images.first?.reasons.joined(separator: " ") ?? "" }
        #expect(reasons("fail-wrong-subject").contains("certificate identity mitr@redhat.com does not match \"someone@redhat.com\""))
        #expect(reasons("fail-partial-regexp").contains("does not match /mitr/"))
        #expect(reasons("fail-wrong-issuer").contains("OIDC issuer \"https://github.com/login/oauth\" does not match"))
        #expect(reasons("fail-github-extension").contains("GitHub workflow repository"))
        #expect(reasons("fail-sct-required").contains("SCT"))
        #expect(reasons("fail-no-log-certificate-expired").contains("expired"))
        #expect(reasons("fail-cert-other-chain").contains("does not chain to certChain"))
        #expect(report.stats.checks == 16, "every rule names a different attestor")
    }

    static func trustedRoot() throws -> TrustedRoot { try TrustedRoot(bytes: Array(try Vectors.fulcioTrustedRoot())) }

    static func keylessPolicy(_ keyless: String) -> String {
        clusterPolicy("trusted-root", verifyImages: """
                - imageReferences: ["*/fulcio:*"]
                  attestors:
                    - entries:
                        - keyless:
        \(keyless)
        """)
    }

    @Test("no roots: the CAs and the log come from --trusted-root; without it the check is an error, never a pass")
    func trustedRootCertificateAuthorities() async throws {
        let scenario = try await Self.scenario("trustedroot")
        let policy = try VerifyImagesPolicy(try KyvernoPolicy.all(in: Self.keylessPolicy("""
                            subject: mitr@redhat.com
                            issuer: https://github.com/login/oauth
                            ctlog: {ignoreSCT: true}
        """), origin: "test")[0])
        #expect(policy.keylessFieldsNeedingTrustedRoot == ["spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless"])
        let trusted = try await Self.evaluate(scenario, [policy], trustedRoot: try Self.trustedRoot())
        let passed = try #require(trusted.resources[0].rules.first?.images.first)
        #expect(passed.status == .pass, "\(passed.reasons)")
        #expect(trusted.notes.isEmpty, "the log was checked")

        let missing = try await Self.evaluate(scenario, [policy])
        let erred = try #require(missing.resources[0].rules.first?.images.first)
        #expect(erred.status == .error)
        #expect(erred.reasons.joined().contains("--trusted-root"))
    }

    @Test("malformed keyless and certificate attestors are refused when the policy is read, naming the field", arguments: [
        ("subject: a@b\n                            subjectRegExp: a", "give subject or subjectRegExp, not both"),
        ("subjectRegExp: \"(\"", "not a valid regular expression"),
        ("subject: a@b\n                            roots: not a certificate", "keyless.roots"),
        ("subject: a@b\n                            additionalExtensions: {workflowColour: blue}", "unknown certificate extension `workflowColour`"),
        ("subject: a@b\n                            ctlog: {pubkey: x}", "ctlog.pubkey"),
        ("subject: a@b\n                            issuer: x\n                            additionalExtensions: {oidcIssuer: y}", "issuer is given twice"),
        ("subject: a@b\n                            rekor: {pubkey: nope}", "rekor.pubkey"),
    ])
    func malformedKeyless(_ keyless: String, _ named: String) throws {
        #expect {
            try VerifyImagesPolicy(try KyvernoPolicy.all(in: Self.keylessPolicy("                            " + keyless), origin: "test")[0])
        } throws: { error in
            "\(error)".contains(named)
        }
    }

    @Test("certificates: a cert that is not PEM, or a chain without a root, is refused when read", arguments: [
        ("cert: garbage", "certificates.cert"),
        ("certChain: garbage", "certificates.certChain"),
        ("rekor: {ignoreTlog: true}", "needs cert or certChain"),
    ])
    func malformedCertificates(_ entry: String, _ named: String) throws {
        let text = clusterPolicy("certificates", verifyImages: """
                - imageReferences: ["*"]
                  attestors:
                    - entries:
                        - certificates: {\(entry)}
        """)
        #expect {
            try VerifyImagesPolicy(try KyvernoPolicy.all(in: text, origin: "test")[0])
        } throws: { error in
            "\(error)".contains(named)
        }
    }
}
