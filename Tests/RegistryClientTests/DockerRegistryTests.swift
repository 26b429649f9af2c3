import Foundation
import OCI
import RegistryClient
import Testing
import TestSupport

/// Against the real CNCF distribution registry (no referrers API).
@Suite("RegistryClient against docker-registry")
struct DockerRegistryTests {
    @Test("fetches a manifest by tag and by digest, exactly as stored")
    func manifestByTagAndDigest() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("manifests")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let client = makeClient([registry])

        let byTag = try await client.manifest(try Reference(parsing: registry.reference(repo, "v1")))
        #expect(byTag.bytes == image.manifest)
        #expect(byTag.digest.description == image.digest)
        let byDigest = try await client.manifest(try Reference(parsing: registry.reference(repo, image.digest)))
        #expect(byDigest.bytes == image.manifest)
        let head = try await client.manifestDescriptor(try Reference(parsing: registry.reference(repo, "v1")))
        #expect(head?.digest.description == image.digest)
        #expect(head?.size == Int64(image.manifest.count))
    }

    @Test("a missing tag is not found, HEAD answers nil")
    func missing() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let client = makeClient([registry])
        let reference = try Reference(parsing: registry.reference(uniqueRepository("missing"), "nope"))
        #expect(try await client.manifestDescriptor(reference) == nil)
        await #expect {
            _ = try await client.manifest(reference)
        } throws: { error in
            guard case RegistryError.notFound = error else { return false }
            return true
        }
    }

    @Test("a tag pushed through the client reads back as pushed, not as the invocation's earlier answer")
    func tagAnswersFollowPushes() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("retag")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        _ = try await registry.pushBlob(repo: repo, data: Data("{}".utf8))
        let client = makeClient([registry])
        let repository = try Repository(parsing: "\(registry.host)/\(repo)")
        let subject = try await client.manifest(Reference(repository: repository, tag: "v1")).descriptor
        let tag = Reference(repository: repository, tag: "moving")

        #expect(try await client.manifestIfPresent(tag) == nil)
        let first = artifactManifest(subject: subject, artifactType: "application/vnd.example.sig", note: "one")
        try await client.putManifest(first, to: tag)
        #expect(try await client.manifestIfPresent(tag)?.digest == first.digest)
        let second = artifactManifest(subject: subject, artifactType: "application/vnd.example.sig", note: "two")
        try await client.putManifest(second, to: tag)
        #expect(try await client.manifest(tag).digest == second.digest)
        #expect(try await client.manifestIfPresent(tag)?.digest == second.digest)
        #expect(image.digest != second.digest.description)
    }

    @Test("lists every tag")
    func tags() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("tags")
        let image = try await registry.pushImage(repo: repo, tag: "a")
        for tag in ["b", "c", "d"] {
            _ = try await registry.pushManifest(repo: repo, reference: tag, data: image.manifest, mediaType: SeededImage.mediaType)
        }
        let tags = try await makeClient([registry]).tags(of: try Repository(parsing: "\(registry.host)/\(repo)"))
        #expect(tags.sorted() == ["a", "b", "c", "d"])
    }

    @Test("referrers use the sha256-<hex> tag schema, merged across pushes")
    func referrersFallback() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("fallback")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let client = makeClient([registry])
        let repository = try Repository(parsing: "\(registry.host)/\(repo)")
        let subject = try await client.manifest(Reference(repository: repository, tag: "v1")).descriptor

        let first = artifactManifest(subject: subject, artifactType: "application/vnd.example.sig", note: "one")
        let second = artifactManifest(subject: subject, artifactType: "application/vnd.example.sbom", note: "two")
        _ = try await registry.pushBlob(repo: repo, data: Data("{}".utf8))
        let pushed = try await client.putManifest(first, to: Reference(repository: repository, digest: first.digest))
        #expect(pushed.referrersUpdate == .fallbackTag)
        try await client.putManifest(second, to: Reference(repository: repository, digest: second.digest))

        let index = try await makeClient([registry]).referrers(of: subject.digest, in: repository)
        #expect(Set(index.manifests.map(\.digest)) == [first.digest, second.digest])
        #expect(index.manifests.first { $0.digest == first.digest }?.artifactType == "application/vnd.example.sig")
        let filtered = try await makeClient([registry]).referrers(of: subject.digest, in: repository, artifactType: "application/vnd.example.sbom")
        #expect(filtered.manifests.map(\.digest) == [second.digest])
        // The fallback tag holds an OCI index (what other tools read).
        let tag = try #require(try await registry.fetchManifest(repo: repo, reference: "sha256-\(image.digest.dropFirst(7))"))
        #expect(tag.mediaType == MediaType.ociIndex)
    }

    @Test("referrers of an image without any are an empty index")
    func noReferrers() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("noref")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let index = try await makeClient([registry]).referrers(of: try Digest(parsing: image.digest), in: try Repository(parsing: "\(registry.host)/\(repo)"))
        #expect(index.manifests.isEmpty)
        #expect(index.mediaType == MediaType.ociIndex)
    }

    @Test("blob download is verified and atomic")
    func blobDownload() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("blobs")
        let content = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let digest = try Digest(parsing: try await registry.pushBlob(repo: repo, data: content))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueRepository("dl"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("blob").path
        let repository = try Repository(parsing: "\(registry.host)/\(repo)")
        try await makeClient([registry]).downloadBlob(digest, in: repository, to: path)
        #expect(FileManager.default.contents(atPath: path) == content)

        let absent = Digest(of: Array("absent".utf8))
        let other = directory.appendingPathComponent("absent").path
        await #expect(throws: RegistryError.self) {
            try await makeClient([registry]).downloadBlob(absent, in: repository, to: other)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["blob"])
    }

    @Test("copies a multi-arch index between repositories of one registry by mounting")
    func copyWithinRegistry() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let source = uniqueRepository("copy-src")
        let destination = uniqueRepository("copy-dst")
        let seeded = try await registry.pushIndex(repo: source, tag: "1.0")
        let client = makeClient([registry])
        let copier = ImageCopier(client: client, jobs: 4)
        let report = try await copier.copy(from: try Reference(parsing: registry.reference(source, "1.0")),
                                           to: try Reference(parsing: "\(registry.host)/\(destination)"))
        #expect(report.digest == seeded.digest)
        #expect(report.blobsMounted == 5)  // 2 configs, 1 shared layer, 2 platform layers
        #expect(report.blobsUploaded == 0)
        let copied = try #require(try await registry.fetchManifest(repo: destination, reference: "1.0"))
        #expect(copied.data == seeded.bytes)
        for child in seeded.children {
            #expect(try await registry.fetchManifest(repo: destination, reference: child.digest)?.data == child.manifest)
        }
    }
}

import ImageTransfer
