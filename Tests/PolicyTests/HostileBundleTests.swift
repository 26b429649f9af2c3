import Archive
import Foundation
import OCI
import Policy
import Testing
import TestSupport

/// Bundle layers built by hand with Python's tarfile and gzip, pushed as policy artifacts and pulled: every
/// hostile one is refused as an invalid artifact, nothing is written inside the directory or outside it.
@Suite("Hostile policy bundles")
struct HostileBundleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// What the refusal must say (the archive reader's words), when it is that specific.
        let expected: String
        var testDescription: String { name }
        init(_ name: String, _ expected: String) { self.name = name; self.expected = expected }
    }

    static let cases = [
        Case("dotdot", #""../escaped.yaml" has a ".." component"#),
        Case("nested-dotdot", #"has a ".." component"#),
        Case("absolute", "is absolute"),
        Case("pax-dotdot", #"has a ".." component"#),
        Case("gnu-dotdot", #"has a ".." component"#),
        Case("symlink", #""link.yaml" at offset 1024 is a symbolic link"#),
        Case("symlink-directory", "is a symbolic link"),
        Case("hardlink", "is a hard link"),
        Case("chardev", "is a character device"),
        Case("blockdev", "is a block device"),
        Case("fifo", "is a FIFO"),
        Case("file-bomb", "maxFileSize"),
        Case("total-bomb", "maxTotalSize"),
        Case("zeros-bomb", "maxTotalSize"),
        Case("many-files", "maxFiles"),
        Case("truncated", "truncated gzip data"),
        Case("trailing-garbage", "trailing data"),
        Case("not-gzip", "not gzip data"),
        Case("duplicate", #"duplicate path "ok.yaml""#),
    ]

    @Test("a hostile bundle is refused with the archive's problem, the directory untouched and nothing written outside it",
          arguments: cases)
    func refused(_ hostile: Case) async throws {
        let registry = try await TestRegistry.sharedDocker()
        let scratch = try TemporaryDirectory()
        let outside = scratch.file("outside.yaml")
        let bundle = try await BundleBuilder.hostile(hostile.name, outside: outside)
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.bundleLayer, bundle)]), prefix: "policy/hostile-\(hostile.name)")

        try scratch.write("keep me\n", to: "work/out/unrelated.txt")
        let out = scratch.file("work/out")
        let before = try TreeSnapshot(scratch.path)
        let error = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: out)
        }
        guard case .invalidArtifact(let reference, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        #expect(reference == pushed.reference.description)
        #expect(reason.contains("bundle layer \(sha256Digest(bundle))"), "names the layer: \(reason)")
        #expect(reason.contains(hostile.expected), "\(reason)")
        #expect(try TreeSnapshot(scratch.path) == before, "nothing changed anywhere in the scratch directory")
    }

    @Test("into a directory that does not exist, a refused bundle leaves no directory behind")
    func refusedLeavesNoDirectory() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let scratch = try TemporaryDirectory()
        let bundle = try await BundleBuilder.hostile("dotdot", outside: scratch.file("x"))
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.bundleLayer, bundle)]), prefix: "policy/hostile-new-dir")
        _ = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: scratch.file("new/out"))
        }
        #expect(listing(scratch.path).isEmpty, "\(listing(scratch.path))")
    }

    @Test("tighter limits are applied as given")
    func customLimits() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let bundle = try await BundleBuilder.valid(["a.yaml": Samples.policy("a"), "b.yaml": Samples.policy("b")])
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.bundleLayer, bundle)]), prefix: "policy/limits")
        let scratch = try TemporaryDirectory()
        let error = await #expect(throws: PolicyError.self) {
            try await pull(pushed.reference, from: registry, into: scratch.file("out"), limits: TarGzip.Limits(maxFiles: 1))
        }
        guard case .invalidArtifact(_, let reason) = error else {
            Issue.record("expected invalidArtifact, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("more than 1 files (maxFiles)"), "\(reason)")
        try await pull(pushed.reference, from: registry, into: scratch.file("out"), limits: TarGzip.Limits(maxFiles: 2))
        #expect(listing(scratch.file("out")) == ["ClusterPolicy-a.yaml", "ClusterPolicy-b.yaml"])
    }

    @Test("a bundle written the way tar(1) writes one (./ prefixes, directory entries, pax, owners, times) is pulled")
    func tarStyleBundle() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let bundle = try await BundleBuilder.valid(Samples.bundleFiles.merging(["docs/README.md": "# not a policy\n"]) { $1 })
        let pushed = try await registry.push(RawPolicyArtifact(layers: [PolicyLayer(PolicyWire.bundleLayer, bundle)]), prefix: "policy/tar-style")
        let scratch = try TemporaryDirectory()
        let result = try await pull(pushed.reference, from: registry, into: scratch.file("out"))
        #expect(listing(scratch.file("out")) == Samples.all.map(\.fileName).sorted())
        for policy in Samples.all {
            #expect(try scratch.readText("out/" + policy.fileName) == policy.source, "\(policy)")
        }
        #expect(result.written.count == 4)
    }
}
