import Foundation
import ImageTransfer
import OCI
import Testing
import TestSupport

@Suite("OCI layout: blobs")
struct LayoutBlobTests {
    /// Bytes that span several of the writer's 1 MiB chunks, and do not repeat.
    static func largeContent() -> Data {
        let random = FileHandle(forReadingAtPath: "/dev/urandom")!
        defer { try? random.close() }
        return random.readData(ofLength: (3 << 20) + 12_345)
    }

    @Test("puts a blob streamed from a file, under blobs/sha256/<hex>, with nothing else left")
    func putFromFile() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let content = Self.largeContent()
        let source = try scratch.write(content, to: "source.bin")
        let descriptor = Descriptor(mediaType: MediaType.ociLayerTarGzip, bytes: Array(content))

        #expect(try !layout.hasBlob(descriptor))
        try layout.putBlob(from: source, descriptor)

        #expect(layout.blobPath(for: descriptor.digest) == scratch.file("layout/blobs/sha256/\(descriptor.digest.hex)"))
        #expect(try scratch.read("layout/blobs/sha256/\(descriptor.digest.hex)") == content)
        #expect(try scratch.contents("layout/blobs/sha256") == [descriptor.digest.hex])
        #expect(try layout.hasBlob(descriptor))
        #expect(try scratch.read("source.bin") == content)
    }

    static let mismatches: [(String, @Sendable (Data) -> Descriptor)] = [
        ("another digest, same size", { Descriptor(mediaType: MediaType.ociLayerTar, bytes: Array($0.dropLast()) + [0x2A]) }),
        ("a larger size", { Descriptor(mediaType: MediaType.ociLayerTar, digest: Digest(of: $0), size: Int64($0.count + 1)) }),
        ("a smaller size", { Descriptor(mediaType: MediaType.ociLayerTar, digest: Digest(of: $0), size: Int64($0.count - 1)) }),
    ]

    @Test("a file that does not match its descriptor leaves nothing under the blob's name", arguments: 0..<mismatches.count)
    func mismatch(_ row: Int) throws {
        let (label, describe) = Self.mismatches[row]
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let content = Self.largeContent()
        let source = try scratch.write(content, to: "source.bin")
        let claimed = describe(content)

        let error = #expect(throws: ContentError.self, "\(label)") { try layout.putBlob(from: source, claimed) }
        #expect(error?.kind == "invalidContent")
        #expect(!scratch.exists("layout/blobs/sha256/\(claimed.digest.hex)"))
        #expect(try scratch.contents("layout/blobs/sha256").isEmpty, "temporary files are removed")
        #expect(try !layout.hasBlob(claimed))
    }

    @Test("a wrong file does not replace a good blob")
    func goodBlobStays() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let good = Data("the real layer".utf8)
        let descriptor = try layout.putBlob(good)
        let impostor = try scratch.write(Data("a fake layer!!".utf8), to: "impostor")

        #expect(throws: ContentError.self) { try layout.putBlob(from: impostor, descriptor) }
        #expect(try scratch.read("layout/blobs/sha256/\(descriptor.digest.hex)") == good)
        #expect(try layout.blob(descriptor) == good)
    }

    @Test("an existing blob is trusted by its size; verifyExistingBlobs re-hashes it")
    func trustBySize() throws {
        let scratch = try TemporaryDirectory()
        let trusting = try OCILayout(path: scratch.file("layout"), create: true)
        let verifying = try OCILayout(path: scratch.file("layout"), verifyExistingBlobs: true)
        let descriptor = try trusting.putBlob(Data("original content".utf8))
        #expect(try trusting.hasBlob(descriptor) && verifying.hasBlob(descriptor))

        // A foreign tool (or bit rot) changed the bytes, keeping the size.
        try scratch.write(Data("tampered content".utf8), to: "layout/blobs/sha256/\(descriptor.digest.hex)")
        #expect(try trusting.hasBlob(descriptor))
        #expect(try !verifying.hasBlob(descriptor))
        #expect(throws: ContentError.self) { try trusting.blob(descriptor) }

        // A truncated file is never trusted.
        try scratch.write(Data("orig".utf8), to: "layout/blobs/sha256/\(descriptor.digest.hex)")
        #expect(try !trusting.hasBlob(descriptor))

        // Storing it again repairs it.
        try trusting.putBlob(Data("original content".utf8))
        #expect(try verifying.hasBlob(descriptor))
    }

    @Test("fetches a blob to a file and small blobs into memory, verified")
    func fetch() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true, smallBlobLimit: 1 << 20)
        let content = Self.largeContent()
        let descriptor = Descriptor(mediaType: MediaType.ociLayerTar, bytes: Array(content))
        try layout.putBlob(from: try scratch.write(content, to: "in.bin"), descriptor)

        try layout.fetchBlob(descriptor, to: scratch.file("out/copy.bin"))
        #expect(try scratch.read("out/copy.bin") == content)
        #expect(try scratch.contents("out") == ["copy.bin"])

        let tooLarge = #expect(throws: ContentError.self) { try layout.blob(descriptor) }
        #expect(tooLarge?.kind == "invalidContent")
        let small = try layout.putBlob(Data("{}".utf8), mediaType: MediaType.ociEmpty)
        #expect(try layout.blob(small) == Data("{}".utf8))

        // Corrupted on disk: the copy is refused and nothing appears at the destination.
        try scratch.write(Data(content.reversed()), to: "layout/blobs/sha256/\(descriptor.digest.hex)")
        let corrupt = #expect(throws: ContentError.self) { try layout.fetchBlob(descriptor, to: scratch.file("out/bad.bin")) }
        #expect(corrupt?.kind == "invalidContent")
        #expect(try scratch.contents("out") == ["copy.bin"])

        let missing = Descriptor(mediaType: MediaType.ociLayerTar, bytes: Array("absent".utf8))
        #expect((#expect(throws: ContentError.self) { try layout.fetchBlob(missing, to: scratch.file("out/x")) })?.kind == "notFound")
    }

    @Test("a killed writer's temporary file is never taken for the blob, and is cleaned up once stale")
    func leftoverTemporary() throws {
        let scratch = try TemporaryDirectory()
        let layout = try OCILayout(path: scratch.file("layout"), create: true)
        let content = Self.largeContent()
        let descriptor = Descriptor(mediaType: MediaType.ociLayerTar, bytes: Array(content))
        // What AtomicFile leaves when the process dies mid-write: a hidden, partial file beside the blob's name.
        let leftover = "layout/blobs/sha256/.\(descriptor.digest.hex).tmp-Ab12Cd"
        try scratch.write(content.prefix(1 << 20), to: leftover)

        #expect(try !layout.hasBlob(descriptor))
        #expect((#expect(throws: ContentError.self) { try layout.blob(Descriptor(mediaType: "x", digest: descriptor.digest, size: 1 << 20)) })?.kind == "notFound")
        #expect((#expect(throws: ContentError.self) { try layout.resolve(descriptor.digest.description) })?.kind == "notFound")

        // A young one may belong to a live writer: reopening leaves it.
        _ = try OCILayout(path: scratch.file("layout"), create: true)
        #expect(scratch.exists(leftover))

        try layout.putBlob(from: try scratch.write(content, to: "in.bin"), descriptor)
        #expect(try layout.hasBlob(descriptor))
        #expect(try scratch.read("layout/blobs/sha256/\(descriptor.digest.hex)") == content)

        // Two hours old: reopening for writing removes it; the blob stays.
        let old = Date(timeIntervalSinceNow: -7200)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: scratch.file(leftover))
        _ = try OCILayout(path: scratch.file("layout"), create: true)
        #expect(!scratch.exists(leftover))
        #expect(try scratch.contents("layout/blobs/sha256") == [descriptor.digest.hex])

        try scratch.write(Data("partial index".utf8), to: "layout/.index.json.tmp-Zz99Yy")
        #expect(layout.removeStaleTemporaryFiles(olderThan: .zero) == [scratch.file("layout/.index.json.tmp-Zz99Yy")])
        #expect(try layout.index().manifests.isEmpty)
    }
}
