import Foundation
import Testing
import TestSupport

/// `ocitool copy SRC DST [--jobs N]` (README "Commands").
@Suite("ocitool copy")
struct CopyTests {
    /// `copied M manifest(s); blobs: U uploaded, N mounted, S already present` → (M, U, N, S).
    static func summary(_ result: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [Int] {
        let line = try #require(result.errorLines.first { $0.hasPrefix("copied ") }, "\(result)", sourceLocation: sourceLocation)
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(line.contains("manifest(s); blobs:") && line.contains("uploaded") && line.contains("mounted")
                && line.contains("already present"), "\(line)", sourceLocation: sourceLocation)
        #expect(numbers.count == 4, "\(line)", sourceLocation: sourceLocation)
        return numbers
    }

    /// Checks that `repo` of `registry` serves the index under `reference` and every child and blob, byte for byte.
    static func expectCopied(_ index: SeededIndex, from source: TestRegistry, sourceRepo: String, to registry: TestRegistry,
                             repo: String, reference: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let root = try await registry.fetchManifest(repo: repo, reference: reference)
        #expect(root?.data == index.bytes, sourceLocation: sourceLocation)
        for child in index.children {
            let copied = try await registry.fetchManifest(repo: repo, reference: child.digest)
            #expect(copied?.data == child.manifest, sourceLocation: sourceLocation)
        }
        for digest in index.blobDigests {
            let original = try await source.fetchBlob(repo: sourceRepo, digest: digest)
            #expect(original != nil, sourceLocation: sourceLocation)
            #expect(try await registry.fetchBlob(repo: repo, digest: digest) == original, "\(digest)", sourceLocation: sourceLocation)
        }
    }

    @Test("a multi-arch index from docker-registry to another registry: digest on stdout, identical bytes, blobs uploaded then skipped")
    func betweenRegistries() async throws {
        let docker = try await TestRegistry.sharedDocker()
        let fake = try await TestRegistry.sharedFake()
        let source = uniqueRepository("cli/copy-src")
        let destination = uniqueRepository("cli/copy-dst")
        let index = try await docker.pushIndex(repo: source, tag: "1.0")

        // DST a repository: the source's tag is kept. The environment lists both registries, comma-separated.
        let first = try await ocitool("copy", docker.reference(source, "1.0"), "\(fake.host)/\(destination)", insecure: [docker, fake])
        #expect(first.status == 0, "\(first)")
        #expect(first.output == index.digest + "\n")
        #expect(try Self.summary(first) == [3, index.blobDigests.count, 0, 0])
        #expect(first.errorLines.count == 1, "one summary line: \(first)")
        try await Self.expectCopied(index, from: docker, sourceRepo: source, to: fake, repo: destination, reference: "1.0")

        let again = try await ocitool("copy", docker.reference(source, "1.0"), "\(fake.host)/\(destination)", "-j", "1",
                                      insecure: [docker, fake])
        #expect(again.status == 0, "\(again)")
        #expect(again.output == index.digest + "\n")
        #expect(try Self.summary(again) == [3, 0, 0, index.blobDigests.count], "blobs the destination has are skipped")
    }

    @Test("within one registry blobs are mounted, one request each, and DST may name a new tag")
    func withinRegistryMounts() async throws {
        let registry = try await TestRegistry.sharedFake()
        let source = uniqueRepository("cli/mount-src")
        let destination = uniqueRepository("cli/mount-dst")
        let index = try await registry.pushIndex(repo: source, tag: "1.0")

        var result: CLIResult?
        let requests = try await registry.requests(matching: "/v2/\(destination)/") {
            result = try await ocitool("copy", registry.reference(source, "1.0"), registry.reference(destination, "2.0"),
                                       insecure: [registry])
        }
        let copy = try #require(result)
        #expect(copy.status == 0, "\(copy)")
        #expect(copy.output == index.digest + "\n")
        #expect(try Self.summary(copy) == [3, 0, index.blobDigests.count, 0])
        try await Self.expectCopied(index, from: registry, sourceRepo: source, to: registry, repo: destination, reference: "2.0")
        #expect(try await registry.tags(repo: destination) == ["2.0"])

        let mounts = requests.filter { $0.method == "POST" && $0.query.contains("mount=") }
        #expect(mounts.count == index.blobDigests.count, "one mount per blob: \(requests.map { "\($0.method) \($0.path)?\($0.query)" })")
        #expect(mounts.allSatisfy { $0.status == 201 })
        let blobUploads = requests.filter { $0.path.contains("/blobs/") && $0.method != "POST" && $0.method != "HEAD" }
        #expect(blobUploads.isEmpty, "nothing streamed: \(blobUploads)")
    }

    @Test("within docker-registry, by digest: the copy is stored by digest, untagged")
    func withinDockerByDigest() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let source = uniqueRepository("cli/dcopy-src")
        let destination = uniqueRepository("cli/dcopy-dst")
        let index = try await registry.pushIndex(repo: source, tag: "1.0")
        let result = try await ocitool("copy", registry.reference(source, index.digest), "\(registry.host)/\(destination)",
                                       "--jobs", "64", insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == index.digest + "\n")
        #expect(try Self.summary(result) == [3, 0, index.blobDigests.count, 0])
        try await Self.expectCopied(index, from: registry, sourceRepo: source, to: registry, repo: destination, reference: index.digest)
        #expect(try await registry.tags(repo: destination).isEmpty)
    }

