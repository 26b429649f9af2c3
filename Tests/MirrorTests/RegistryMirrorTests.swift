import Foundation
import ImageTransfer
import Mirror
import OCI
import RegistryClient
import Testing
import TestSupport

/// Registry to registry: what travels with an image, chosen by the options, digests preserved.
@Suite("Mirror between registries")
struct RegistryMirrorTests {
    @Test("an index with its .sig, .att and bundle referrer lands byte for byte; SBOMs and other referrers stay behind",
          arguments: [FakeRegistryOptions.ReferrersMode.api, .notFound])
    func defaultSelection(destinationMode: FakeRegistryOptions.ReferrersMode) async throws {
        let source = try await TestRegistry.sharedDocker()
        let destination = try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: destinationMode))
        let client = makeClient([source, destination])
        let repository = Repository(registry: source.host, path: uniqueRepository("mirror/default"))
        let image = try await SignedImage.seed(client, repository)
        let target = Repository(registry: destination.host, path: uniqueRepository("mirror/default-dst"))

        let report = try await Mirror(client: client).run(sources: ["\(repository):1.0"], destination: target.description)

        #expect(report.failed.isEmpty, "\(report.images)")
        let checker = makeClient([destination])
        for digest in image.defaultDigests {
            #expect(try await holds(checker, target, digest), "\(digest)")
        }
        for digest in [image.sbom.digest, image.sbomSignature.digest, image.other.digest] {
            #expect(try await !holds(checker, target, digest), "\(digest) was not asked for")
        }
        #expect(try await checker.manifest(Reference(repository: target, tag: "1.0")).digest == image.index.digest)
        #expect(try await checker.manifest(Reference(repository: target, tag: image.index.digest.fallbackTag + ".sig")).digest == image.signature.digest)
        #expect(try await checker.manifest(Reference(repository: target, tag: image.platforms[0].fallbackTag + ".att")).digest == image.attestation.digest)
        #expect(try await checker.referrers(of: image.index.digest, in: target).manifests.map(\.digest) == [image.bundle.digest])
        let summary = report.summary
        #expect((summary.images, summary.signatures, summary.attestations, summary.sboms) == (1, 1, 2, 0))
        #expect(summary.unsigned.isEmpty)
    }

    @Test("--include-artifact-type text/spdx brings the SBOM and the signature on it")
    func sbomOptIn() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/sbom"))
        let image = try await SignedImage.seed(client, repository)
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/sbom-dst"))
        let options = MirrorOptions(referrers: ReferrerSelection(artifactTypes: [SignedImage.sbomType]))

        let report = try await Mirror(client: client, options: options).run(sources: ["\(repository):1.0"], destination: target.description)

        #expect(report.failed.isEmpty, "\(report.images)")
        let checker = makeClient([registry])
        for digest in image.defaultDigests + [image.sbom.digest, image.sbomSignature.digest] {
            #expect(try await holds(checker, target, digest), "\(digest)")
        }
        #expect(try await !holds(checker, target, image.other.digest))
        #expect(try await checker.referrers(of: image.sbom.digest, in: target).manifests.map(\.digest) == [image.sbomSignature.digest])
        #expect(report.summary.sboms == 1)
    }

    @Test("--all-referrers brings every referrer: signatures, the SBOM and its signature, and unrelated artifacts")
    func allReferrers() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/all"))
        let image = try await SignedImage.seed(client, repository)
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/all-dst"))
        let options = MirrorOptions(referrers: ReferrerSelection(all: true))

        let report = try await Mirror(client: client, options: options).run(sources: ["\(repository):1.0"], destination: target.description)

        #expect(report.failed.isEmpty, "\(report.images)")
        let checker = makeClient([registry])
        for digest in image.defaultDigests + [image.sbom.digest, image.sbomSignature.digest, image.other.digest] {
            #expect(try await holds(checker, target, digest), "\(digest)")
        }
    }

    @Test("--no-signatures copies the image alone and reports nothing carried")
    func noSignatures() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/nosig"))
        let image = try await SignedImage.seed(client, repository)
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/nosig-dst"))
        let options = MirrorOptions(referrers: ReferrerSelection(signatures: false))

        let report = try await Mirror(client: client, options: options).run(sources: ["\(repository):1.0"], destination: target.description)

        #expect(report.failed.isEmpty, "\(report.images)")
        let checker = makeClient([registry])
        for digest in [image.index.digest] + image.platforms {
            #expect(try await holds(checker, target, digest))
        }
        for digest in [image.signature, image.attestation, image.bundle, image.sbom].map(\.digest) {
            #expect(try await !holds(checker, target, digest))
        }
        #expect(try await checker.referrers(of: image.index.digest, in: target).manifests.isEmpty)
        #expect(report.summary.signatures == 0 && report.images[0].signed == nil)
    }

    @Test("a rerun of an unchanged image moves no blob bytes, asks about no blob and rewrites no name")
    func rerunMovesNothing() async throws {
        let source = try await TestRegistry.sharedFake()
        let destination = try await TestRegistry.sharedFake(FakeRegistryOptions(referrers: .notFound))
        let repository = Repository(registry: source.host, path: uniqueRepository("mirror/rerun"))
        let image = try await SignedImage.seed(makeClient([source]), repository)
        let target = Repository(registry: destination.host, path: uniqueRepository("mirror/rerun-dst"))
        let first = try await Mirror(client: makeClient([source, destination])).run(sources: ["\(repository):1.0"], destination: target.description)
        #expect(first.failed.isEmpty, "\(first.images)")
        #expect(first.summary.blobsCopied > 0 && first.summary.bytes > 0 && first.summary.blobsMounted == 0)

        let sourceBefore = try await source.requests(matching: repository.path).count
        let before = try await destination.requests(matching: target.path).count
        let second = try await Mirror(client: makeClient([source, destination])).run(sources: ["\(repository):1.0"], destination: target.description)
        let requests = Array(try await destination.requests(matching: target.path).dropFirst(before))
        let sourceRequests = Array(try await source.requests(matching: repository.path).dropFirst(sourceBefore))

        #expect(second.failed.isEmpty, "\(second.images)")
        #expect((second.summary.blobsCopied, second.summary.bytes, second.summary.manifestsCopied) == (0, 0, 0))
        #expect(second.summary.blobsSkipped == first.summary.blobsCopied)
        let shown = requests.map { "\($0.method) \($0.path)" }
        // The index's tag and the cosign tags answer with the same digests: nothing under them is asked about.
        #expect(!requests.contains { $0.path.contains("/blobs/") }, "\(shown)")
        // Only the referrer, which has no name, is pushed again (so its subject's fallback index surely lists it).
        #expect(requests.filter { $0.method == "PUT" }.map(\.path) == ["/v2/\(target.path)/manifests/\(image.bundle.digest)"], "\(shown)")
        // At the source: no blob read, and the cosign tags were looked up in one tag listing, none asked for in vain.
        let sourceShown = sourceRequests.map { "\($0.method) \($0.path) \($0.status)" }
        #expect(!sourceRequests.contains { $0.method == "GET" && $0.path.contains("/blobs/") }, "\(sourceShown)")
        #expect(sourceRequests.filter { $0.path.hasSuffix("/tags/list") }.count == 1, "\(sourceShown)")
        #expect(!sourceRequests.contains { $0.status == 404 }, "\(sourceShown)")
    }

    @Test("into another repository of the same registry every blob is mounted: no blob bytes move")
    func sameRegistryMounts() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/mount"))
        let image = try await SignedImage.seed(makeClient([registry]), repository)
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/mount-dst"))
        let sourceBefore = try await registry.requests(matching: repository.path).count

        let report = try await Mirror(client: makeClient([registry])).run(sources: ["\(repository):1.0"], destination: target.description)

        #expect(report.failed.isEmpty, "\(report.images)")
        #expect(report.summary.blobsMounted > 0 && (report.summary.blobsCopied, report.summary.bytes) == (0, 0), "\(report.summary)")
        let requests = try await registry.requests(matching: target.path)
        let mounts = requests.filter { $0.method == "POST" && $0.query.contains("mount=") && $0.status == 201 }
        #expect(mounts.count == report.summary.blobsMounted)
        #expect(!requests.contains { $0.method == "PUT" && $0.path.contains("/blobs/uploads/") }, "no blob uploaded")
        let sourceReads = try await registry.requests(matching: repository.path).dropFirst(sourceBefore)
        #expect(!sourceReads.contains { $0.method == "GET" && $0.path.contains("/blobs/") }, "no blob downloaded")
        let checker = makeClient([registry])
        for digest in image.defaultDigests {
            #expect(try await holds(checker, target, digest), "\(digest)")
        }
        #expect(report.summary.text.contains("\(report.summary.blobsMounted) mounted"), "\(report.summary.text)")
    }

    @Test("a registry that refuses cross-repository mounts (405) gets every blob copied instead")
    func refusedMountsCopy() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/nomount"))
        _ = try await SignedImage.seed(makeClient([registry]), repository)
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/nomount-dst"))
        let escaped = NSRegularExpression.escapedPattern(for: target.path)
        // Every second POST is refused: the first opens an upload of an unrelated blob; then, one blob at a time,
        // each mount (even) is refused and each upload (odd) goes through.
        try await registry.addFaults([.status(405, method: "POST", path: escaped + "/blobs/uploads/$", every: 2)])
        let client = makeClient([registry])
        let report: MirrorReport
        do {
            _ = try await client.pushBlobIfAbsent(Data("unrelated".utf8), to: target)
            report = try await Mirror(client: client, options: MirrorOptions(jobs: 1)).run(sources: ["\(repository):1.0"], destination: target.description)
        } catch {
            try await registry.clearFaults(matching: escaped)
            throw error
        }
        try await registry.clearFaults(matching: escaped)

        #expect(report.failed.isEmpty, "\(report.images)")
        #expect(report.summary.blobsMounted == 0 && report.summary.blobsCopied > 0, "\(report.summary)")
        let refused = try await registry.requests(matching: target.path).filter { $0.method == "POST" && $0.status == 405 }
        #expect(refused.count == report.summary.blobsCopied && refused.allSatisfy { $0.query.contains("mount=") }, "\(refused)")
    }
}
