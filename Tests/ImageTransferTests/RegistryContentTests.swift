import Foundation
import ImageTransfer
import OCI
import RegistryClient
import Testing
import TestSupport

/// The same copy code against both kinds of store: a registry repository and a layout.
@Suite("Content stores: registry and layout behind one protocol")
struct RegistryContentTests {
    @Test("mirrors registry → layout → registry through the content protocols, every digest kept")
    func roundTrip() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("layout-source")
        let seeded = try await registry.pushIndex(repo: repo, tag: "v1")
        let client = makeClient(registry)
        let scratch = try TemporaryDirectory()
        let source = RegistryContent(client: client, repository: try Repository(parsing: "\(registry.host)/\(repo)"))
        let layout = try OCILayout(path: scratch.file("layout"), create: true)

        let fullName = "\(registry.host)/\(repo):v1"
        let root = try await mirror("v1", from: source, to: layout, as: .named(fullName), scratch: scratch)
        #expect(root.digest == seeded.digest)
        #expect(try layout.names() == [fullName])
        #expect(try layout.resolve("v1").bytes == seeded.bytes)
        #expect(try layout.index().manifests.count == 1, "platform manifests are not listed")

        let pushedRepo = uniqueRepository("layout-pushed")
        let destination = RegistryContent(client: client, repository: try Repository(parsing: "\(registry.host)/\(pushedRepo)"))
        try await mirror(fullName, from: layout, to: destination, as: .named("copied"), scratch: scratch)

        #expect(try await registry.fetchManifest(repo: pushedRepo, reference: "copied")?.data == seeded.bytes)
        for child in seeded.children {
            #expect(try await registry.fetchManifest(repo: pushedRepo, reference: child.digest)?.data == child.manifest)
            #expect(try await destination.hasManifest(try Digest(parsing: child.digest)))
        }
        #expect(try await destination.names() == ["copied"])
        #expect(try await destination.resolve("copied").digest == seeded.digest)
        let refused = await #expect(throws: ContentError.self) { try await destination.putManifest(root, .named(fullName)) }
        #expect(refused?.kind == "invalidContent")
    }

    @Test("a referrer stored from a layout's blob files is listed by the registry")
    func referrerFromLayout() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("layout-referrer")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let client = makeClient(registry)
        let scratch = try TemporaryDirectory()
        let store = RegistryContent(client: client, repository: try Repository(parsing: "\(registry.host)/\(repo)"))
        let subject = try await store.resolve("v1")
        #expect(subject.digest.description == image.digest)

        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let referrer = try Fixtures.bundleReferrer(of: subject, note: "from disk", in: layout)
        for blob in referrer.blobs where try await !store.hasBlob(blob) {
            try await store.putBlob(from: layout.blobPath(for: blob.digest), blob)
        }
        try await store.putManifest(referrer, .unnamed)

        let listed = try await store.referrers(of: subject.digest, artifactType: nil)
        #expect(listed.manifests.map(\.digest) == [referrer.digest])
        #expect(listed.manifests.first?.artifactType == Fixtures.bundleType)

        let wrongSize = Descriptor(mediaType: MediaType.ociEmpty, digest: referrer.blobs[0].digest, size: 99)
        let refused = await #expect(throws: ContentError.self) { try await store.putBlob(from: layout.blobPath(for: wrongSize.digest), wrongSize) }
        #expect(refused?.kind == "invalidContent")
    }
}