    @Test("DST may be a digest only if it is the source's")
    func destinationDigest() async throws {
        let registry = try await TestRegistry.sharedFake()
        let source = uniqueRepository("cli/pin-src")
        let destination = uniqueRepository("cli/pin-dst")
        let image = try await registry.pushImage(repo: source, tag: "v1")
        let other = sha256Digest(Data("another manifest".utf8))

        let wrong = try await ocitool("copy", registry.reference(source, "v1"), registry.reference(destination, other),
                                      insecure: [registry])
        expectFailure(wrong, status: 3, mentioning: [other, image.digest])
        #expect(try await registry.fetchManifest(repo: destination, reference: image.digest) == nil)

        let right = try await ocitool("copy", registry.reference(source, "v1"), registry.reference(destination, image.digest),
                                      insecure: [registry])
        #expect(right.status == 0, "\(right)")
        #expect(right.output == image.digest + "\n")
        #expect(try await registry.fetchManifest(repo: destination, reference: image.digest)?.data == image.manifest)
    }

    @Test("large blobs are staged in $TMPDIR, and the staging files are removed")
    func stagesInTMPDIR() async throws {
        let docker = try await TestRegistry.sharedDocker()
        let fake = try await TestRegistry.sharedFake()
        let source = uniqueRepository("cli/stage-src")
        let destination = uniqueRepository("cli/stage-dst")
        let big = sampleBytes(5 << 20, seed: source)  // over the in-memory limit for small blobs
        let image = try await docker.pushImage(repo: source, tag: "v1", layers: [big])
        let sandbox = try Sandbox()
        let staging = sandbox.path("staging")

        let result = try await ocitool("copy", docker.reference(source, "v1"), "\(fake.host)/\(destination)",
                                       insecure: [docker, fake], environment: ["TMPDIR": staging.path], sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(try await fake.fetchBlob(repo: destination, digest: image.layerDigests[0]) == big)
        #expect(FileManager.default.fileExists(atPath: staging.path), "the blob went through $TMPDIR")
        #expect(try sandbox.contents(of: staging) == [], "staging files are removed")
    }

    @Test("a corrupt blob is caught in staging: exit 3 naming it, nothing pushed, no staging file left")
    func corruptBlobIsNotPushed() async throws {
        let fake = try await TestRegistry.sharedFake()
        let docker = try await TestRegistry.sharedDocker()
        let source = uniqueRepository("cli/corrupt-src")
        let destination = uniqueRepository("cli/corrupt-dst")
        let big = sampleBytes(5 << 20, seed: source)
        let image = try await fake.pushImage(repo: source, tag: "v1", layers: [big])
        try await fake.addFaults([.corrupt(method: "GET", path: "/v2/\(source)/blobs/\(image.layerDigests[0])")])
        let sandbox = try Sandbox()
        let staging = try sandbox.directory("staging")

        let result = try await ocitool("copy", fake.reference(source, "v1"), "\(docker.host)/\(destination)",
                                       insecure: [docker, fake], environment: ["TMPDIR": staging.path], sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: [image.layerDigests[0], "digest mismatch"])
        #expect(try sandbox.contents(of: staging) == [], "staging files are removed")
        #expect(try await docker.fetchManifest(repo: destination, reference: "v1") == nil)
        #expect(try await docker.fetchBlob(repo: destination, digest: image.layerDigests[0]) == nil)
        try await fake.clearFaults(matching: source)
    }

    @Test("--jobs outside 1…64 is a usage error (exit 2)", arguments: ["0", "65", "-1", "many"])
    func badJobs(jobs: String) async throws {
        let result = try await ocitool("copy", "127.0.0.1:5000/a:1", "127.0.0.1:5000/b", "--jobs", jobs, "--debug")
        expectFailure(result, status: 2, mentioning: ["--jobs", jobs])
        #expect(result.errorLines.last?.contains("ocitool copy --help") == true, "\(result)")
        #expect(!result.stderr.contains("debug:"), "\(result)")
    }

    @Test("a missing source is exit 3, naming it")
    func missingSource() async throws {
        let registry = try await TestRegistry.sharedFake()
        let reference = registry.reference(uniqueRepository("cli/copy-missing"), "v1")
        let result = try await ocitool("copy", reference, "\(registry.host)/\(uniqueRepository("cli/copy-nowhere"))",
                                       insecure: [registry])
        expectFailure(result, status: 3, mentioning: [reference, "not found"])
    }
}
