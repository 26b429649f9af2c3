import Foundation
import OCI
import Policy
import Testing
import TestSupport

/// Push with `PolicyPush`, then pull with `PolicyPull`, against docker-registry (CNCF distribution): what the
/// registry stores byte for byte, and the files the pull writes.
@Suite("Policy push and pull round trips")
struct PolicyRoundTripTests {
    static let environment = ["SOURCE_DATE_EPOCH": "1700000000"]

    /// Inputs and the policies each must carry.
    struct Input: Sendable, CustomTestStringConvertible {
        let name: String
        let paths: @Sendable () -> [String]
        let expected: @Sendable () -> [Samples.Expected]
        var testDescription: String { name }

        static let all = [
            Input(name: "single file", paths: { [Samples.requireLabels] }, expected: { [Samples.requireTeamLabel] }),
            Input(name: "multi-document file", paths: { [Samples.images] }, expected: { [Samples.disallowLatestTag, Samples.restrictRegistries] }),
            Input(name: "directory", paths: { [Samples.directory] }, expected: { Samples.all }),
            Input(name: "files and a directory", paths: { [Samples.requireLabels, Samples.directory + "/best-practices"] },
                  expected: { [Samples.requireTeamLabel, Samples.removeStaleJobs, Samples.disallowLatestTag, Samples.restrictRegistries] }),
        ]
    }

    /// Pushes `paths` into a fresh repository of docker-registry; returns the push, its digest and the reference.
    static func pushed(_ paths: [String], bundle: Bool = false, prefix: String) async throws
        -> (push: PolicyPush, digest: Digest, registry: TestRegistry, repo: String, reference: Reference) {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository(prefix)
        let reference = try Reference(parsing: registry.reference(repo, "v1"))
        let push = try PolicyPush(paths: paths, bundle: bundle, annotations: [:], environment: environment)
        let digest = try await push.push(to: reference, with: loopbackClient([registry]))
        return (push, digest, registry, repo, reference)
    }

    /// Checks that `directory` holds exactly the expected policies' files, each the document's exact text.
    static func expectWritten(_ directory: String, _ expected: [Samples.Expected], result: PolicyPull.Result,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(listing(directory) == expected.map(\.fileName).sorted(), sourceLocation: sourceLocation)
        #expect(result.written == expected.map { directory + "/" + $0.fileName }.sorted(), sourceLocation: sourceLocation)
        for policy in expected {
            let written = try String(contentsOfFile: directory + "/" + policy.fileName, encoding: .utf8)
            #expect(written == policy.source, "\(policy.fileName)", sourceLocation: sourceLocation)
        }
    }

    @Test("one layer per policy: the registry holds the manifest as built, each layer is the document's text, and a pull writes it back",
          arguments: Input.all)
    func perPolicyLayers(input: Input) async throws {
        let (push, digest, registry, repo, reference) = try await Self.pushed(input.paths(), prefix: "policy/roundtrip")
        let stored = try #require(try await registry.fetchManifest(repo: repo, reference: "v1"))
        #expect(stored.data == push.manifest.bytes, "the manifest as built, byte for byte")
        #expect(stored.digest == digest.description)
        #expect(stored.mediaType == PolicyWire.ociManifest)

        let manifest = try #require(jsonObject(stored.data))
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        let expected = input.expected()
        try #require(layers.count == expected.count)
        for (layer, policy) in zip(layers, expected) {
            let layerDigest = try #require(layer["digest"] as? String)
            let blob = try await registry.fetchBlob(repo: repo, digest: layerDigest)
            #expect(blob == Data(policy.source.utf8), "layer of \(policy)")
            #expect(layer["mediaType"] as? String == PolicyWire.yamlLayer)
        }
        let configDescriptor = try #require(manifest["config"] as? [String: Any])
        let configDigest = try #require(configDescriptor["digest"] as? String)
        let config = try #require(try await registry.fetchBlob(repo: repo, digest: configDigest))
        #expect(jsonObject(config) != nil, "the config blob is a JSON object: \(String(decoding: config, as: UTF8.self))")

        let scratch = try TemporaryDirectory()
        let out = scratch.file("out")
        let result = try await pull(reference, from: registry, into: out)
        #expect(result.digest == digest)
        try Self.expectWritten(out, expected, result: result)
    }

