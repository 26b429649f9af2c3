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

    @Test("a rerun moves no blob bytes: every blob is HEAD-checked, none downloaded or uploaded")
    func rerunMovesNothing() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/rerun"))
        _ = try await SignedImage.seed(client, repository)
        let target = Repository(registry: registry.host, path: uniqueRepository("mirror/rerun-dst"))
        let first = try await Mirror(client: makeClient([registry])).run(sources: ["\(repository):1.0"], destination: target.description)
        #expect(first.summary.blobsCopied > 0 && first.summary.bytes > 0)

        let before = try await registry.requests(matching: target.path).count
        let second = try await Mirror(client: makeClient([registry])).run(sources: ["\(repository):1.0"], destination: target.description)
        let requests = Array(try await registry.requests(matching: target.path).dropFirst(before))

        #expect(second.failed.isEmpty)
        #expect((second.summary.blobsCopied, second.summary.bytes) == (0, 0))
        #expect(second.summary.blobsSkipped == first.summary.blobsCopied)
        let uploads = requests.filter { $0.path.contains("/blobs/uploads") }
        let downloads = requests.filter { $0.method == "GET" && $0.path.contains("/blobs/") }
        #expect(uploads.isEmpty && downloads.isEmpty, "\(requests.map { "\($0.method) \($0.path)" })")
    }
}
