import Foundation
import ImageTransfer
import Mirror
import OCI
import Testing
import TestSupport

/// Trust files carried with a mirror for offline verification.
@Suite("Mirror trust files")
struct MirrorTrustTests {
    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: String(path[..<path.lastIndex(of: "/")!]), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("a directory's regular, non-hidden files, by name; missing files, empty directories and name clashes are refused")
    func load() throws {
        let scratch = try TemporaryDirectory()
        try write("key", scratch.file("dir/cosign.pub"))
        try write("root", scratch.file("dir/trusted_root.json"))
        try write("hidden", scratch.file("dir/.hidden"))
        try FileManager.default.createDirectory(atPath: scratch.file("dir/sub"), withIntermediateDirectories: true)
        let trust = try MirrorTrust.load(directory: scratch.file("dir"))
        #expect(trust.files.map(\.name) == ["cosign.pub", "trusted_root.json"])
        #expect(trust.files[0].data == Data("key".utf8))

        try write("other key", scratch.file("elsewhere/cosign.pub"))
        #expect(throws: MirrorError.self) { try MirrorTrust.load(paths: [scratch.file("dir/cosign.pub"), scratch.file("elsewhere/cosign.pub")]) }
        #expect(throws: MirrorError.self) { try MirrorTrust.load(paths: [scratch.file("dir/missing.pub")]) }
        #expect(throws: MirrorError.self) { try MirrorTrust.load(paths: [scratch.file("dir/sub")]) }
        #expect(throws: MirrorError.self) { try MirrorTrust.load(directory: scratch.file("dir/sub")) }
        #expect(throws: MirrorError.self) { try MirrorTrust.load(directory: scratch.file("nowhere")) }
    }

    @Test("into a layout: DIR/trust/NAME beside index.json; a rerun is fine; other content under the same name is refused before any image")
    func intoLayout() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/trust"))
        _ = try await SignedImage.seed(client, repository)
        let scratch = try TemporaryDirectory()
        try write("key", scratch.file("keys/cosign.pub"))
        try write("rekor", scratch.file("keys/rekor.pub"))
        let trust = try MirrorTrust.load(directory: scratch.file("keys"))
        let layout = scratch.file("layout")

        let out = try await Mirror(client: client, options: MirrorOptions(trust: trust)).run(sources: ["\(repository):1.0"], destination: "oci:\(layout)")
        #expect(out.failed.isEmpty)
        #expect(out.trustFiles == [layout + "/trust/cosign.pub", layout + "/trust/rekor.pub"])
        #expect(FileManager.default.contents(atPath: layout + "/trust/rekor.pub") == Data("rekor".utf8))
        #expect(FileManager.default.fileExists(atPath: layout + "/index.json"))
        _ = try OCILayout(path: layout).names()

        let again = try await Mirror(client: client, options: MirrorOptions(trust: trust)).run(sources: ["\(repository):1.0"], destination: "oci:\(layout)")
        #expect(again.failed.isEmpty)

        try write("another key", scratch.file("other/cosign.pub"))
        let clashing = try MirrorTrust.load(directory: scratch.file("other"))
        await #expect(throws: MirrorError.self) {
            try await Mirror(client: client, options: MirrorOptions(trust: clashing)).run(sources: ["\(repository):1.0"], destination: "oci:\(layout)")
        }
        #expect(FileManager.default.contents(atPath: layout + "/trust/cosign.pub") == Data("key".utf8))
    }

    @Test("a registry destination keeps nothing and reports the source files")
    func registryDestination() async throws {
        let registry = try await TestRegistry.sharedFake()
        let client = makeClient([registry])
        let repository = Repository(registry: registry.host, path: uniqueRepository("mirror/trust-src"))
        _ = try await SignedImage.seed(client, repository)
        let scratch = try TemporaryDirectory()
        try write("key", scratch.file("keys/cosign.pub"))
        let trust = try MirrorTrust.load(directory: scratch.file("keys"))
        let target = "\(registry.host)/\(uniqueRepository("mirror/trust-dst"))"
        let out = try await Mirror(client: client, options: MirrorOptions(trust: trust)).run(sources: ["\(repository):1.0"], destination: target)
        #expect(out.failed.isEmpty && out.trustFiles == [scratch.file("keys/cosign.pub")])
    }
}
