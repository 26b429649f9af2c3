import Foundation
import Testing
import TestSupport

/// `ocitool verify --policy … --resource …`: Kyverno verifyImages policies from testdata over manifests, run
/// as a CI gate would, checking exit codes and outputs.
@Suite struct VerifyPolicyCommandTests {
    static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/admission")

    static func path(_ relative: String) -> String { testdata.appendingPathComponent(relative).path }

    /// `app`, `tool` and `proxy` in a fresh namespace: app and tool signed by testdata's signer key, proxy not.
    struct Images {
        let registry: TestRegistry
        let base: String
        let sandbox: Sandbox

        static func seeded(_ name: String) async throws -> Images {
            let registry = try await TestRegistry.sharedDocker()
            let images = Images(registry: registry, base: uniqueRepository("admission/cli-\(name)"), sandbox: try Sandbox())
            for repo in ["app", "tool", "proxy"] {
                _ = try await registry.pushImage(repo: "\(images.base)/\(repo)", tag: "v1", layers: [Data("\(images.base)/\(repo)".utf8)])
            }
            for repo in ["app", "tool"] {
                try await ocitoolSucceeding(["sign", "--key", VerifyPolicyCommandTests.path("keys/signer.key"), registry.reference("\(images.base)/\(repo)", "v1")],
                                            insecure: [registry], sandbox: images.sandbox)
            }
            return images
        }

        /// A testdata manifest with REGISTRY and BASE filled in, written into the sandbox.
        func manifest(_ name: String, replacing: [(String, String)] = []) throws -> String {
            var text = try String(contentsOfFile: VerifyPolicyCommandTests.path("resources/\(name)"), encoding: .utf8)
                .replacingOccurrences(of: "REGISTRY", with: registry.host).replacingOccurrences(of: "BASE", with: base)
            for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
            let url = sandbox.path("\(UUID().uuidString)-\(name)")
            try sandbox.write(text, to: url)
            return url.path
        }

        func policy(_ name: String, replacing: [(String, String)] = []) throws -> String {
            var text = try String(contentsOfFile: VerifyPolicyCommandTests.path("policies/\(name)"), encoding: .utf8)
            for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
            let url = sandbox.path("\(UUID().uuidString)-\(name)")
            try sandbox.write(text, to: url)
            return url.path
        }

        func verify(_ arguments: [String], stdin: Data? = nil) async throws -> CLIResult {
            try await ocitool(["verify"] + arguments, insecure: [registry], stdin: stdin, sandbox: sandbox)
        }
    }

    @Test func signedDeploymentPassesWithTextReport() async throws {
        let images = try await Images.seeded("pass")
        let result = try await images.verify(["--policy", try images.policy("check-image-signature.yaml"), "--resource", try images.manifest("deployment.yaml")])
        #expect(result.status == 0, "\(result)")
        #expect(result.output.contains("Deployment/shop/web ("))
        #expect(result.output.contains("ClusterPolicy/check-image-signature autogen-verify-signature [Enforce]"))
        #expect(result.output.contains("pass  \(images.registry.host)/\(images.base)/app:v1 (sha256:"))
        #expect(result.output.contains("pass: 3, fail: 0, warn: 0, error: 0, skip: 0"))
        #expect(result.stderr.contains("warning: transparency-log entries were not checked") == false, "the sample sets ignoreTlog")
    }

    @Test func enforceFailureExitsOneAuditFailureWarns() async throws {
        let images = try await Images.seeded("fail")
        let proxyToo = [("\"*/admission/*/tool*\"", "\"*/admission/*/tool*\"\n            - \"*/admission/*/proxy*\"")]
        let deployment = try images.manifest("deployment.yaml")
        let enforce = try await images.verify(["--policy", try images.policy("check-image-signature.yaml", replacing: proxyToo), "--resource", deployment])
        #expect(enforce.status == 1, "\(enforce)")
        #expect(enforce.output.contains("fail  \(images.registry.host)/\(images.base)/proxy:v1"))
        #expect(enforce.output.contains("pass: 3, fail: 2"))

        let audit = try await images.verify(["--policy", try images.policy("check-image-signature.yaml", replacing: proxyToo + [("Enforce", "Audit")]),
                                             "--resource", deployment, "-o", "json"])
        #expect(audit.status == 0, "\(audit)")
        let report = try JSONSerialization.jsonObject(with: audit.stdout) as? [String: Any]
        let totals = report?["totals"] as? [String: Int]
        #expect(totals?["warn"] == 2 && totals?["pass"] == 3 && totals?["fail"] == 0)
        let rules = (report?["resources"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]]
        #expect(rules?.first?["action"] as? String == "Audit")
    }

