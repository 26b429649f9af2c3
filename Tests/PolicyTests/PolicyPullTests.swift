import Foundation
import OCI
import Policy
import Testing
import TestSupport

/// `PolicyPull` on artifacts pushed by hand: kyverno's own layout, JSON layers, artifacts that are not policy
/// artifacts, corrupted blobs, and the rules of writing: nothing unless everything is right, nothing
/// overwritten without `force`, nothing outside the directory.
@Suite("Policy pull")
struct PolicyPullTests {
    /// A policy as `kyverno oci push` stores it: re-marshalled by sigs.k8s.io/yaml (keys sorted, two-space
    /// indentation, sequences not indented, `creationTimestamp: null`).
    static func kyvernoMarshalled(_ name: String, kind: String = "ClusterPolicy") -> String {
        """
        apiVersion: kyverno.io/v1
        kind: \(kind)
        metadata:
          annotations:
            policies.kyverno.io/title: \(name)
          creationTimestamp: null
          name: \(name)
        spec:
          admission: true
          background: true
          rules:
          - match:
              any:
              - resources:
                  kinds:
                  - Pod
            name: check-for-labels
            validate:
              message: label `app.kubernetes.io/name` is required
              pattern:
                metadata:
                  labels:
                    app.kubernetes.io/name: ?*
          validationFailureAction: Audit
        status:
          autogen: {}
          conditions: null
          ready: false
          rulecount:
            generate: 0
            mutate: 0
            validate: 0
            verifyimages: 0

        """
    }

    static let jsonPolicy = #"{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"from-json"},"spec":{"rules":[]}}"# + "\n"

    /// A directory holding one file already, and its snapshot.
    static func occupiedDirectory(_ scratch: TemporaryDirectory) throws -> (path: String, before: TreeSnapshot) {
        try scratch.write("keep me\n", to: "out/unrelated.txt")
        return (scratch.file("out"), try TreeSnapshot(scratch.file("out")))
    }

    // MARK: layouts

    @Test("kyverno oci push's layout is pulled: config {} or go-containerregistry's, a layer per policy, no artifactType",
          arguments: ["empty", "containerregistry"])
    func kyvernoLayout(config: String) async throws {
        let registry = try await TestRegistry.sharedDocker()
        let layers = [
            PolicyLayer.kyverno(Self.kyvernoMarshalled("require-labels"), kind: "ClusterPolicy", name: "require-labels"),
            PolicyLayer.kyverno(Self.kyvernoMarshalled("local-labels", kind: "Policy"), kind: "Policy", name: "local-labels"),
        ]
        let artifact = RawPolicyArtifact(config: config == "empty" ? Data("{}".utf8) : RawPolicyArtifact.containerRegistryConfig(layers: layers), layers: layers)
        let pushed = try await registry.push(artifact, prefix: "policy/kyverno-layout")
        let scratch = try TemporaryDirectory()
        let result = try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        #expect(result.digest.description == pushed.digest)
        #expect(listing(scratch.file("out")) == ["ClusterPolicy-require-labels.yaml", "Policy-local-labels.yaml"])
        #expect(try scratch.readText("out/ClusterPolicy-require-labels.yaml") == Self.kyvernoMarshalled("require-labels"))
        #expect(try scratch.readText("out/Policy-local-labels.yaml") == Self.kyvernoMarshalled("local-labels", kind: "Policy"))
    }

