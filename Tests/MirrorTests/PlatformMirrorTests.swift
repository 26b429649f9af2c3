import Foundation
import ImageTransfer
import Mirror
import OCI
import RegistryClient
import Testing
import TestSupport

/// Narrowing an index to chosen platforms: a partial layout, or a rewritten index.
@Suite("Mirror with platforms")
struct PlatformMirrorTests {
    @Test("without rewriteIndex a registry destination is refused before anything is read or written")
    func registryRefused() async throws {
        let registry = try await TestRegistry.sharedFake()
        let options = MirrorOptions(platforms: [Seeder.amd64])
        await #expect {
            _ = try await Mirror(client: makeClient([registry]), options: options).run(sources: ["127.0.0.1:1/app:1"], destination: "\(registry.host)/copy")
        } throws: { error in
            guard case MirrorError.invalidDestination(_, let reason) = error else { return false }
            return reason.contains("--rewrite-index")
        }
    }

    @Test("into a layout: the original index and only the chosen platform, its signatures and the index's; marked partial")
    func partialLayout() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/platform-layout"))
        let image = try await SignedImage.seed(client, repository)
        let scratch = try TemporaryDirectory()
        let out = try await Mirror(client: client, options: MirrorOptions(platforms: [Seeder.amd64]))
            .run(sources: ["\(repository):1.0"], destination: "oci:\(scratch.file("l"))")
        #expect(out.failed.isEmpty, "\(out.images)")
        let reported = try #require(out.images.first)
        #expect(reported.partial == true && reported.platforms == ["linux/amd64"] && reported.originalDigest == nil)
        #expect(reported.digest == image.index.digest.description)
        #expect(out.summary.partial == 1 && out.summary.text.contains("1 image(s) partial"))
        let layout = try OCILayout(path: scratch.file("l"))
        #expect(try layout.resolve("\(repository):1.0").digest == image.index.digest)
        #expect(try layout.hasManifest(image.platforms[0]) && !(try layout.hasManifest(image.platforms[1])))
        #expect(try layout.names().contains("\(repository):\(image.index.digest.fallbackTag).sig"))
        #expect(try layout.names().contains("\(repository):\(image.platforms[0].fallbackTag).att"))
    }

    @Test("rewriteIndex to a registry: a new index of the chosen entries; platform signatures travel, the index's do not")
    func rewrite() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/platform-src"))
        let image = try await SignedImage.seed(client, repository)
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/platform-dst"))
        let out = try await Mirror(client: client, options: MirrorOptions(platforms: [Seeder.amd64], rewriteIndex: true))
            .run(sources: ["\(repository):1.0"], destination: target.description)
        #expect(out.failed.isEmpty, "\(out.images)")
        let reported = try #require(out.images.first)
        let copied = try await client.manifest(Reference(repository: target, tag: "1.0"))
        #expect(copied.digest != image.index.digest && reported.digest == copied.digest.description)
        #expect(reported.originalDigest == image.index.digest.description && reported.partial == nil)
        #expect(copied.children.map(\.digest) == [image.platforms[0]] && copied.children[0].platform == Seeder.amd64)
        let amd64 = try await holds(client, target, image.platforms[0]), arm64 = try await holds(client, target, image.platforms[1])
        #expect(amd64 && !arm64)
        let attestation = try await holds(client, target, image.attestation.digest), signature = try await holds(client, target, image.signature.digest)
        #expect(attestation, "the platform manifest's attestation travels")
        #expect(!signature, "the original index's signature does not")
        #expect(reported.signed == false && reported.attestations == 1 && reported.signatures == 0)
        #expect(out.summary.rewrittenIndexes == 1 && out.summary.text.contains("signatures of the original index do not apply"))
    }

    @Test("no entry matching the platforms: the image fails")
    func nothingMatches() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/platform-none"))
        _ = try await SignedImage.seed(client, repository)
        let scratch = try TemporaryDirectory()
        let out = try await Mirror(client: client, options: MirrorOptions(platforms: [Platform(os: "windows", architecture: "amd64")]))
            .run(sources: ["\(repository):1.0"], destination: "oci:\(scratch.file("l"))")
        #expect(out.failed.count == 1 && out.failed[0].error?.contains("windows/amd64") == true, "\(out.images)")
    }
}
