import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ImageTransfer
import OCI
import Testing
import TestSupport

@Suite("OCI layout: index.json")
struct LayoutIndexTests {
    /// index.json as on disk, decoded independently of the code under test's reader.
    static func entries(_ scratch: TemporaryDirectory, _ layout: String = "layout") throws -> [Descriptor] {
        try JSONDecoder().decode(ImageIndex.self, from: try scratch.read("\(layout)/index.json")).manifests
    }

    @Test("lists an image, an index and a cosign signature under their names; platform manifests stay unlisted")
    func imageIndexAndSignature() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let image = try Fixtures.image(in: layout, layers: ["base", "app"])
        let amd64 = try Fixtures.image(in: layout, layers: ["base", "amd64 bits"])
        let arm64 = try Fixtures.image(in: layout, layers: ["base", "arm64 bits"], platform: Fixtures.arm64)
        let index = try Fixtures.index([(amd64, Fixtures.amd64), (arm64, Fixtures.arm64)])
        let signature = try Fixtures.cosignSignature(of: image, reference: "registry.example.com/app", in: layout)
        let signatureName = "registry.example.com/app:\(Fixtures.signatureTag(of: image.digest))"

        try layout.putManifest(image, .named("registry.example.com/app:1.0"))
        try layout.putManifests([
            PlacedManifest(amd64, .content), PlacedManifest(arm64, .content),
            PlacedManifest(index, .named("registry.example.com/app:multi")),
            PlacedManifest(signature, .named(signatureName)),
        ])