    @Test("a JSON layer (…layer.v1+json) is pulled, and layers need no annotations")
    func jsonLayer() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.jsonLayer, Self.jsonPolicy)]), prefix: "policy/json")
        let scratch = try TemporaryDirectory()
        try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        #expect(listing(scratch.file("out")) == ["ClusterPolicy-from-json.yaml"])
        #expect(try scratch.readText("out/ClusterPolicy-from-json.yaml") == Self.jsonPolicy)
    }

    @Test("YAML, JSON and bundle layers mix in one artifact; a layer may hold several documents")
    func mixedLayers() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let bundle = try await BundleBuilder.valid(["nested/dir/bundled.yaml": Samples.policy("bundled"), "README.md": "not a policy\n"])
        let artifact = RawPolicyArtifact(layers: [
            PolicyLayer(PolicyWire.yamlLayer, Samples.policy("first") + "---\n" + Samples.policy("second", kind: "Policy")),
            PolicyLayer(PolicyWire.jsonLayer, Self.jsonPolicy),
            PolicyLayer(PolicyWire.bundleLayer, bundle),
        ])
        let pushed = try await registry.push(artifact, prefix: "policy/mixed")
        let scratch = try TemporaryDirectory()
        try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        #expect(listing(scratch.file("out")) == [
            "ClusterPolicy-bundled.yaml", "ClusterPolicy-first.yaml", "ClusterPolicy-from-json.yaml", "Policy-second.yaml",
        ])
        #expect(try scratch.readText("out/Policy-second.yaml") == Samples.policy("second", kind: "Policy"))
        #expect(try scratch.readText("out/ClusterPolicy-bundled.yaml") == Samples.policy("bundled"))
    }

    @Test("the file name comes from the document, not from the layer's annotations")
    func nameFromDocument() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let layer = PolicyLayer.kyverno(Samples.policy("real-name"), kind: "Policy", name: "annotated-name")
        let pushed = try await registry.push(RawPolicyArtifact(layers: [layer]), prefix: "policy/annotations")
        let scratch = try TemporaryDirectory()
        try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        #expect(listing(scratch.file("out")) == ["ClusterPolicy-real-name.yaml"])
    }

    // MARK: not policy artifacts

    /// Artifacts that are not Kyverno policy artifacts and what the refusal must name.
    enum Foreign: String, CaseIterable, CustomTestStringConvertible {
        case image, imageConfigWithPolicyLayer, foreignLayer, noLayers, index, cosignSignature
        var testDescription: String { rawValue }
    }

    @Test("an artifact that is not a Kyverno policy artifact is refused naming the media type, before any layer is fetched",
          arguments: Foreign.allCases)
    func notAPolicyArtifact(_ foreign: Foreign) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("policy/foreign")
        let expected: String
        let reference: Reference
        switch foreign {
        case .image:
            _ = try await registry.pushImage(repo: repo, tag: "v1")
            expected = "config media type application/vnd.oci.image.config.v1+json"
        case .imageConfigWithPolicyLayer:
            _ = try await registry.push(RawPolicyArtifact(configMediaType: "application/vnd.oci.image.config.v1+json",
                                                    layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("p"))]), repo: repo)
            expected = "config media type application/vnd.oci.image.config.v1+json"
        case .foreignLayer:
            _ = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("p")),
                                                             PolicyLayer("application/vnd.oci.image.layer.v1.tar+gzip", Data("tar".utf8))]), repo: repo)
            expected = "has media type application/vnd.oci.image.layer.v1.tar+gzip"
        case .noLayers:
            _ = try await registry.push(RawPolicyArtifact(layers: []), repo: repo)
            expected = "no layers"
        case .index:
            let image = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("p"))]), repo: repo, tag: "child")
            let index = Data(#"{"schemaVersion":2,"mediaType":"\#(PolicyWire.ociIndex)","manifests":[{"mediaType":"\#(PolicyWire.ociManifest)","digest":"\#(image.digest)","size":\#(image.manifest.count)}]}"#.utf8)
            try await registry.pushManifest(repo: repo, reference: "v1", data: index, mediaType: PolicyWire.ociIndex)
            expected = "index"
        case .cosignSignature:
            _ = try await registry.push(RawPolicyArtifact(configMediaType: "application/vnd.oci.image.config.v1+json",
                                                    layers: [PolicyLayer("application/vnd.dev.cosign.simplesigning.v1+json", Data("{}".utf8))]), repo: repo)
            expected = "config media type application/vnd.oci.image.config.v1+json"
        }
        reference = try Reference(parsing: registry.reference(repo, "v1"))
        let scratch = try TemporaryDirectory()
        let requests = try await registry.requests(matching: repo)
        let error = await #expect(throws: PolicyError.self) {
            try await pull(reference, from: registry, into: scratch.file("out"))
        }
        guard case .notAPolicyArtifact(let named, let reason) = error else {
            Issue.record("expected notAPolicyArtifact, got \(String(describing: error))")
            return
        }
        #expect(named == reference.description)
        #expect(reason.contains(expected), "\(reason)")
        #expect(error?.description.contains("is not a Kyverno policy artifact") == true)
        #expect(try TreeSnapshot(scratch.file("out")).entries == nil, "the directory is not even created")
        let during = try await registry.requests(matching: repo).dropFirst(requests.count)
        #expect(!during.contains { $0.path.contains("/blobs/") }, "no blob fetched: \(during.map(\.path))")
    }

    // MARK: bad content

    /// An artifact whose layers hold `layers`, pulled into a directory holding one file; returns the error and
    /// checks that the directory was left as it was.
    static func refusedPull(_ layers: [PolicyLayer], sourceLocation: SourceLocation = #_sourceLocation) async throws -> (PolicyError?, PushedArtifact) {
        let registry = try await TestRegistry.sharedDocker()
        let pushed = try await registry.push(RawPolicyArtifact(layers: layers), prefix: "policy/refused")
        let scratch = try TemporaryDirectory()
        let (out, before) = try occupiedDirectory(scratch)
        let error = await #expect(throws: PolicyError.self, sourceLocation: sourceLocation) {
            try await pull(pushed.reference, from: registry, into: out)
        }
        #expect(try TreeSnapshot(out) == before, "the directory is as it was", sourceLocation: sourceLocation)
        return (error, pushed)
    }

    @Test("a layer whose document is not a policy is refused naming the layer, the document and the line; nothing is written")
    func nonPolicyLayer() async throws {
        let (error, pushed) = try await Self.refusedPull([
            PolicyLayer(PolicyWire.yamlLayer, Samples.policy("fine")),
            PolicyLayer(PolicyWire.yamlLayer, Samples.policy("also-fine") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"),
        ])
        // The artifact's fault (exit 3), with the layer, document and line of the offending document.
        guard case .invalidArtifact(_, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        let layer = sha256Digest(Data((Samples.policy("also-fine") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n").utf8))
        #expect(reason.contains("\(pushed.repo)@\(layer)"), "\(reason)")
        #expect(reason.contains("document 2 (line 8)"), "\(reason)")
        #expect(reason.contains("apiVersion v1"))
    }

    @Test("a layer of invalid YAML is refused with its line; nothing is written")
    func invalidYAMLLayer() async throws {
        let (error, _) = try await Self.refusedPull([PolicyLayer(PolicyWire.yamlLayer, "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: [x\n")])
        guard case .invalidArtifact(_, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("invalid YAML"), "\(reason)")
        #expect(reason.contains("(line 3)") || reason.contains("(line 4)"), "\(reason)")
    }

    @Test("a layer that is not UTF-8 text is refused; nothing is written")
    func binaryLayer() async throws {
        let (error, _) = try await Self.refusedPull([PolicyLayer(PolicyWire.yamlLayer, Data([0x61, 0x3A, 0x20, 0xC3, 0x28, 0x0A]))])
        guard case .invalidArtifact(_, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("not UTF-8"), "\(reason)")
    }

    @Test("two policies of one kind and name in an artifact are refused; nothing is written")
    func duplicateInArtifact() async throws {
        let (error, _) = try await Self.refusedPull([PolicyLayer(PolicyWire.yamlLayer, Samples.policy("twice")),
                                                     PolicyLayer(PolicyWire.jsonLayer, #"{"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"twice"}}"#)])
        guard case .invalidArtifact(_, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("two policies are ClusterPolicy \"twice\""), "\(reason)")
    }

    @Test("two policies whose names sanitise to one file name are refused; nothing is written")
    func fileNameCollision() async throws {
        let (error, _) = try await Self.refusedPull([PolicyLayer(PolicyWire.yamlLayer, Samples.policy("\"a/b\"")),
                                                     PolicyLayer(PolicyWire.yamlLayer, Samples.policy("a_b"))])
        guard case .invalidArtifact(_, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("a/b") && reason.contains("a_b"), "\(reason)")
    }

    @Test("a bundle holding no YAML file, or only empty ones, is refused as holding no policy")
    func bundleWithoutPolicies() async throws {
        let bundle = try await BundleBuilder.valid(["README.md": "policies live elsewhere\n", "empty.yaml": "# nothing\n"])
        let (error, _) = try await Self.refusedPull([PolicyLayer(PolicyWire.bundleLayer, bundle)])
        guard case .invalidArtifact(_, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("no policy"), "\(reason)")
    }

    @Test("a layer whose bytes do not match its digest is refused and nothing is written", arguments: [0, 1])
    func corruptLayer(corrupted: Int) async throws {
        let registry = try await TestRegistry.sharedFake()
        let layers = [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("one")), PolicyLayer(PolicyWire.yamlLayer, Samples.policy("two"))]
        let pushed = try await registry.push(RawPolicyArtifact(layers: layers), prefix: "policy/corrupt")
        let digest = sha256Digest(layers[corrupted].data)
        try await registry.addFaults([.corrupt(method: "GET", path: "/v2/\(pushed.repo)/blobs/\(digest)")])
        let scratch = try TemporaryDirectory()
        let (out, before) = try Self.occupiedDirectory(scratch)
        let error = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: out)
        }
        guard case .registry(let cause) = error else {
            Issue.record("expected a registry error, got \(String(describing: error))")
            return
        }
        #expect("\(cause)".contains(digest), "names the blob: \(cause)")
        #expect(try TreeSnapshot(out) == before)
        let corruptedRequests = try await registry.requests(matching: pushed.repo).filter { $0.fault == .corrupt }
        #expect(!corruptedRequests.isEmpty, "the fault was served")
    }

    // MARK: writing

    @Test("existing files are not overwritten without force: the refusal names them and nothing is written")
    func noOverwrite() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("new")),
                                                                  PolicyLayer(PolicyWire.yamlLayer, Samples.policy("taken"))]), prefix: "policy/overwrite")
        let scratch = try TemporaryDirectory()
        try scratch.write("mine\n", to: "out/ClusterPolicy-taken.yaml")
        let before = try TreeSnapshot(scratch.file("out"))
        let error = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        }
        guard case .wouldOverwrite(let paths) = error else {
            Issue.record("expected wouldOverwrite, got \(String(describing: error))")
            return
        }
        #expect(paths == [scratch.file("out/ClusterPolicy-taken.yaml")])
        #expect(error?.description.contains("--force") == true)
        #expect(try TreeSnapshot(scratch.file("out")) == before, "the new policy is not written either")

        let result = try await pull(pushed.reference, from: registry, into: scratch.file("out"), force: true)
        #expect(result.written.count == 2)
        #expect(try scratch.readText("out/ClusterPolicy-taken.yaml") == Samples.policy("taken"))
        #expect(try scratch.readText("out/ClusterPolicy-new.yaml") == Samples.policy("new"))
        #expect(listing(scratch.file("out")) == ["ClusterPolicy-new.yaml", "ClusterPolicy-taken.yaml"], "no staging files left")
    }

    @Test("force replaces a symbolic link with a file and never writes through it")
    func forceReplacesSymlink() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("linked"))]), prefix: "policy/symlink")
        let scratch = try TemporaryDirectory()
        let outside = try scratch.write("outside\n", to: "outside.txt")
        try scratch.directory("out")
        try FileManager.default.createSymbolicLink(atPath: scratch.file("out/ClusterPolicy-linked.yaml"), withDestinationPath: outside)
        let error = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        }
        guard case .wouldOverwrite = error else {
            Issue.record("expected wouldOverwrite, got \(String(describing: error))")
            return
        }
        try await pull(pushed.reference, from: registry, into: scratch.file("out"), force: true)
        #expect(try scratch.readText("outside.txt") == "outside\n", "the link's target is untouched")
        let written = try TreeSnapshot(scratch.file("out")).entries?["ClusterPolicy-linked.yaml"]
        #expect(written == .file(Data(Samples.policy("linked").utf8)), "a regular file now: \(String(describing: written))")
    }

    @Test("a directory where a policy file would go is refused, even with force")
    func directoryInTheWay() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("dir"))]), prefix: "policy/dir-in-way")
        let scratch = try TemporaryDirectory()
        try scratch.directory("out/ClusterPolicy-dir.yaml")
        let before = try TreeSnapshot(scratch.file("out"))
        let error = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: scratch.file("out"), force: true)
        }
        guard case .output(let path, let reason) = error else {
            Issue.record("expected output, got \(String(describing: error))")
            return
        }
        #expect(path.hasSuffix("ClusterPolicy-dir.yaml") && reason.contains("not a regular file"))
        #expect(try TreeSnapshot(scratch.file("out")) == before)
    }

    @Test("an output path that is a file is refused and left alone")
    func outputIsAFile() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("p"))]), prefix: "policy/out-file")
        let scratch = try TemporaryDirectory()
        let file = try scratch.write("a file\n", to: "out")
        let error = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: file, force: true)
        }
        guard case .output(let path, let reason) = error else {
            Issue.record("expected output, got \(String(describing: error))")
            return
        }
        #expect(path == file && reason.contains("not a directory"), "\(reason)")
        #expect(try scratch.readText("out") == "a file\n")
    }

    @Test("an output path that is a dangling symbolic link is refused and left as it was")
    func outputIsADanglingLink() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.yamlLayer, Samples.policy("p"))]), prefix: "policy/out-dangling")
        let scratch = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: scratch.file("out"), withDestinationPath: scratch.file("nowhere"))
        let before = try TreeSnapshot(scratch.file("out"))
        _ = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        }
        #expect(try TreeSnapshot(scratch.file("out")) == before, "the link is still there")
        #expect(try TreeSnapshot(scratch.file("nowhere")).entries == nil)
    }

    @Test("hostile policy names are written inside the directory under safe names")
    func hostileNames() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let names = ["../../etc/x", "/tmp/absolute", "a/b/c", "..", ".hidden"]
        let layers = names.map { PolicyLayer.kyverno(Samples.policy(PolicyDocumentTests.doubleQuoted($0)), kind: "ClusterPolicy", name: $0) }
        let pushed = try await registry.push(RawPolicyArtifact(layers: layers), prefix: "policy/hostile-names")
        let scratch = try TemporaryDirectory()
        try scratch.directory("deep/er")
        let out = scratch.file("deep/er/out")
        let result = try await pull(pushed.reference, from: registry, into: out)
        #expect(result.written.count == names.count)
        let files = listing(out)
        #expect(files.count == names.count, "\(files)")
        for file in files {
            #expect(file.hasPrefix("ClusterPolicy-") && file.hasSuffix(".yaml") && !file.contains("/"), "\(file)")
            let info = try FileManager.default.attributesOfItem(atPath: out + "/" + file)
            #expect(info[.type] as? FileAttributeType == .typeRegular)
        }
        #expect(listing(scratch.file("deep/er")) == ["out"], "nothing beside the directory")
        #expect(listing(scratch.file("deep")) == ["er"])
        #expect(listing(scratch.path) == ["deep"])
        let contents = try Set(files.map { try String(contentsOfFile: out + "/" + $0, encoding: .utf8) })
        #expect(contents == Set(layers.map { String(decoding: $0.data, as: UTF8.self) }))
    }
}
