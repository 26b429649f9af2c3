import Foundation
import Testing
import TestSupport

/// `ocitool policy push` end to end: what it prints, what the registry then holds byte for byte, that a
/// `policy pull` writes the policies back, and every refusal of the input (exit 2, before any request).
@Suite("ocitool policy push")
struct PolicyCommandTests {
    static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]

    /// Inputs for the round trips, and the policies each carries in layer order.
    enum Input: String, CaseIterable, CustomTestStringConvertible {
        case singleFile, multiDocument, directory, bundle
        var testDescription: String { rawValue }
        var paths: [String] {
            switch self {
            case .singleFile: [PolicySamples.requireLabels]
            case .multiDocument: [PolicySamples.images]
            case .directory, .bundle: [PolicySamples.directory]
            }
        }
        var policies: [PolicySamples.Policy] {
            switch self {
            case .singleFile: [PolicySamples.requireTeamLabel]
            case .multiDocument: [PolicySamples.disallowLatestTag, PolicySamples.restrictRegistries]
            case .directory, .bundle: PolicySamples.all
            }
        }
    }

    /// `ocitool policy push <registry>/<fresh repo>:v1 <arguments>`, required to succeed; returns the repository
    /// and the digest printed.
    static func push(_ arguments: [String], to registry: TestRegistry, prefix: String, environment: [String: String] = epoch,
                     sandbox: Sandbox) async throws -> (repo: String, digest: String) {
        let repo = uniqueRepository(prefix)
        let result = try await ocitool(["policy", "push", registry.reference(repo, "v1")] + arguments, insecure: [registry],
                                       environment: environment, sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        guard result.status == 0 else { throw CLIRunFailed(arguments: arguments, result: result) }
        return (repo, result.output.trimmingCharacters(in: .newlines))
    }

    @Test("push prints the manifest digest; pull writes <kind>-<name>.yaml holding each document's exact text", arguments: Input.allCases)
    func roundTrip(input: Input) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("cli/policy-\(input.rawValue)")
        let reference = registry.reference(repo, "v1")
        let pushed = try await ocitool(["policy", "push", reference] + input.paths + (input == .bundle ? ["--bundle"] : []),
                                       insecure: [registry], environment: Self.epoch, sandbox: sandbox)
        #expect(pushed.status == 0, "\(pushed)")
        let stored = try #require(try await registry.fetchManifest(repo: repo, reference: "v1"))
        #expect(pushed.output == stored.digest + "\n", "exactly the digest on stdout: \(pushed)")
        let count = input.policies.count
        #expect(pushed.stderr == "pushed \(count) polic\(count == 1 ? "y" : "ies") to \(reference)\n", "\(pushed)")

        let out = sandbox.path("out").path
        let pulled = try await ocitool(["policy", "pull", reference, "-o", out], insecure: [registry], sandbox: sandbox)
        #expect(pulled.status == 0, "\(pulled)")
        let names = input.policies.map(\.fileName).sorted()
        #expect(pulled.output == names.map { out + "/" + $0 + "\n" }.joined(), "the paths written, one a line: \(pulled)")
        #expect(try sandbox.contents(of: URL(fileURLWithPath: out)) == names, "nothing else, no staging files")
        for policy in input.policies {
            let written = try String(contentsOfFile: out + "/" + policy.fileName, encoding: .utf8)
            #expect(written == policy.source, "\(policy)")
        }
    }

    @Test("the manifest is kyverno oci push's layout: kyverno config, a YAML layer per policy with io.kyverno annotations, blob == document")
    func manifestBytes() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let (repo, digest) = try await Self.push([PolicySamples.directory, "--annotation", "org.opencontainers.image.source=https://example.com/policies",
                                                  "--annotation", "team=platform=core"],
                                                 to: registry, prefix: "cli/policy-manifest", sandbox: sandbox)
        let stored = try #require(try await registry.fetchManifest(repo: repo, reference: "v1"))
        #expect(stored.digest == digest)
        let manifest = try #require(jsonObject(stored.data))
        #expect(manifest["schemaVersion"] as? Int == 2)
        #expect(manifest["mediaType"] as? String == MediaTypes.manifest)
        #expect(manifest["artifactType"] == nil && manifest["subject"] == nil)
        #expect(manifest["annotations"] as? [String: String] == [
            PolicyWire.created: "2023-11-14T22:13:20Z", "org.opencontainers.image.source": "https://example.com/policies", "team": "platform=core",
        ])
        let config = try #require(manifest["config"] as? [String: Any])
        #expect(config["mediaType"] as? String == PolicyWire.config)
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        try #require(layers.count == PolicySamples.all.count, "one layer per policy")
        for (layer, policy) in zip(layers, PolicySamples.all) {
            #expect(layer["mediaType"] as? String == PolicyWire.yamlLayer)
            #expect(layer["annotations"] as? [String: String] == [
                PolicyWire.kind: policy.kind, PolicyWire.name: policy.name, PolicyWire.apiVersion: policy.apiVersion,
            ])
            let layerDigest = try #require(layer["digest"] as? String)
            let blob = try #require(try await registry.fetchBlob(repo: repo, digest: layerDigest))
            #expect(blob == Data(policy.source.utf8), "\(policy): the document's source text")
            #expect(layer["size"] as? Int == blob.count)
        }
    }

    @Test("--bundle: one tar+gzip layer holding the YAML files as they are on disk")
    func bundleLayer() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let (repo, _) = try await Self.push([PolicySamples.directory, "--bundle"], to: registry, prefix: "cli/policy-bundle-layer", sandbox: sandbox)
        let layers = try await registry.layerObjects(repo: repo)
        try #require(layers.count == 1)
        #expect(layers[0]["mediaType"] as? String == PolicyWire.bundleLayer)
        let layerDigest = try #require(layers[0]["digest"] as? String)
        let blob = try #require(try await registry.fetchBlob(repo: repo, digest: layerDigest))
        let listing = try await onOwnThread {
            let child = try ChildProcess("/usr/bin/env", ["python3", "-c", """
                import io, json, sys, tarfile
                with tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()), mode="r:gz") as archive:
                    print(json.dumps({m.name: archive.extractfile(m).read().decode() for m in archive.getmembers() if m.isfile()}))
                """])
            return try child.finish(input: blob, timeout: 60)
        }
        #expect(listing.status == 0, "\(String(decoding: listing.stderr, as: UTF8.self))")
        let files = try #require(try JSONSerialization.jsonObject(with: listing.stdout) as? [String: String])
        #expect(files == ["require-labels.yaml": PolicySamples.text(PolicySamples.requireLabels),
                          "best-practices/images.yaml": PolicySamples.text(PolicySamples.images),
                          "best-practices/cleanup.yml": PolicySamples.text(PolicySamples.cleanup)])
    }

    @Test("the same policies pushed twice: the same digest with SOURCE_DATE_EPOCH, the same config and layers without",
          arguments: [false, true])
    func determinism(bundle: Bool) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let arguments = [PolicySamples.directory] + (bundle ? ["--bundle"] : [])
        let first = try await Self.push(arguments, to: registry, prefix: "cli/policy-same", sandbox: sandbox)
        let second = try await Self.push(arguments, to: registry, prefix: "cli/policy-same", sandbox: sandbox)
        #expect(first.digest == second.digest && first.digest.hasPrefix("sha256:"))

        let unpinned = try await Self.push(arguments, to: registry, prefix: "cli/policy-now", environment: ["SOURCE_DATE_EPOCH": ""], sandbox: sandbox)
        let oneManifest = try #require(try await registry.fetchManifest(repo: first.repo, reference: "v1"))
        let otherManifest = try #require(try await registry.fetchManifest(repo: unpinned.repo, reference: "v1"))
        let one = try #require(jsonObject(oneManifest.data))
        let other = try #require(jsonObject(otherManifest.data))
        #expect(try JSONSerialization.data(withJSONObject: one["layers"] ?? [], options: .sortedKeys)
                    == JSONSerialization.data(withJSONObject: other["layers"] ?? [], options: .sortedKeys), "same layers")
        #expect((one["config"] as? [String: Any])?["digest"] as? String == (other["config"] as? [String: Any])?["digest"] as? String)
        #expect((other["annotations"] as? [String: String])?[PolicyWire.created] != "2023-11-14T22:13:20Z", "now, not the pinned time")
    }

    // MARK: refusals, before any request

    /// Runs `policy push` on a fresh repository of the shared fake registry; checks the refusal (exit 2,
    /// one error line mentioning `mentioning`) and that the registry heard nothing about the repository.
    static func expectRefusedPush(_ arguments: [String], mentioning: [String], sandbox: Sandbox,
                                  sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/policy-refused")
        let requests = try await registry.requests(matching: repo) {
            let result = try await ocitool(["policy", "push", registry.reference(repo, "v1")] + arguments, insecure: [registry], sandbox: sandbox)
            expectFailure(result, status: 2, mentioning: mentioning, sourceLocation: sourceLocation)
        }
        #expect(requests.isEmpty, "no request before the input is known good: \(requests)", sourceLocation: sourceLocation)
    }

    @Test("invalid YAML: exit 2 naming the file, the document and the line")
    func invalidYAML() async throws {
        let sandbox = try Sandbox()
        let file = sandbox.path("broken.yaml")
        try sandbox.write(PolicySamples.policy("one") + "---\n" + PolicySamples.policy("two").replacingOccurrences(of: "name: two", with: "name: two: 2"),
                          to: file)
        try await Self.expectRefusedPush([file.path], mentioning: ["\(file.path): document 2 (line 11): invalid YAML", "mapping values are not allowed"],
                                         sandbox: sandbox)
    }

    @Test("a document that is not a Kyverno policy: exit 2 naming the file, the document, the line and why", arguments: [
        ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n", "(line 8): apiVersion v1 is not kyverno.io/* or policies.kyverno.io/*"),
        ("apiVersion: kyverno.io/v1\nkind: Deployment\nmetadata:\n  name: web\n", "(line 9): kind Deployment is not a Kyverno policy kind"),
        ("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nspec: {}\n", "(line 8): no metadata.name"),
        ("- a list\n", "(line 8): not a YAML mapping"),
    ])
    func notAPolicy(document: String, expected: String) async throws {
        let sandbox = try Sandbox()
        let good = sandbox.path("policies/good.yaml")
        try sandbox.write(PolicySamples.policy("good"), to: good)
        let mixed = sandbox.path("policies/mixed.yaml")
        try sandbox.write(PolicySamples.policy("fine") + "---\n" + document, to: mixed)
        try await Self.expectRefusedPush([sandbox.path("policies").path], mentioning: ["\(mixed.path): document 2 " + expected], sandbox: sandbox)
    }

    @Test("two policies of one kind and name: exit 2 naming both files")
    func duplicate() async throws {
        let sandbox = try Sandbox()
        let first = sandbox.path("a/policy.yaml"), second = sandbox.path("b/other.yaml")
        try sandbox.write(PolicySamples.policy("same"), to: first)
        try sandbox.write(PolicySamples.policy("same"), to: second)
        try await Self.expectRefusedPush([first.path, second.path],
                                         mentioning: ["two policies are ClusterPolicy \"same\"", first.path, second.path], sandbox: sandbox)
        try await Self.expectRefusedPush([PolicySamples.requireLabels, PolicySamples.directory],
                                         mentioning: ["require-team-label", "require-labels.yaml"], sandbox: sandbox)
    }

    @Test("usage and unreadable input: exit 2 naming the problem", arguments: [
        (["policy", "push"], "missing REF FILE_OR_DIR"),
        (["policy", "push", "REF"], "missing FILE_OR_DIR"),
        (["policy", "push", "REF", "NOWHERE"], "no such file or directory"),
        (["policy", "push", "REF", "EMPTYDIR"], "no .yaml or .yml files found"),
        (["policy", "push", "REF@sha256:" + String(repeating: "a", count: 64), "FILE"], "push to a tag, not a digest"),
        (["policy", "push", "REF", "FILE", "--annotation", "no-equals"], "--annotation needs KEY=VALUE"),
        (["policy", "push", "REF", "FILE", "--annotation", "=value"], "--annotation needs KEY=VALUE"),
        (["policy", "push", "REF", "FILE", "--force"], "--force"),
    ])
    func usage(arguments: [String], expected: String) async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/policy-usage")
        let empty = try sandbox.directory("empty")
        let resolved = arguments.map { argument -> String in
            switch argument {
            case "REF": registry.reference(repo, "v1")
            case "NOWHERE": sandbox.path("nowhere.yaml").path
            case "EMPTYDIR": empty.path
            case "FILE": PolicySamples.requireLabels
            default: argument.hasPrefix("REF@") ? "\(registry.host)/\(repo)" + argument.dropFirst(3) : argument
            }
        }
        let requests = try await registry.requests(matching: repo) {
            let result = try await ocitool(resolved, insecure: [registry], sandbox: sandbox)
            expectFailure(result, status: 2, mentioning: [expected])
        }
        #expect(requests.isEmpty, "\(requests)")
    }

    @Test("files of the same name in two directories push; as a bundle they are refused")
    func sameFileName() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedDocker()
        let teamA = sandbox.path("team-a/policies.yaml"), teamB = sandbox.path("team-b/policies.yaml")
        try sandbox.write(PolicySamples.policy("team-a"), to: teamA)
        try sandbox.write(PolicySamples.policy("team-b"), to: teamB)
        let (repo, _) = try await Self.push([teamA.path, teamB.path], to: registry, prefix: "cli/policy-same-name", sandbox: sandbox)
        #expect(try await registry.layerObjects(repo: repo).compactMap { ($0["annotations"] as? [String: String])?[PolicyWire.name] } == ["team-a", "team-b"])
        try await Self.expectRefusedPush([teamA.path, teamB.path, "--bundle"], mentioning: ["same name in the bundle", teamA.path], sandbox: sandbox)
    }

    @Test("an unreachable registry is exit 3")
    func unreachable() async throws {
        let port = try closedLoopbackPort()
        let result = try await ocitool(["policy", "push", "127.0.0.1:\(port)/policies:v1", PolicySamples.requireLabels],
                                       environment: ["OCITOOL_INSECURE_REGISTRIES": "127.0.0.1:\(port)"])
        expectFailure(result, status: 3, mentioning: ["127.0.0.1:\(port)"])
    }
}