        let entries = try Self.entries(scratch)
        #expect(entries == [
            Descriptor(mediaType: MediaType.ociManifest, digest: image.digest, size: Int64(image.bytes.count),
                       annotations: [AnnotationKey.refName: "registry.example.com/app:1.0"]),
            Descriptor(mediaType: MediaType.ociIndex, digest: index.digest, size: Int64(index.bytes.count),
                       annotations: [AnnotationKey.refName: "registry.example.com/app:multi"]),
            Descriptor(mediaType: MediaType.ociManifest, digest: signature.digest, size: Int64(signature.bytes.count),
                       annotations: [AnnotationKey.refName: signatureName]),
        ])
        #expect(signatureName == "registry.example.com/app:sha256-\(image.digest.hex).sig")
        #expect(try layout.names() == ["registry.example.com/app:1.0", "registry.example.com/app:multi", signatureName])
        let raw = try JSONDecoder().decode(JSONValue.self, from: try scratch.read("layout/index.json"))
        #expect(raw["schemaVersion"] == .number(2))
        #expect(raw["mediaType"] == .string(MediaType.ociIndex))
        for document in [image, amd64, arm64, index, signature] {
            #expect(try scratch.read("layout/blobs/sha256/\(document.digest.hex)") == document.bytes)
        }
    }

    @Test("a name given again moves to the new manifest in place; unnamed entries are kept once per digest")
    func replaceName() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let first = try Fixtures.image(in: layout, layers: ["v1"])
        let second = try Fixtures.image(in: layout, layers: ["v2"])
        let other = try Fixtures.image(in: layout, layers: ["other"])

        try layout.putManifests([PlacedManifest(first, .named("app:latest")), PlacedManifest(other, .named("other:1"))])
        try layout.putManifest(second, .named("app:latest"))
        #expect(try Self.entries(scratch).map(\.digest) == [second.digest, other.digest])
        #expect(try layout.resolve("app:latest").digest == second.digest)

        try layout.putManifest(first, .unnamed)
        try layout.putManifest(first, .unnamed)
        try layout.putManifest(second, .unnamed)
        let entries = try Self.entries(scratch)
        #expect(entries.map(\.digest) == [second.digest, other.digest, first.digest, second.digest])
        #expect(entries.map { $0.annotations?[AnnotationKey.refName] } == ["app:latest", "other:1", nil, nil])
    }

    @Test("a layout with a name listed twice (another tool's) keeps one entry once the name is given again")
    func duplicateNames() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let first = try Fixtures.image(in: layout, layers: ["a"])
        let second = try Fixtures.image(in: layout, layers: ["b"])
        let duplicated = ImageIndex(manifests: [first, second].map { OCILayout.indexEntry(for: $0, name: "dup") })
        try scratch.write(try JSONEncoder().encode(duplicated), to: "layout/index.json")
        #expect((#expect(throws: ContentError.self) { try layout.resolve("dup") })?.kind == "ambiguousName")

        try layout.putManifest(second, .named("dup"))
        #expect(try Self.entries(scratch).map(\.digest) == [second.digest])
    }

    @Test("reads manifests back byte for byte, whatever their formatting")
    func bytesPreserved() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let image = try Fixtures.image(in: layout, layers: ["x"])
        guard case .image(let manifest) = image.content else { Issue.record("not an image"); return }
        // Pretty-printed, keys in another order, no mediaType field: only the bytes say which digest it has.
        let odd = Data("""
            {
              "config" : {"digest": "\(manifest.config.digest)", "size": \(manifest.config.size), "mediaType": "\(manifest.config.mediaType)"},
              "layers" : [ {"mediaType":"\(MediaType.ociLayerTar)","size":\(manifest.layers[0].size),"digest":"\(manifest.layers[0].digest)"} ],
              "schemaVersion" : 2
            }\n
            """.utf8)
        let document = try ManifestDocument(bytes: odd, contentType: MediaType.ociManifest)
        try layout.putManifest(document, .named("odd"))

        #expect(try layout.resolve("odd").bytes == odd)
        #expect(try layout.manifest(document.digest).bytes == odd)
        #expect(try layout.resolve(document.digest.description).bytes == odd)
        #expect(try scratch.read("layout/blobs/sha256/\(document.digest.hex)") == odd)
        #expect(try layout.hasManifest(document.digest))
        #expect(try layout.resolve("odd").mediaType == MediaType.ociManifest)
    }

    @Test("index.json is written only after the manifests it lists")
    func indexLast() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let image = try Fixtures.image(in: layout, layers: ["x"])
        let before = try scratch.read("layout/index.json")

        let error = #expect(throws: ContentError.self) { try layout.addToIndex([OCILayout.indexEntry(for: image, name: "x")]) }
        #expect(error?.kind == "notFound")
        #expect(try scratch.read("layout/index.json") == before)
        #expect(try !layout.hasManifest(image.digest))
    }

    @Test("concurrent addToIndex calls, from two OCILayout values of one directory, keep index.json valid and lose nothing")
    func concurrentWriters() async throws {
        let scratch = try TemporaryDirectory()
        let first = try OCILayout(path: scratch.file("layout"), create: true)
        let second = try OCILayout(path: scratch.file("layout"))
        let images = try (0..<8).map { try Fixtures.image(in: first, layers: ["layer \($0)"]) }
        for image in images { try first.putBlob(image.bytes, mediaType: image.mediaType) }

        let writers = 48
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let layout = writer.isMultiple(of: 2) ? first : second
                    let image = images[writer % images.count]
                    if writer.isMultiple(of: 3) {
                        try layout.putManifests([PlacedManifest(image, .named("app:\(writer)")), PlacedManifest(image, .unnamed)])
                    } else {
                        try layout.addToIndex([OCILayout.indexEntry(for: image, name: "app:\(writer)")])
                    }
                }
            }
            try await group.waitForAll()
        }

        let entries = try Self.entries(scratch)
        let names = Set(entries.compactMap { $0.annotations?[AnnotationKey.refName] })
        #expect(names == Set((0..<writers).map { "app:\($0)" }))
        #expect(entries.filter { $0.annotations == nil }.count == Set((0..<writers).filter { $0.isMultiple(of: 3) }.map { $0 % images.count }).count)
        #expect(try scratch.contents("layout").filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test("an index.json update waits for another process's flock on the layout directory")
    func otherProcessLock() async throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let image = try Fixtures.image(in: layout, layers: ["x"])
        try layout.putBlob(image.bytes)
        let before = try scratch.read("layout/index.json")

        // What another ocitool process holds while it rewrites index.json (its own open file description).
        let held = open(layout.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        #expect(held >= 0 && flock(held, LOCK_EX) == 0)
        let writer = Thread { try? layout.addToIndex([OCILayout.indexEntry(for: image, name: "waited")]) }
        writer.start()
        try await Task.sleep(for: .milliseconds(300))
        #expect(try scratch.read("layout/index.json") == before)

        close(held)
        for _ in 0..<100 where try layout.names().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try layout.names() == ["waited"])
    }
}
