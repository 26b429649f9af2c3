import Foundation
import ImageTransfer
import OCI
import Testing
import TestSupport

@Suite("OCI layout: referrers")
struct LayoutReferrersTests {
    @Test("lists the listed manifests whose subject is a digest, like the registry's referrers API")
    func referrers() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let image = try Fixtures.image(in: layout, layers: ["app"])
        let other = try Fixtures.image(in: layout, layers: ["other"])
        let bundle = try Fixtures.bundleReferrer(of: image, note: "signature", in: layout)
        let sbom = try Fixtures.bundleReferrer(of: image, note: "sbom", artifactType: "application/spdx+json", in: layout)
        let unrelated = try Fixtures.bundleReferrer(of: other, note: "other's", in: layout)
        let classic = try Fixtures.cosignSignature(of: image, reference: "registry.example.com/app", in: layout)
        try layout.putManifests([
            PlacedManifest(image, .named("registry.example.com/app:1.0")), PlacedManifest(other, .named("registry.example.com/other:1.0")),
            PlacedManifest(bundle, .unnamed), PlacedManifest(unrelated, .unnamed), PlacedManifest(sbom, .unnamed),
            PlacedManifest(classic, .named("registry.example.com/app:\(Fixtures.signatureTag(of: image.digest))")),
        ])

        let all = try layout.referrers(of: image.digest)
        #expect(all.mediaType == MediaType.ociIndex && all.schemaVersion == 2)
        #expect(all.manifests == [bundle.descriptor, sbom.descriptor])
        #expect(all.manifests.map(\.artifactType) == [Fixtures.bundleType, "application/spdx+json"])
        #expect(all.manifests.first?.annotations?["note"] == "signature")

        #expect(try layout.referrers(of: image.digest, artifactType: Fixtures.bundleType).manifests == [bundle.descriptor])
        #expect(try layout.referrers(of: other.digest).manifests == [unrelated.descriptor])
        #expect(try layout.referrers(of: bundle.digest).manifests.isEmpty)
    }

    @Test("finds referrers of a platform manifest, and referrers added after a first scan")
    func platformAndLater() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let child = try Fixtures.image(in: layout, layers: ["amd64"])
        let index = try Fixtures.index([(child, Fixtures.amd64)])
        let onChild = try Fixtures.bundleReferrer(of: child, note: "platform signature", in: layout)
        try layout.putManifests([PlacedManifest(child, .content), PlacedManifest(index, .named("multi")), PlacedManifest(onChild, .unnamed)])
        #expect(try layout.referrers(of: child.digest).manifests == [onChild.descriptor])
        #expect(try layout.referrers(of: index.digest).manifests.isEmpty)

        let onIndex = try Fixtures.bundleReferrer(of: index, note: "index signature", in: layout)
        try layout.putManifest(onIndex, .unnamed)
        #expect(try layout.referrers(of: index.digest).manifests == [onIndex.descriptor])

        // A referrer that is stored but not listed is not one of the layout's referrers.
        let unlisted = try Fixtures.bundleReferrer(of: index, note: "unlisted", in: layout)
        try layout.putManifest(unlisted, .content)
        #expect(try layout.referrers(of: index.digest).manifests == [onIndex.descriptor])
    }

    @Test("skips entries whose manifests are missing (a pruned layout) rather than failing")
    func missingManifest() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let image = try Fixtures.image(in: layout, layers: ["app"])
        let referrer = try Fixtures.bundleReferrer(of: image, note: "sig", in: layout)
        let gone = try Fixtures.bundleReferrer(of: image, note: "gone", in: layout)
        try layout.putManifests([PlacedManifest(image, .named("app")), PlacedManifest(gone, .unnamed), PlacedManifest(referrer, .unnamed)])
        try FileManager.default.removeItem(atPath: layout.blobPath(for: gone.digest))
        #expect(try layout.referrers(of: image.digest).manifests == [referrer.descriptor])
    }
}
