import Foundation
import Testing
import TestSupport

/// `ocitool policy pull`: artifacts written by hand in kyverno's layout, and every refusal with its exit
/// status — 1 a signature, 2 bad input, 3 the registry, the artifact or the disk — leaving the directory
/// as it was.
@Suite("ocitool policy pull")
struct PolicyPullCommandTests {
    /// `policy pull <registry>/<repo>:v1 -o <out> <extra>`.
    static func pull(_ registry: TestRegistry, _ repo: String, into out: String, _ extra: [String] = [], sandbox: Sandbox) async throws -> CLIResult {
        try await ocitool(["policy", "pull", registry.reference(repo, "v1"), "-o", out] + extra, insecure: [registry], sandbox: sandbox)
    }

    /// An output directory already holding a file, and its snapshot.
    static func occupied(_ sandbox: Sandbox) throws -> (path: String, before: [String: String]?) {
        try sandbox.write("keep me\n", to: sandbox.path("out/unrelated.txt"))
        return (sandbox.path("out").path, treeSnapshot(sandbox.path("out").path))
    }

    // MARK: layouts

    @Test("an artifact in kyverno oci push's layout, config {} or go-containerregistry's, is pulled", arguments: [false, true])
    func kyvernoLayout(containerRegistryConfig: Bool) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let yaml = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  creationTimestamp: null\n  name: require-labels\nspec:\n  rules:\n  - name: check\n    validate:\n      pattern:\n        metadata:\n          labels:\n            app: ?*\n  validationFailureAction: Audit\nstatus:\n  ready: false\n"
        let layer = PolicyLayer.kyverno(yaml, kind: "ClusterPolicy", name: "require-labels")
        let config = containerRegistryConfig
            ? Data(#"{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":["\#(sha256Digest(layer.data))"]},"config":{}}"#.utf8)
            : Data("{}".utf8)
        let repo = try await registry.pushPolicyArtifact(prefix: "cli/policy-kyverno", config: config, layers: [layer])
        let out = sandbox.path("out").path
        let result = try await Self.pull(registry, repo, into: out, sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(result.output == out + "/ClusterPolicy-require-labels.yaml\n")
        #expect(try String(contentsOfFile: out + "/ClusterPolicy-require-labels.yaml", encoding: .utf8) == yaml)
    }

    @Test("a JSON layer is pulled as a .yaml file holding the JSON")
    func jsonLayer() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let json = #"{"apiVersion":"policies.kyverno.io/v1alpha1","kind":"ValidatingPolicy","metadata":{"name":"json-policy"},"spec":{}}"# + "\n"
        let repo = try await registry.pushPolicyArtifact(prefix: "cli/policy-json", layers: [PolicyLayer(PolicyWire.jsonLayer, json)])
        let out = sandbox.path("out").path
        let result = try await Self.pull(registry, repo, into: out, sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(try String(contentsOfFile: out + "/ValidatingPolicy-json-policy.yaml", encoding: .utf8) == json)
    }

    @Test("hostile policy names are written inside DIR under safe names")
    func sanitisedNames() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let source = sandbox.path("evil.yaml")
        try sandbox.write(PolicySamples.policy("../../etc/x") + "---\n" + PolicySamples.policy("\"team/a/b\"") + "---\n" + PolicySamples.policy(".hidden"),
                          to: source)
        let (repo, _) = try await PolicyCommandTests.push([source.path], to: registry, prefix: "cli/policy-evil", sandbox: sandbox)
        try FileManager.default.createDirectory(atPath: sandbox.path("a/b").path, withIntermediateDirectories: true)
        let out = sandbox.path("a/b/out").path
        let result = try await Self.pull(registry, repo, into: out, sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        let files = try sandbox.contents(of: URL(fileURLWithPath: out))
        #expect(files.count == 3, "\(files)")
        for file in files {
            #expect(file.hasPrefix("ClusterPolicy-") && file.hasSuffix(".yaml") && !file.contains("/"), "\(file)")
        }
        #expect(result.output.split(separator: "\n").allSatisfy { $0.hasPrefix(out + "/ClusterPolicy-") && !$0.dropFirst(out.count + 1).contains("/") },
                "\(result)")
        #expect(try sandbox.contents(of: sandbox.path("a/b")) == ["out"])
        #expect(try sandbox.contents(of: sandbox.path("a")) == ["b"])
        #expect(!FileManager.default.fileExists(atPath: sandbox.path("etc").path))
    }