    @Test func uncheckedTransparencyLogIsSaid() async throws {
        let images = try await Images.seeded("tlog")
        let policy = try images.policy("check-image-signature.yaml", replacing: [("                    rekor:\n                      ignoreTlog: true\n", "")])
        let result = try await images.verify(["--policy", policy, "--resource", try images.manifest("deployment.yaml")])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("warning: transparency-log entries were not checked for keys without rekor.pubkey"))
        #expect(result.output.contains("transparency-log entries not checked"))
        let badRoot = try await images.verify(["--policy", policy, "--resource", try images.manifest("deployment.yaml"),
                                               "--trusted-root", VerifyPolicyCommandTests.path("keys/signer.pub")])
        #expect(badRoot.status == 2 && badRoot.errorMessages.first?.contains("--trusted-root") == true, "\(badRoot)")
    }

    @Test func undecidableChecksExitThree() async throws {
        let images = try await Images.seeded("error")
        // A registry nobody listens on: nothing can be decided, nothing failed.
        let manifest = try images.manifest("deployment.yaml", replacing: [(images.registry.host, "127.0.0.1:9")])
        let result = try await ocitool(["verify", "--policy", try images.policy("check-image-signature.yaml"), "--resource", manifest],
                                       insecure: [images.registry], environment: ["OCITOOL_INSECURE_REGISTRIES": "127.0.0.1:9"], sandbox: images.sandbox)
        #expect(result.status == 3, "\(result)")
        #expect(result.output.contains("error: 3"))
    }

    @Test func mutateDigestPrintsPinnedManifestsFromStandardInput() async throws {
        let images = try await Images.seeded("mutate")
        let manifest = try String(contentsOfFile: try images.manifest("deployment.yaml"), encoding: .utf8)
        let result = try await images.verify(["--policy", try images.policy("check-image-signature.yaml"), "--resource", "-", "--mutate-digest"],
                                             stdin: Data(manifest.utf8))
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("pass: 3"), "the report goes to stderr")
        let pinned = result.output
        // Verified images gain their digest; the unverified proxy and everything else stay as written.
        #expect(pinned.contains(#"image: "\#(images.registry.host)/\#(images.base)/app:v1@sha256:"#))
        #expect(pinned.contains("image: \(images.registry.host)/\(images.base)/tool:v1@sha256:"))
        #expect(pinned.contains("image: \(images.registry.host)/\(images.base)/proxy:v1\n"))
        #expect(pinned.contains("# the application"))
        let unpinned = pinned.replacingOccurrences(of: #"@sha256:[0-9a-f]{64}"#, with: "", options: .regularExpression)
        #expect(manifest.hasSuffix(unpinned), "only the image scalars changed")
    }

    @Test func yamlReportAndKeylessErrors() async throws {
        let images = try await Images.seeded("yaml")
        let keyless = """
            apiVersion: kyverno.io/v1
            kind: ClusterPolicy
            metadata: {name: keyless}
            spec:
              validationFailureAction: Enforce
              rules:
                - name: github-actions
                  match: {any: [{resources: {kinds: [Pod]}}]}
                  verifyImages:
                    - imageReferences: ["*/app*"]
                      attestors:
                        - entries:
                            - keyless: {subject: "https://github.com/example/*", issuer: "https://token.actions.githubusercontent.com"}
            """
        let policy = images.sandbox.path("keyless.yaml")
        try images.sandbox.write(keyless, to: policy)
        let result = try await images.verify(["--policy", policy.path, "--resource", try images.manifest("deployment.yaml"), "-o", "yaml"])
        #expect(result.status == 3, "\(result)")
        #expect(result.output.contains("totals:\n  error: 2\n"))
        #expect(result.output.contains("keyless attestors need"))
    }

    @Test func signedPolicyArtifactFromTheRegistry() async throws {
        let images = try await Images.seeded("oci")
        let reference = images.registry.reference("\(images.base)/policies", "v1")
        try await ocitoolSucceeding(["policy", "push", reference, try images.policy("check-image-signature.yaml")], insecure: [images.registry], sandbox: images.sandbox)
        try await ocitoolSucceeding(["sign", "--key", Self.path("keys/signer.key"), reference], insecure: [images.registry], sandbox: images.sandbox)
        let deployment = try images.manifest("deployment.yaml")
        let signed = try await images.verify(["--policy", "oci://" + reference, "--policy-key", Self.path("keys/signer.pub"), "--resource", deployment])
        #expect(signed.status == 0, "\(signed)")
        #expect(signed.output.contains("pass: 3"))
        let untrusted = try await images.verify(["--policy", "oci://" + reference, "--policy-key", Self.path("keys/other.pub"), "--resource", deployment])
        #expect(untrusted.status == 1, "\(untrusted)")
        #expect(untrusted.output.isEmpty && untrusted.errorMessages.first?.contains("not signed by the given key") == true)
    }

    @Test(arguments: [
        (["--policy", "POLICY"], "missing --resource"),
        (["--resource", "RESOURCE"], "missing --policy"),
        (["--policy", "POLICY", "--resource", "RESOURCE", "--key", "KEY"], "--key does not apply with --policy"),
        (["--policy", "POLICY", "--resource", "RESOURCE", "-o", "xml"], "--output takes text, json or yaml"),
        (["--policy", "POLICY", "--resource", "/nonexistent/deploy.yaml"], "/nonexistent/deploy.yaml: no such file or directory"),
        (["--policy", "POLICY", "--resource", "RESOURCE", "--policy-key", "KEY"], "--policy-key applies to oci://REF policies"),
        (["IMAGE", "--key", "KEY", "--mutate-digest"], "apply only with --policy"),
        (["--policy", "BADPOLICY", "--resource", "RESOURCE"], "match.any[0].subjects: `subjects` is not supported"),
    ])
    func badInputExitsTwo(_ arguments: [String], _ message: String) async throws {
        let sandbox = try Sandbox()
        let bad = sandbox.path("bad.yaml")
        try sandbox.write(try String(contentsOfFile: Self.path("policies/check-image-signature.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "      match:\n        any:\n          - resources:", with: "      match:\n        any:\n          - subjects: [{kind: User, name: dev}]\n            resources:"), to: bad)
        let substituted = arguments.map {
            ["POLICY": Self.path("policies/check-image-signature.yaml"), "RESOURCE": Self.path("resources/deployment.yaml"),
             "KEY": Self.path("keys/signer.pub"), "IMAGE": "registry.invalid/app:1", "BADPOLICY": bad.path][$0] ?? $0
        }
        let result = try await ocitool(["verify"] + substituted, sandbox: sandbox)
        #expect(result.status == 2, "\(result)")
        #expect(result.errorMessages.first?.contains(message) == true, "\(result)")
    }
}
