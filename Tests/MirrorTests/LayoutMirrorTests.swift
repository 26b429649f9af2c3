import Foundation
import ImageTransfer
import Mirror
import OCI
import RegistryClient
import Testing
import TestSupport

/// Registry → `oci:DIR` → registry, and failures among several images.
@Suite("Mirror through layouts, and failures")
struct LayoutMirrorTests {
    @Test("registry → oci:DIR → registry restores every digest, the cosign tags and the referrers")
    func roundTrip() async throws {
        let source = try await TestRegistry.sharedFake()
        let destination = try await TestRegistry.sharedDocker()
        let client = makeClient([source, destination])
        let repository = Repository(registry: source.host, path: uniqueRepository("mirror/trip"))
        let image = try await SignedImage.seed(client, repository)
        let scratch = try TemporaryDirectory()
        let directory = scratch.file("layout")

        let out = try await Mirror(client: client).run(sources: ["\(repository):1.0"], destination: "oci:\(directory)")
        #expect(out.failed.isEmpty, "\(out.images)")
        let layout = try OCILayout(path: directory)
        let names = try layout.names()
        #expect(names.contains("\(repository):1.0"))
        #expect(names.contains("\(repository):\(image.index.digest.fallbackTag).sig"))
        #expect(names.contains("\(repository):\(image.platforms[0].fallbackTag).att"))
        #expect(try layout.referrers(of: image.index.digest).manifests.map(\.digest) == [image.bundle.digest])

        let prefix = uniqueRepository("restored")
        let back = try await Mirror(client: client).run(sources: ["oci:\(directory)"], destination: "\(destination.host)/\(prefix)/")
        #expect(back.failed.isEmpty, "\(back.images)")
        #expect(back.images.count == 1, "cosign tags travel with their image, not as images: \(back.images.map(\.source))")
        let restored = Repository(registry: destination.host, path: "\(prefix)/\(repository.path)")
        let checker = makeClient([destination])
        for digest in image.defaultDigests {
            #expect(try await holds(checker, restored, digest), "\(digest)")
        }
        #expect(try await checker.manifest(Reference(repository: restored, tag: "1.0")).digest == image.index.digest)
        #expect(try await checker.referrers(of: image.index.digest, in: restored).manifests.map(\.digest) == [image.bundle.digest])
    }

    @Test("a rerun into a layout copies nothing and keeps index.json as it was")
    func layoutRerun() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/layout-rerun"))
        _ = try await SignedImage.seed(client, repository)
        let scratch = try TemporaryDirectory()
        let first = try await Mirror(client: client).run(sources: ["\(repository):1.0"], destination: "oci:\(scratch.file("l"))")
        let index = try Data(contentsOf: URL(fileURLWithPath: scratch.file("l/index.json")))
        let second = try await Mirror(client: makeClient([registry])).run(sources: ["\(repository):1.0"], destination: "oci:\(scratch.file("l"))")
        #expect(first.summary.blobsCopied > 0)
        #expect((second.summary.blobsCopied, second.summary.bytes, second.summary.manifestsCopied) == (0, 0, 0))
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.file("l/index.json"))) == index)
    }

    @Test("a source that cuts blob downloads and answers 429 now and then still mirrors completely")
    func flakySource() async throws {
        let source = try await TestRegistry.sharedFake()
        let client = makeClient([source])
        let repository = Repository(registry: source.host, path: uniqueRepository("mirror/flaky"))
        let image = try await SignedImage.seed(client, repository)
        let escaped = NSRegularExpression.escapedPattern(for: repository.path)
        try await source.addFaults([
            .status(429, path: escaped, retryAfter: "0", times: 4),
            .cut(method: "GET", path: escaped + "/blobs/sha256:", times: 5),
        ])
        // Another registry: into the same one, blobs would be mounted rather than downloaded.
        let destination = try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .notFound))
        let target = Repository(registry: destination.host, path: uniqueRepository("mirror/flaky-dst"))

        let report = try await Mirror(client: makeClient([source, destination]), options: MirrorOptions(jobs: 4))
            .run(sources: ["\(repository):1.0"], destination: target.description)

        #expect(report.failed.isEmpty, "\(report.images)")
        let faults = try await source.requests(matching: repository.path).filter { $0.fault != nil }
        #expect(faults.count >= 5, "the faults fired: \(faults.count)")
        let checker = makeClient([destination])
        for digest in image.defaultDigests {
            #expect(try await holds(checker, target, digest), "\(digest)")
        }
    }

    @Test("a failing image among several is reported; the others are copied; fail-fast stops with its error")
    func failingImage() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let good = Repository(registry: registry.host, path: uniqueRepository("mirror/good"))
        let seeder = Seeder(client: client, repository: good)
        let first = try await seeder.index(tag: "a")
        let second = try await seeder.index(tag: "b")
        let missing = "\(good):no-such-tag"
        let prefix = uniqueRepository("mirror/many")

        let report = try await Mirror(client: client).run(sources: ["\(good):a", missing, "\(good):b"],
                                                          destination: "\(registry.host)/\(prefix)")
        #expect(report.failed.map(\.source) == [missing], "\(report.images)")
        #expect(report.failed.first?.error?.contains("no-such-tag") == true)
        let target = Repository(registry: registry.host, path: "\(prefix)/\(good.path)")
        let checker = makeClient([registry])
        #expect(try await checker.manifest(Reference(repository: target, tag: "a")).digest == first.digest)
        #expect(try await checker.manifest(Reference(repository: target, tag: "b")).digest == second.digest)
        #expect(report.summary.unsigned.count == 2)

        await #expect(throws: MirrorError.self) {
            try await Mirror(client: client, options: MirrorOptions(failFast: true)).run(sources: [missing], destination: "\(registry.host)/\(prefix)2")
        }
    }

    @Test("--require-signatures copies the signed image and refuses the unsigned one")
    func requireSignatures() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/required"))
        let signed = try await SignedImage.seed(client, repository, tag: "signed")
        _ = try await Seeder(client: client, repository: repository).index(tag: "unsigned")
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/required-dst"))

        let report = try await Mirror(client: client, options: MirrorOptions(allTags: true, requireSignatures: true))
            .run(sources: [repository.description], destination: target.description)

        #expect(report.failed.map(\.source) == ["\(repository):unsigned"], "\(report.images)")
        let checker = makeClient([registry])
        #expect(try await checker.manifest(Reference(repository: target, tag: "signed")).digest == signed.index.digest)
        #expect(try await checker.manifestIfPresent(Reference(repository: target, tag: "unsigned")) == nil)
    }

    @Test("--all-tags takes every image tag of a repository but not the cosign and referrer-fallback tags")
    func allTags() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .notFound))
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/all"))
        _ = try await SignedImage.seed(client, repository, tag: "1.0")
        _ = try await Seeder(client: client, repository: repository).index(tag: "2.0")
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/all-dst"))

        let report = try await Mirror(client: client, options: MirrorOptions(allTags: true))
            .run(sources: [repository.description], destination: target.description)

        #expect(Set(report.images.map(\.source)) == ["\(repository):1.0", "\(repository):2.0"])
        #expect(report.failed.isEmpty)
    }
}