    // MARK: refusals

    @Test("a normal image is not a policy artifact: exit 3 naming its config media type, nothing written")
    func normalImage() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let image = try await PushedImage.push(registry, "cli/policy-image")
        let out = sandbox.path("out").path
        let result = try await ocitool(["policy", "pull", image.reference, "-o", out], insecure: [registry], sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: ["is not a Kyverno policy artifact", "application/vnd.oci.image.config.v1+json"])
        #expect(treeSnapshot(out) == nil, "DIR is not created")
    }

    @Test("a policy config with a foreign layer, or an index: exit 3 naming what is wrong")
    func foreignLayerAndIndex() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let repo = try await registry.pushPolicyArtifact(prefix: "cli/policy-foreign", layers: [
            PolicyLayer(PolicyWire.yamlLayer, PolicySamples.policy("p")), PolicyLayer("application/vnd.oci.image.layer.v1.tar", Data("x".utf8)),
        ])
        let (out, before) = try Self.occupied(sandbox)
        expectFailure(try await Self.pull(registry, repo, into: out, sandbox: sandbox), status: 3,
                      mentioning: ["is not a Kyverno policy artifact", "application/vnd.oci.image.layer.v1.tar"])
        let indexRepo = uniqueRepository("cli/policy-index")
        _ = try await registry.pushIndex(repo: indexRepo, tag: "v1")
        expectFailure(try await Self.pull(registry, indexRepo, into: out, sandbox: sandbox), status: 3, mentioning: ["index"])
        #expect(treeSnapshot(out) == before)
    }

    @Test("a hostile bundle: exit 3 naming the problem, DIR untouched, nothing written outside it", arguments: HostileBundle.allCases)
    func hostileBundle(_ hostile: HostileBundle) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let outside = sandbox.path("outside.yaml").path
        let bundle = try await hostile.bytes(outside: outside)
        let repo = try await registry.pushPolicyArtifact(prefix: "cli/policy-hostile", layers: [PolicyLayer(PolicyWire.bundleLayer, bundle)])
        let (out, _) = try Self.occupied(sandbox)
        let before = treeSnapshot(sandbox.root.path)
        let result = try await Self.pull(registry, repo, into: out, sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: [sha256Digest(bundle), hostile.expected])
        #expect(treeSnapshot(sandbox.root.path) == before, "nothing changed in the sandbox")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    @Test("a layer whose bytes do not match its digest: exit 3, nothing written")
    func corruptLayer() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let layers = [PolicyLayer(PolicyWire.yamlLayer, PolicySamples.policy("one")), PolicyLayer(PolicyWire.yamlLayer, PolicySamples.policy("two"))]
        let repo = try await registry.pushPolicyArtifact(prefix: "cli/policy-corrupt", layers: layers)
        let digest = sha256Digest(layers[1].data)
        try await registry.addFaults([.corrupt(method: "GET", path: "/v2/\(repo)/blobs/\(digest)")])
        let (out, before) = try Self.occupied(sandbox)
        let result = try await Self.pull(registry, repo, into: out, sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: [digest])
        #expect(treeSnapshot(out) == before)
        #expect(try await registry.requests(matching: repo).contains { $0.fault == .corrupt }, "the corrupted blob was served")
    }

    @Test("a layer holding a document that is not a policy: refused naming the layer, document and line; nothing written")
    func nonPolicyLayer() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let text = PolicySamples.policy("fine") + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"
        let repo = try await registry.pushPolicyArtifact(prefix: "cli/policy-secret", layers: [PolicyLayer(PolicyWire.yamlLayer, text)])
        let (out, before) = try Self.occupied(sandbox)
        let result = try await Self.pull(registry, repo, into: out, sandbox: sandbox)
        // A pulled document that is not a policy is the artifact's fault: exit 3, like any bad artifact.
        expectFailure(result, status: 3, mentioning: ["\(repo)@\(sha256Digest(Data(text.utf8)))", "document 2 (line 8)", "apiVersion v1"])
        #expect(treeSnapshot(out) == before)
    }

    @Test("existing files are kept without --force (exit 2, nothing written) and replaced with it")
    func force() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let (repo, _) = try await PolicyCommandTests.push([PolicySamples.images], to: registry, prefix: "cli/policy-force", sandbox: sandbox)
        let out = sandbox.path("out")
        let taken = out.appendingPathComponent("Policy-restrict-registries.yaml")
        try sandbox.write("my own edits\n", to: taken)
        let before = treeSnapshot(out.path)

        let refused = try await Self.pull(registry, repo, into: out.path, sandbox: sandbox)
        expectFailure(refused, status: 2, mentioning: ["would overwrite", taken.path, "--force"])
        #expect(treeSnapshot(out.path) == before, "the other policy is not written either")

        let forced = try await Self.pull(registry, repo, into: out.path, ["--force"], sandbox: sandbox)
        #expect(forced.status == 0, "\(forced)")
        #expect(try String(contentsOf: taken, encoding: .utf8) == PolicySamples.restrictRegistries.source)
        #expect(try sandbox.contents(of: out) == ["ClusterPolicy-disallow-latest-tag.yaml", "Policy-restrict-registries.yaml"])
    }

    @Test("usage: missing or empty -o, a missing REF, an extra argument: exit 2", arguments: [
        ["policy", "pull", "REF"], ["policy", "pull", "REF", "-o", ""], ["policy", "pull", "-o", "OUT"],
        ["policy", "pull", "REF", "extra", "-o", "OUT"], ["policy", "pull", "REF", "-o", "OUT", "--bundle"],
        ["policy", "pull", "REF", "-o", "OUT", "--key", "MISSING"],
    ])
    func usage(arguments: [String]) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/policy-pull-usage")
        let out = sandbox.path("out").path
        let resolved = arguments.map { argument in
            switch argument {
            case "REF": registry.reference(repo, "v1")
            case "OUT": out
            case "MISSING": sandbox.path("missing.pub").path
            default: argument
            }
        }
        let requests = try await registry.requests(matching: repo) {
            let result = try await ocitool(resolved, insecure: [registry], sandbox: sandbox)
            expectFailure(result, status: 2)
            if arguments.count == 3 { #expect(result.errorMessages.first?.contains("-o") == true, "\(result)") }
        }
        #expect(requests.isEmpty, "\(requests)")
        #expect(treeSnapshot(out) == nil)
    }

    @Test("-o naming a file: an error, the file untouched")
    func outputIsAFile() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let (repo, _) = try await PolicyCommandTests.push([PolicySamples.cleanup], to: registry, prefix: "cli/policy-out-file", sandbox: sandbox)
        let file = sandbox.path("out")
        try sandbox.write("a file\n", to: file)
        let result = try await Self.pull(registry, repo, into: file.path, ["--force"], sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: [file.path, "not a directory"])
        #expect(try String(contentsOf: file, encoding: .utf8) == "a file\n")
    }

    @Test("an unreachable registry is exit 3, nothing written")
    func unreachable() async throws {
        let sandbox = try Sandbox()
        let port = try closedLoopbackPort()
        let out = sandbox.path("out").path
        let result = try await ocitool(["policy", "pull", "127.0.0.1:\(port)/policies:v1", "-o", out],
                                       environment: ["OCITOOL_INSECURE_REGISTRIES": "127.0.0.1:\(port)"], sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: ["127.0.0.1:\(port)"])
        #expect(treeSnapshot(out) == nil)
    }

    // MARK: --key

    @Test("--key: unsigned is exit 1 with nothing written; signed by `ocitool sign --key` is written; another key is exit 1")
    func signatures() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let (repo, digest) = try await PolicyCommandTests.push([PolicySamples.directory], to: registry, prefix: "cli/policy-signed", sandbox: sandbox)
        let keys = try await generateKeyPair(sandbox)
        let other = try await generateKeyPair(sandbox, "other")
        let out = sandbox.path("out").path

        let layerDigests = try await registry.layerObjects(repo: repo).compactMap { $0["digest"] as? String }
        let unsignedRequests = try await registry.requests(matching: repo) {
            let unsigned = try await Self.pull(registry, repo, into: out, ["--key", keys.publicKey], sandbox: sandbox)
            expectFailure(unsigned, status: 1, mentioning: [registry.reference(repo, "v1"), "not signed"])
        }
        #expect(treeSnapshot(out) == nil, "nothing written, DIR not created")
        #expect(!unsignedRequests.contains { request in layerDigests.contains { request.path.hasSuffix($0) } },
                "no policy layer fetched before the signature is known good: \(unsignedRequests.map(\.path))")

        let signed = try await ocitoolSucceeding(["sign", "--key", keys.privateKey, registry.reference(repo, "v1")], insecure: [registry], sandbox: sandbox)
        #expect(signed.status == 0)
        let wrongKey = try await Self.pull(registry, repo, into: out, ["--key", other.publicKey], sandbox: sandbox)
        expectFailure(wrongKey, status: 1, mentioning: ["not signed"])
        #expect(treeSnapshot(out) == nil)

        let verified = try await Self.pull(registry, repo, into: out, ["--key", other.publicKey, "--key", keys.publicKey], sandbox: sandbox)
        #expect(verified.status == 0, "\(verified)")
        #expect(try sandbox.contents(of: URL(fileURLWithPath: out)) == PolicySamples.all.map(\.fileName).sorted())
        let byDigest = try await ocitool(["policy", "pull", registry.reference(repo, digest), "-o", sandbox.path("pinned").path, "--key", keys.publicKey],
                                         insecure: [registry], sandbox: sandbox)
        #expect(byDigest.status == 0, "\(byDigest)")
    }

    @Test("--key while the registry fails to answer for signatures: exit 3 (undecided), nothing written")
    func signatureLookupFails() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let (repo, _) = try await PolicyCommandTests.push([PolicySamples.cleanup], to: registry, prefix: "cli/policy-undecided", sandbox: sandbox)
        let keys = try await generateKeyPair(sandbox)
        try await registry.addFaults([.status(500, path: "/v2/\(repo)/(referrers/|manifests/sha256-)")])
        let out = sandbox.path("out").path
        let result = try await Self.pull(registry, repo, into: out, ["--key", keys.publicKey], sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: ["cannot tell whether", registry.reference(repo, "v1")])
        #expect(treeSnapshot(out) == nil)
    }

    @Test("push and pull use the docker config's credentials; without them the registry's refusal is exit 3")
    func credentials() async throws {
        let (registry, _) = try await protectedRepository(.bearer)
        let (user, password) = try #require(registry.credentials)
        let repo = uniqueRepository("cli/policy-auth")
        let reference = registry.reference(repo, "v1")
        let anonymous = try Sandbox()
        let refused = try await ocitool(["policy", "push", reference, PolicySamples.cleanup], insecure: [registry], sandbox: anonymous)
        expectFailure(refused, status: 3)

        let sandbox = try Sandbox()
        try sandbox.write("{\(authsMember(registry, user: user, password: password))}", to: sandbox.dockerConfigFile)
        let pushed = try await ocitool(["policy", "push", reference, PolicySamples.cleanup], insecure: [registry], sandbox: sandbox)
        #expect(pushed.status == 0, "\(pushed)")
        let out = sandbox.path("out").path
        let pulled = try await ocitool(["policy", "pull", reference, "-o", out], insecure: [registry], sandbox: sandbox)
        #expect(pulled.status == 0, "\(pulled)")
        #expect(try sandbox.contents(of: URL(fileURLWithPath: out)) == [PolicySamples.removeStaleJobs.fileName])
    }
}