    @Test("--bundle: one deterministic tar+gzip layer of the YAML files as they are on disk; a pull writes each policy")
    func bundle() async throws {
        let (push, digest, registry, repo, reference) = try await Self.pushed([Samples.directory], bundle: true, prefix: "policy/bundle")
        let stored = try #require(try await registry.fetchManifest(repo: repo, reference: "v1"))
        let manifest = try #require(jsonObject(stored.data))
        #expect(manifest["mediaType"] as? String == PolicyWire.ociManifest)
        #expect((manifest["config"] as? [String: Any])?["mediaType"] as? String == PolicyWire.config)
        let layers = try #require(manifest["layers"] as? [[String: Any]])
        try #require(layers.count == 1)
        #expect(layers[0]["mediaType"] as? String == PolicyWire.bundleLayer)
        #expect(push.policies.count == 4)

        let layerDigest = try #require(layers[0]["digest"] as? String)
        let blob = try #require(try await registry.fetchBlob(repo: repo, digest: layerDigest))
        #expect(blob.starts(with: [0x1F, 0x8B]), "gzip")
        let members = try await BundleInspection.members(of: blob)
        #expect(members.map(\.name) == Samples.bundleFiles.keys.sorted(), "the YAML files, by path below the directory, sorted")
        for member in members {
            #expect(member.type == "0", "regular files only: \(member)")
            #expect(member.contents == Samples.bundleFiles[member.name].map { Data($0.utf8) }, "\(member.name) as on disk")
            #expect(member.mtime == 0 && member.uid == 0 && member.gid == 0 && member.mode == 0o644, "fixed metadata: \(member)")
        }

        let scratch = try TemporaryDirectory()
        let result = try await pull(reference, from: registry, into: scratch.file("out"))
        #expect(result.digest == digest)
        try Self.expectWritten(scratch.file("out"), Samples.all, result: result)
    }

    @Test("pushing the same policies again gives the same digests, manifest included with SOURCE_DATE_EPOCH", arguments: [false, true])
    func pushTwice(bundle: Bool) async throws {
        let registry = try await TestRegistry.sharedDocker()
        let client = loopbackClient([registry])
        let first = try Reference(parsing: registry.reference(uniqueRepository("policy/twice"), "a"))
        let second = try Reference(parsing: registry.reference(uniqueRepository("policy/twice"), "b"))
        let one = try await PolicyPush(paths: [Samples.directory], bundle: bundle, annotations: [:], environment: Self.environment)
            .push(to: first, with: client)
        let two = try await PolicyPush(paths: [Samples.directory], bundle: bundle, annotations: [:], environment: Self.environment)
            .push(to: second, with: client)
        #expect(one == two)
    }

    @Test("a reference without a tag is pushed as latest, and a pull by digest finds it")
    func latestAndDigest() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("policy/latest")
        let untagged = try Reference(parsing: "\(registry.host)/\(repo)")
        let digest = try await PolicyPush(paths: [Samples.cleanup], bundle: false, annotations: [:], environment: Self.environment)
            .push(to: untagged, with: loopbackClient([registry]))
        #expect(try await registry.fetchManifest(repo: repo, reference: "latest")?.digest == digest.description)
        let scratch = try TemporaryDirectory()
        let result = try await pull(try Reference(parsing: registry.reference(repo, digest.description)), from: registry, into: scratch.file("out"))
        try Self.expectWritten(scratch.file("out"), [Samples.removeStaleJobs], result: result)
    }

    @Test("pulling into a directory that does not exist yet creates it, parents included")
    func createsDirectory() async throws {
        let (_, _, registry, _, reference) = try await Self.pushed([Samples.cleanup], prefix: "policy/mkdir")
        let scratch = try TemporaryDirectory()
        let out = scratch.file("a/b/c")
        let result = try await pull(reference, from: registry, into: out + "/")
        #expect(listing(out) == [Samples.removeStaleJobs.fileName])
        #expect(result.written.allSatisfy { !$0.contains("//") }, "\(result.written)")
    }
}

/// The members of a gzip'd tar as Python's tarfile reads them: an independent reader.
enum BundleInspection {
    struct Member: CustomStringConvertible {
        let name: String
        let type: String
        let mode: Int
        let mtime: Int
        let uid: Int
        let gid: Int
        let contents: Data?
        var description: String { "\(name) type \(type) mode \(String(mode, radix: 8)) mtime \(mtime) uid \(uid) gid \(gid)" }
    }

    static let script = """
        import base64, json, sys, tarfile
        out = []
        with tarfile.open(sys.argv[1], "r:gz") as archive:
            for m in archive.getmembers():
                data = archive.extractfile(m).read() if m.isfile() else None
                out.append({"name": m.name, "type": m.type.decode(), "mode": m.mode, "mtime": int(m.mtime), "uid": m.uid,
                            "gid": m.gid, "data": base64.b64encode(data).decode() if data is not None else None})
        print(json.dumps(out))
        """

    static func members(of archive: Data) async throws -> [Member] {
        let scratch = try TemporaryDirectory()
        let path = try scratch.write(archive, to: "bundle.tgz")
        let output = try await runPython(script, [path])
        let list = try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
        return list.map { entry in
            Member(name: entry["name"] as? String ?? "", type: entry["type"] as? String ?? "", mode: entry["mode"] as? Int ?? -1,
                   mtime: entry["mtime"] as? Int ?? -1, uid: entry["uid"] as? Int ?? -1, gid: entry["gid"] as? Int ?? -1,
                   contents: (entry["data"] as? String).flatMap { Data(base64Encoded: $0) })
        }
    }
}

/// The JSON object in `data`, or nil.
func jsonObject(_ data: Data) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}
