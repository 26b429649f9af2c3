import Foundation
import Policy
import Testing
import TestSupport

/// What `PolicyPush` builds from files, before any network call: the manifest byte for byte, and every
/// refusal of the input, naming the file, the document and the line.
@Suite("Policy push: layout and input checks")
struct PolicyPushLayoutTests {
    static let epoch = ["SOURCE_DATE_EPOCH": "1700000000"]
    static let epochTime = "2023-11-14T22:13:20Z"

    static func prepare(_ paths: [String], bundle: Bool = false, annotations: [String: String] = [:],
                        environment: [String: String] = epoch) throws(PolicyError) -> PolicyPush {
        try PolicyPush(paths: paths, bundle: bundle, annotations: annotations, environment: environment)
    }

    static func object(_ push: PolicyPush) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: push.manifest.bytes) as? [String: Any])
    }

    static func layers(_ push: PolicyPush) throws -> [[String: Any]] {
        try #require(try object(push)["layers"] as? [[String: Any]])
    }

    /// Checks one layer descriptor against the policy it must hold.
    static func expectLayer(_ layer: [String: Any], _ expected: Samples.Expected, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Data(expected.source.utf8)
        #expect(layer["mediaType"] as? String == PolicyWire.yamlLayer, "\(expected)", sourceLocation: sourceLocation)
        #expect(layer["digest"] as? String == sha256Digest(bytes), "the layer is the document's exact text: \(expected)",
                sourceLocation: sourceLocation)
        #expect(layer["size"] as? Int == bytes.count, "\(expected)", sourceLocation: sourceLocation)
        #expect(layer["annotations"] as? [String: String] == [PolicyWire.kind: expected.kind, PolicyWire.name: expected.name, PolicyWire.apiVersion: expected.apiVersion],
                sourceLocation: sourceLocation)
        #expect(Set(layer.keys) == ["mediaType", "digest", "size", "annotations"], "\(layer.keys)", sourceLocation: sourceLocation)
    }

    // MARK: layout

    @Test("the default layout is kyverno oci push's: kyverno config, one YAML layer per policy with its io.kyverno annotations")
    func defaultLayout() throws {
        let push = try Self.prepare([Samples.directory])
        let manifest = try Self.object(push)
        #expect(manifest["schemaVersion"] as? Int == 2)
        #expect(manifest["mediaType"] as? String == PolicyWire.ociManifest)
        #expect(push.manifest.mediaType == PolicyWire.ociManifest)
        #expect(manifest["artifactType"] == nil, "kyverno writes no artifactType")
        #expect(manifest["subject"] == nil)
        let config = try #require(manifest["config"] as? [String: Any])
        #expect(config["mediaType"] as? String == PolicyWire.config)
        #expect((config["digest"] as? String)?.hasPrefix("sha256:") == true)
        #expect(manifest["annotations"] as? [String: String] == [PolicyWire.created: Self.epochTime])
        let layers = try Self.layers(push)
        try #require(layers.count == Samples.all.count, "one layer per policy: \(layers)")
        for (layer, expected) in zip(layers, Samples.all) { Self.expectLayer(layer, expected) }
        #expect(push.policies.map(\.name) == Samples.all.map(\.name))
        #expect(push.manifest.digest.description == sha256Digest(push.manifest.bytes))
    }

    @Test("a single file: one layer holding its document, without the comment above it")
    func singleFile() throws {
        let push = try Self.prepare([Samples.requireLabels])
        let layers = try Self.layers(push)
        try #require(layers.count == 1)
        Self.expectLayer(layers[0], Samples.requireTeamLabel)
        #expect(!Samples.requireTeamLabel.source.contains("# Every Pod"))
    }

    @Test("a multi-document file: one layer per document, in file order")
    func multiDocument() throws {
        let layers = try Self.layers(try Self.prepare([Samples.images]))
        try #require(layers.count == 2)
        Self.expectLayer(layers[0], Samples.disallowLatestTag)
        Self.expectLayer(layers[1], Samples.restrictRegistries)
    }

    @Test("files and directories are taken in the order given; directories recursively, sorted")
    func argumentOrder() throws {
        let layers = try Self.layers(try Self.prepare([Samples.requireLabels, Samples.directory + "/best-practices"]))
        try #require(layers.count == 4)
        for (layer, expected) in zip(layers, [Samples.requireTeamLabel, Samples.removeStaleJobs, Samples.disallowLatestTag, Samples.restrictRegistries]) {
            Self.expectLayer(layer, expected)
        }
    }

    @Test("directories yield *.yaml and *.yml at any depth, any case, skipping other files and directories named like YAML")
    func directoryWalk() throws {
        let scratch = try TemporaryDirectory()
        try scratch.write(Samples.policy("a"), to: "in/a.yaml")
        try scratch.write(Samples.policy("b"), to: "in/b.YML")
        try scratch.write(Samples.policy("c"), to: "in/nested/deeper/c.yml")
        try scratch.write(Samples.policy("d"), to: "in/dir.yaml/d.yaml")
        try scratch.write("not: a policy\n", to: "in/notes.txt")
        try scratch.write("# not a policy\n", to: "in/README.md")
        try scratch.write("kind: Secret\n", to: "in/nested/values.json")
        let push = try Self.prepare([scratch.file("in")])
        #expect(push.policies.map(\.name) == ["a", "b", "d", "c"], "sorted by path: a.yaml, b.YML, dir.yaml/d.yaml, nested/…")
        #expect(push.policies.map(\.origin) == ["a.yaml", "b.YML", "dir.yaml/d.yaml", "nested/deeper/c.yml"].map { scratch.file("in/" + $0) })
    }

    @Test("a file named on the command line is read whatever its extension")
    func explicitFileAnyExtension() throws {
        let scratch = try TemporaryDirectory()
        let path = try scratch.write(Samples.policy("from-txt"), to: "policy.txt")
        #expect(try Self.prepare([path]).policies.map(\.name) == ["from-txt"])
    }

    @Test("--annotation values go on the manifest beside org.opencontainers.image.created, which they may replace")
    func annotations() throws {
        let annotated = try Self.object(try Self.prepare([Samples.requireLabels],
                                                         annotations: ["org.opencontainers.image.source": "https://example.com/p", "team": "a=b"]))
        #expect(annotated["annotations"] as? [String: String] == [
            PolicyWire.created: Self.epochTime, "org.opencontainers.image.source": "https://example.com/p", "team": "a=b",
        ])
        let dated = try Self.object(try Self.prepare([Samples.requireLabels], annotations: [PolicyWire.created: "2001-02-03T04:05:06Z"]))
        #expect(dated["annotations"] as? [String: String] == [PolicyWire.created: "2001-02-03T04:05:06Z"])
        for layer in try Self.layers(try Self.prepare([Samples.requireLabels], annotations: ["team": "a"])) {
            #expect((layer["annotations"] as? [String: String])?["team"] == nil, "annotations are the manifest's, not the layers'")
        }
    }

    @Test("without SOURCE_DATE_EPOCH the creation time is now")
    func createdIsNow() throws {
        let before = Date().addingTimeInterval(-2)
        let manifest = try Self.object(try Self.prepare([Samples.requireLabels], environment: [:]))
        let created = try #require((manifest["annotations"] as? [String: String])?[PolicyWire.created])
        let date = try #require(ISO8601DateFormatter().date(from: created), "RFC 3339: \(created)")
        #expect(date >= before && date <= Date().addingTimeInterval(2), "\(created)")
    }

    // MARK: determinism

    @Test("the same files with the same SOURCE_DATE_EPOCH give the same manifest bytes", arguments: [false, true])
    func sameManifest(bundle: Bool) throws {
        let first = try Self.prepare([Samples.directory], bundle: bundle)
        let second = try Self.prepare([Samples.directory], bundle: bundle)
        #expect(first.manifest.bytes == second.manifest.bytes)
        let other = try Self.prepare([Samples.directory], bundle: bundle, environment: ["SOURCE_DATE_EPOCH": "1700000001"])
        #expect(other.manifest.digest != first.manifest.digest, "the time is in the manifest")
    }

    @Test("at different times the config and layers stay the same; only the created annotation moves", arguments: [false, true])
    func sameBlobs(bundle: Bool) throws {
        let first = try Self.object(try Self.prepare([Samples.directory], bundle: bundle, environment: ["SOURCE_DATE_EPOCH": "1"]))
        let second = try Self.object(try Self.prepare([Samples.directory], bundle: bundle, environment: [:]))
        #expect(try canonicalJSON(first["config"]) == canonicalJSON(second["config"]))
        #expect(try canonicalJSON(first["layers"]) == canonicalJSON(second["layers"]))
        #expect(try canonicalJSON(first["annotations"]) != canonicalJSON(second["annotations"]))
    }

    @Test("a bundle's layer does not depend on file times, permissions or the order of the arguments")
    func bundleIgnoresMetadata() throws {
        let scratch = try TemporaryDirectory()
        for (path, text) in Samples.bundleFiles { try scratch.write(text, to: "in/" + path) }
        let before = try Self.layers(try Self.prepare([scratch.file("in")], bundle: true))
        let file = scratch.file("in/require-labels.yaml")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 12_345), .posixPermissions: 0o600],
                                              ofItemAtPath: file)
        let after = try Self.layers(try Self.prepare([scratch.file("in")], bundle: true))
        try #require(before.count == 1 && after.count == 1)
        #expect(before[0]["mediaType"] as? String == PolicyWire.bundleLayer)
        #expect(before[0]["digest"] as? String == after[0]["digest"] as? String)

        let forward = try Self.layers(try Self.prepare([Samples.requireLabels, Samples.cleanup], bundle: true))
        let backward = try Self.layers(try Self.prepare([Samples.cleanup, Samples.requireLabels], bundle: true))
        #expect(forward[0]["digest"] as? String == backward[0]["digest"] as? String)
    }

    // MARK: refusals

    /// The error `prepare` throws for `paths`.
    static func refusal(_ paths: [String], bundle: Bool = false) -> PolicyError? {
        #expect(throws: PolicyError.self) { _ = try Self.prepare(paths, bundle: bundle) }
    }

    /// Documents joined into one multi-document stream.
    static func stream(_ documents: [String]) -> String { documents.joined(separator: "---\n") }

    @Test("a non-policy document is refused naming the file, its document number and its line in the file")
    func nonPolicyInLaterDocument() throws {
        let scratch = try TemporaryDirectory()
        // Documents of six lines each, after a `---` line: document 3 starts on line 15, its kind is on line 16.
        let path = try scratch.write(Self.stream([Samples.policy("one"), Samples.policy("two"), Samples.policy("three", kind: "Deployment")]),
                                     to: "mixed.yaml")
        let error = Self.refusal([path])
        guard case .notAPolicy(let file, let document, let line, let reason) = error else {
            Issue.record("expected notAPolicy, got \(String(describing: error))")
            return
        }
        #expect(file == path && document == 2 && line == 16, "\(String(describing: error))")
        #expect(reason.contains("kind Deployment is not a Kyverno policy kind"))
        #expect(error?.description.hasPrefix("\(path): document 3 (line 16): kind Deployment") == true, "\(String(describing: error))")
    }

    @Test("a non-policy file among good ones is named, even inside a directory")
    func nonPolicyInDirectory() throws {
        let scratch = try TemporaryDirectory()
        try scratch.write(Samples.policy("good"), to: "in/a.yaml")
        let bad = try scratch.write("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n", to: "in/sub/deploy.yaml")
        #expect(Self.refusal([scratch.file("in")])?.description == "\(bad): document 1 (line 1): apiVersion apps/v1 is not kyverno.io/* or policies.kyverno.io/*")
    }

    @Test("invalid YAML is refused with the file, the document and the line, in the first document or a later one", arguments: [
        // The error is the second `:` on the name line: line 4 of the document.
        (0, 4), (1, 11), (2, 18),
    ])
    func invalidYAML(brokenDocument: Int, line: Int) throws {
        let scratch = try TemporaryDirectory()
        var documents = [Samples.policy("one"), Samples.policy("two"), Samples.policy("three")]
        documents[brokenDocument] = documents[brokenDocument].replacingOccurrences(of: "name: ", with: "name: a: ")
        let path = try scratch.write(Self.stream(documents), to: "broken.yaml")
        let error = Self.refusal([path])
        guard case .notAPolicy(let file, let document, let reportedLine, let reason) = error else {
            Issue.record("expected notAPolicy, got \(String(describing: error))")
            return
        }
        #expect(file == path)
        #expect(reportedLine == line, "\(String(describing: error))")
        #expect(document == brokenDocument, "the document holding the error: \(String(describing: error))")
        #expect(reason.hasPrefix("invalid YAML: mapping values are not allowed"), "\(reason)")
        #expect(error?.description.hasPrefix("\(path): document \(brokenDocument + 1) (line \(line)): invalid YAML") == true,
                "\(String(describing: error))")
    }

    @Test("an unclosed quote swallowing the next `---` is blamed on the document that opened it")
    func unclosedQuoteBeforeMarker() throws {
        let scratch = try TemporaryDirectory()
        let broken = Samples.policy("two").replacingOccurrences(of: "name: two", with: "name: \"two")
        let path = try scratch.write(Self.stream([Samples.policy("one"), broken, Samples.policy("three")]), to: "quote.yaml")
        guard case .notAPolicy(_, let document, _, let reason) = Self.refusal([path]) else {
            Issue.record("expected notAPolicy")
            return
        }
        #expect(document == 1, "document 2 opened the quote")
        #expect(reason.hasPrefix("invalid YAML:"))
    }

    @Test("two policies of the same kind and name are refused naming both places", arguments: [false, true])
    func duplicateAcrossFiles(bundle: Bool) throws {
        let scratch = try TemporaryDirectory()
        let first = try scratch.write(Samples.policy("same"), to: "a/first.yaml")
        let second = try scratch.write(Self.stream([Samples.policy("other"), Samples.policy("same")]), to: "b/second.yaml")
        let error = Self.refusal([first, second], bundle: bundle)
        guard case .duplicate(let kind, let name, let one, let two) = error else {
            Issue.record("expected duplicate, got \(String(describing: error))")
            return
        }
        #expect(kind == "ClusterPolicy" && name == "same" && one == first && two == second)
        #expect(error?.description == "two policies are ClusterPolicy \"same\": in \(first) and in \(second)")
    }

    @Test("a duplicate inside one multi-document file is refused")
    func duplicateInOneFile() throws {
        let scratch = try TemporaryDirectory()
        let path = try scratch.write(Self.stream([Samples.policy("same"), Samples.policy("same")]), to: "twice.yaml")
        guard case .duplicate(_, "same", _, _) = Self.refusal([path]) else {
            Issue.record("expected duplicate")
            return
        }
    }

    @Test("the same file named twice is a duplicate policy")
    func sameFileTwice() throws {
        guard case .duplicate(_, "require-team-label", _, _) = Self.refusal([Samples.requireLabels, Samples.requireLabels]) else {
            Issue.record("expected duplicate: \(String(describing: Self.refusal([Samples.requireLabels, Samples.requireLabels])))")
            return
        }
    }

    @Test("the same name under another kind is a different policy")
    func sameNameOtherKind() throws {
        let scratch = try TemporaryDirectory()
        let path = try scratch.write(Self.stream([Samples.policy("same"), Samples.policy("same", kind: "Policy")]), to: "kinds.yaml")
        #expect(try Self.prepare([path]).policies.map(\.kind) == ["ClusterPolicy", "Policy"])
    }

    @Test("files of the same name in different directories push as layers; only a bundle refuses them")
    func sameFileNameInTwoDirectories() throws {
        let scratch = try TemporaryDirectory()
        let teamA = try scratch.write(Samples.policy("team-a"), to: "team-a/policies.yaml")
        let teamB = try scratch.write(Samples.policy("team-b"), to: "team-b/policies.yaml")
        let push = try Self.prepare([teamA, teamB])
        #expect(push.policies.map(\.name) == ["team-a", "team-b"])
        guard case .unreadable(let path, let reason) = Self.refusal([teamA, teamB], bundle: true) else {
            Issue.record("a bundle cannot hold two policies.yaml")
            return
        }
        #expect(path == teamB && reason.contains(teamA) && reason.contains("policies.yaml"), "\(reason)")
    }

    @Test("input that holds no policy is refused naming it", arguments: ["empty", "comments", "markers", "missing", "no-yaml", "binary"])
    func nothingToPush(kind: String) throws {
        let scratch = try TemporaryDirectory()
        let path: String
        let expected: String
        switch kind {
        case "empty": path = try scratch.write("", to: "empty.yaml"); expected = "holds no YAML document"
        case "comments": path = try scratch.write("# nothing here\n\n# still nothing\n", to: "c.yaml"); expected = "holds no YAML document"
        case "markers": path = try scratch.write("---\n---\n...\n", to: "m.yaml"); expected = "holds no YAML document"
        case "missing": path = scratch.file("nope.yaml"); expected = "no such file or directory"
        case "no-yaml": try scratch.write("text", to: "d/readme.txt"); path = scratch.file("d"); expected = "no .yaml or .yml files found"
        default: path = try scratch.write(Data([0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]), to: "bin.yaml"); expected = "not UTF-8"
        }
        let error = Self.refusal([path])
        guard case .unreadable(let reported, let reason) = error else {
            Issue.record("expected unreadable, got \(String(describing: error))")
            return
        }
        #expect(reported == path)
        #expect(reason.contains(expected), "\(reason)")
    }
}
