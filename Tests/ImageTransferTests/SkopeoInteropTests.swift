import Foundation
import ImageTransfer
import OCI
import Testing
import TestSupport

/// Layouts exchanged with skopeo (containers/image's `oci:` transport), the reference implementation.
@Suite("OCI layout: skopeo interoperability")
struct SkopeoInteropTests {
    @Test("skopeo copies an image, an index and a cosign signature out of a layout we wrote, digests kept")
    func skopeoReadsOurs() async throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("ours"), create: true)
        let image = try Fixtures.image(in: layout, layers: ["base", "app"])
        let amd64 = try Fixtures.image(in: layout, layers: ["base", "amd64 bits"])
        let arm64 = try Fixtures.image(in: layout, layers: ["base", "arm64 bits"], platform: Fixtures.arm64)
        let index = try Fixtures.index([(amd64, Fixtures.amd64), (arm64, Fixtures.arm64)])
        let signature = try Fixtures.cosignSignature(of: image, reference: "registry.example.com/app", in: layout)
        let signatureName = "registry.example.com/app:\(Fixtures.signatureTag(of: image.digest))"
        try layout.putManifests([
            PlacedManifest(image, .named("registry.example.com/app:1.0")),
            PlacedManifest(amd64, .content), PlacedManifest(arm64, .content),
            PlacedManifest(index, .named("registry.example.com/app:multi")),
            PlacedManifest(signature, .named(signatureName)),
            PlacedManifest(try Fixtures.bundleReferrer(of: image, note: "unnamed referrer", in: layout), .unnamed),
        ])

        let ours = layout.path, theirs = scratch.file("theirs")
        try await skopeo(["copy", "--preserve-digests", "oci:\(ours):registry.example.com/app:1.0", "oci:\(theirs):image"])
        try await skopeo(["copy", "--all", "--preserve-digests", "oci:\(ours):registry.example.com/app:multi", "oci:\(theirs):multi"])
        try await skopeo(["copy", "--preserve-digests", "oci:\(ours):\(signatureName)", "oci:\(theirs):signature"])

        let copy = try OCILayout(path: theirs, verifyExistingBlobs: true)
        #expect(try copy.names() == ["image", "multi", "signature"])
        #expect(try copy.resolve("image").bytes == image.bytes)
        #expect(try copy.resolve("multi").bytes == index.bytes)
        #expect(try copy.resolve("signature").bytes == signature.bytes)
        for document in [image, amd64, arm64, signature] {
            #expect(try copy.manifest(document.digest).bytes == document.bytes)
            for blob in document.blobs { #expect(try copy.blob(blob) == layout.blob(blob)) }
        }
    }

    @Test("reads a layout skopeo wrote from a registry; skopeo still reads it after we add to it")
    func oursReadsSkopeo() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("layout-interop")
        let seeded = try await registry.pushIndex(repo: repo, tag: "v1")
        let scratch = try TemporaryDirectory()
        let directory = scratch.file("skopeo")
        let source = "docker://\(registry.host)/\(repo):v1"
        // As users run it: skopeo compresses the uncompressed layers, so new manifests and a new index.
        try await skopeo(["copy", "--all", source, "oci:\(directory):name", "--src-tls-verify=false"])
        // And keeping every digest.
        try await skopeo(["copy", "--all", "--preserve-digests", source, "oci:\(directory):exact", "--src-tls-verify=false"])

        let layout = try OCILayout(path: directory, verifyExistingBlobs: true)
        #expect(try layout.names() == ["name", "exact"])
        let converted = try layout.resolve("name")
        #expect(converted.bytes == (try await skopeo(["inspect", "--raw", "oci:\(directory):name"])))
        let exact = try layout.resolve("exact")
        #expect(exact.digest == seeded.digest)
        #expect(exact.bytes == seeded.bytes)
        for child in seeded.children {
            #expect(try layout.manifest(try Digest(parsing: child.digest)).bytes == child.manifest)
        }
        for root in [converted, exact] {
            #expect(root.children.count == seeded.children.count)
            for child in root.children {
                let manifest = try layout.manifest(child.digest)
                for blob in manifest.blobs {
                    #expect(try layout.hasBlob(blob))
                    try layout.fetchBlob(blob, to: scratch.file("fetched/\(blob.digest.hex)"))
                }
            }
        }

        // Ours: a second name for the index and a referrer, in skopeo's layout.
        let writer = try OCILayout(path: directory, create: true)
        let referrer = try Fixtures.bundleReferrer(of: exact, note: "added by ocitool", in: writer)
        let fullName = "\(registry.host)/\(repo):v1"
        try writer.putManifests([PlacedManifest(exact, .named(fullName)), PlacedManifest(referrer, .unnamed)])
        #expect(try writer.names() == ["name", "exact", fullName])
        #expect(try writer.resolve("v1").digest == seeded.digest)
        #expect(try writer.referrers(of: exact.digest).manifests == [referrer.descriptor])

        let again = scratch.file("again")
        try await skopeo(["copy", "--all", "--preserve-digests", "oci:\(directory):\(fullName)", "oci:\(again):again"])
        try await skopeo(["copy", "--all", "--preserve-digests", "oci:\(directory):name", "oci:\(again):name"])
        let copy = try OCILayout(path: again)
        #expect(try copy.resolve("again").bytes == seeded.bytes)
        #expect(try copy.resolve("name").bytes == converted.bytes)
    }
}
