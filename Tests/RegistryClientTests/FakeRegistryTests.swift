import Foundation
import ImageTransfer
import OCI
import RegistryClient
import Testing
import TestSupport

/// Against the Python test registry: what docker-registry cannot do (referrers API, token auth, faults).
@Suite("RegistryClient against the test registry")
struct FakeRegistryTests {
    @Test("referrers API: pushes are indexed by the registry and listed with a filter")
    func referrersAPI() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("api")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let client = makeClient([registry])
        let repository = try Repository(parsing: "\(registry.host)/\(repo)")
        let subject = try await client.manifest(Reference(repository: repository, tag: "v1")).descriptor
        _ = try await registry.pushBlob(repo: repo, data: Data("{}".utf8))
        let signature = artifactManifest(subject: subject, artifactType: "application/vnd.example.sig", note: "sig")
        let sbom = artifactManifest(subject: subject, artifactType: "text/spdx", note: "sbom")
        #expect(try await client.putManifest(signature, to: Reference(repository: repository, digest: signature.digest)).referrersUpdate == .registry)
        try await client.putManifest(sbom, to: Reference(repository: repository, digest: sbom.digest))

        let all = try await makeClient([registry]).referrers(of: subject.digest, in: repository)
        #expect(Set(all.manifests.map(\.digest)) == [signature.digest, sbom.digest])
        let spdx = try await makeClient([registry]).referrers(of: subject.digest, in: repository, artifactType: "text/spdx")
        #expect(spdx.manifests.map(\.digest) == [sbom.digest])
        // No fallback tag was written when the registry indexed the subject itself.
        #expect(try await registry.fetchManifest(repo: repo, reference: "sha256-\(image.digest.dropFirst(7))") == nil)
    }

    @Test("registries without the referrers API fall back to the tag schema", arguments: [
        FakeRegistryOptions.ReferrersMode.notFound, .badRequest, .notAcceptable, .unauthorizedWithoutChallenge,
    ])
    func referrersFallbackModes(mode: FakeRegistryOptions.ReferrersMode) async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: mode))
        let repo = uniqueRepository("mode")
        _ = try await registry.pushImage(repo: repo, tag: "v1")
        let client = makeClient([registry])
        let repository = try Repository(parsing: "\(registry.host)/\(repo)")
        let subject = try await client.manifest(Reference(repository: repository, tag: "v1")).descriptor
        _ = try await registry.pushBlob(repo: repo, data: Data("{}".utf8))
        let signature = artifactManifest(subject: subject, artifactType: "application/vnd.example.sig", note: "\(mode)")
        #expect(try await client.putManifest(signature, to: Reference(repository: repository, digest: signature.digest)).referrersUpdate == .fallbackTag)
        let index = try await makeClient([registry]).referrers(of: subject.digest, in: repository)
        #expect(index.manifests.map(\.digest) == [signature.digest])
    }

    @Test("tag listing follows every Link page")
    func pagination() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(pageSize: 2))
        let repo = uniqueRepository("pages")
        let image = try await registry.pushImage(repo: repo, tag: "t0")
        for n in 1..<7 {
            _ = try await registry.pushManifest(repo: repo, reference: "t\(n)", data: image.manifest, mediaType: SeededImage.mediaType)
        }
        let tags = try await makeClient([registry]).tags(of: try Repository(parsing: "\(registry.host)/\(repo)"))
        #expect(tags == (0..<7).map { "t\($0)" })
        let pages = try await registry.requests(matching: "/v2/\(repo)/tags/list")
        #expect(pages.count == 4)
    }

    @Test("concurrent identical fetches cost one request (single-flight)")
    func singleFlight() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("flight")
        let image = try await registry.pushImage(repo: repo, tag: "v1", layers: [Data(repeating: 7, count: 10_000)])
        try await registry.addFaults([.delay(200, method: "GET", path: "/v2/\(repo)/manifests/.*")])
        let client = makeClient([registry])
        let reference = try Reference(parsing: registry.reference(repo, "v1"))
        let digests = try await withThrowingTaskGroup(of: Digest.self) { group in
            for _ in 0..<20 { group.addTask { try await client.manifest(reference).digest } }
            return try await group.reduce(into: [Digest]()) { $0.append($1) }
        }
        #expect(Set(digests.map(\.description)) == [image.digest])
        let gets = try await registry.requests(matching: "/v2/\(repo)/manifests/").filter { $0.method == "GET" }
        #expect(gets.count == 1)
        #expect(client.statistics.cacheHits == 19)
        // The same content by digest afterwards comes from the cache too.
        _ = try await client.manifest(try Reference(parsing: registry.reference(repo, image.digest)))
        #expect(try await registry.requests(matching: "/v2/\(repo)/manifests/").filter { $0.method == "GET" }.count == 1)
        try await registry.clearFaults(matching: repo)
    }

    @Test("copies a multi-arch index from docker-registry to another registry with digests preserved")
    func copyAcrossRegistries() async throws {
        let docker = try await TestRegistry.sharedDocker()
        let fake = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("xcopy")
        let seeded = try await docker.pushIndex(repo: repo, tag: "2.0", platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7"])
        let client = makeClient([docker, fake])
        let report = try await ImageCopier(client: client, jobs: 3).copy(
            from: try Reference(parsing: docker.reference(repo, "2.0")), to: try Reference(parsing: "\(fake.host)/mirror/\(repo)"))
        #expect(report.digest == seeded.digest)
        #expect(report.manifests == 4)
        #expect(report.blobsUploaded == 7)
        #expect(try await fake.fetchManifest(repo: "mirror/\(repo)", reference: "2.0")?.data == seeded.bytes)

        // Again: everything is there, nothing is uploaded.
        let again = try await ImageCopier(client: makeClient([docker, fake])).copy(
            from: try Reference(parsing: docker.reference(repo, "2.0")), to: try Reference(parsing: "\(fake.host)/mirror/\(repo)"))
        #expect(again.blobsSkipped == 7)
        #expect(again.blobsUploaded == 0)
    }

    @Test("large blobs are uploaded in PATCH chunks")
    func chunkedUpload() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("chunks")
        let content = Data((0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let digest = Digest(of: Array(content))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueRepository("chunk"))
        try content.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let client = makeClient([registry], monolithicUploadLimit: 1_000, chunkSize: 2_048)
        let result = try await client.uploadBlob(digest, size: Int64(content.count), body: .file(path: file.path, offset: 0, length: Int64(content.count)),
                                                 to: try Repository(parsing: "\(registry.host)/\(repo)"))
        #expect(result == .uploaded)
        #expect(try await registry.fetchBlob(repo: repo, digest: digest.description) == content)
        #expect(try await registry.requests(matching: "/v2/\(repo)/blobs/uploads/").filter { $0.method == "PATCH" }.count == 3)
    }
}
