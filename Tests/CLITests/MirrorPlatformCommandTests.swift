import Foundation
import Testing
import TestSupport

/// `ocitool mirror --platform` and `--rewrite-index`.
@Suite("ocitool mirror --platform")
struct MirrorPlatformCommandTests {
    /// A two-platform index tagged v1 in a fresh repository; the amd64 manifest and the index are signed.
    func seedIndex(_ registry: TestRegistry, _ keys: KeyPair, sandbox: Sandbox) async throws -> (repo: String, index: String, amd64: String, arm64: String) {
        let repo = uniqueRepository("cli/mirror-platform")
        let amd64 = try await registry.pushImage(repo: repo, tag: nil, layers: [Data("amd64 \(repo)".utf8)])
        let arm64 = try await registry.pushImage(repo: repo, tag: nil, layers: [Data("arm64 \(repo)".utf8)])
        func entry(_ image: SeededImage, _ architecture: String) -> String {
            #"{"mediaType":"\#(SeededImage.mediaType)","digest":"\#(image.digest)","size":\#(image.manifest.count),"platform":{"os":"linux","architecture":"\#(architecture)"}}"#
        }
        let index = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[\#(entry(amd64, "amd64")),\#(entry(arm64, "arm64"))]}"#.utf8)
        let digest = try await registry.pushManifest(repo: repo, reference: "v1", data: index, mediaType: "application/vnd.oci.image.index.v1+json")
        for target in [digest, amd64.digest] {
            _ = try await ocitoolSucceeding(["sign", "--key", keys.privateKey, registry.reference(repo, target)], insecure: [registry], sandbox: sandbox)
        }
        return (repo, digest, amd64.digest, arm64.digest)
    }

    @Test("--rewrite-index: a new index of the chosen platform, both digests reported, its platform signature still verifies")
    func rewrite() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let keys = try await generateKeyPair(sandbox)
        let seeded = try await seedIndex(registry, keys, sandbox: sandbox)
        let target = "\(registry.host)/\(uniqueRepository("cli/mirror-platform-dst"))"

        let refused = try await ocitool(["mirror", "--platform", "linux/amd64", registry.reference(seeded.repo, "v1"), target], insecure: [registry], sandbox: sandbox)
        expectFailure(refused, status: 2, mentioning: ["--rewrite-index", "oci:DIR"])

        let out = try await ocitool(["mirror", "--platform", "linux/amd64", "--rewrite-index", "-o", "json", registry.reference(seeded.repo, "v1"), target],
                                    insecure: [registry], sandbox: sandbox)
        #expect(out.status == 0, "\(out)")
        let image = try #require((jsonObject(out.stdout)?["images"] as? [[String: Any]])?.first, "\(out)")
        let newDigest = try #require(image["digest"] as? String)
        #expect(newDigest != seeded.index && image["originalDigest"] as? String == seeded.index, "\(image)")
        #expect(image["platforms"] as? [String] == ["linux/amd64"])
        #expect(out.stderr.contains("index rewritten to linux/amd64 from \(seeded.index)"), "\(out)")
        #expect(out.stderr.contains("signatures of the original index do not apply"), "\(out)")
        let tagged = try await ocitool(["digest", "\(target):v1"], insecure: [registry], sandbox: sandbox)
        #expect(tagged.output == newDigest + "\n", "\(tagged)")
        let verified = try await ocitool(["verify", "--key", keys.publicKey, "--insecure-ignore-tlog", "\(target)@\(seeded.amd64)"], insecure: [registry], sandbox: sandbox)
        #expect(verified.status == 0, "\(verified)")
        #expect(try await registry.fetchManifest(repo: String(target.dropFirst(registry.host.count + 1)), reference: seeded.arm64) == nil)
    }

    @Test("--platform into a layout: the original index, only the chosen manifests, reported partial")
    func partialLayout() async throws {
        let sandbox = try Sandbox()
        let registry = try await TestRegistry.sharedFake()
        let keys = try await generateKeyPair(sandbox)
        let seeded = try await seedIndex(registry, keys, sandbox: sandbox)
        let layout = sandbox.path("layout").path
        let out = try await ocitool(["mirror", "--platform", "linux/arm64", "-o", "json", registry.reference(seeded.repo, "v1"), "oci:\(layout)"],
                                    insecure: [registry], sandbox: sandbox)
        #expect(out.status == 0, "\(out)")
        let image = try #require((jsonObject(out.stdout)?["images"] as? [[String: Any]])?.first, "\(out)")
        #expect(image["digest"] as? String == seeded.index && image["partial"] as? Bool == true, "\(image)")
        #expect(out.stderr.contains("1 image(s) partial"), "\(out)")
        let blobs = layout + "/blobs/sha256/"
        #expect(FileManager.default.fileExists(atPath: blobs + seeded.arm64.dropFirst(7)))
        #expect(!FileManager.default.fileExists(atPath: blobs + seeded.amd64.dropFirst(7)))
    }

    @Test("bad platform options are exit 2", arguments: [
        (["--platform", "linux"], "--platform takes OS/ARCH"),
        (["--rewrite-index"], "--rewrite-index needs --platform"),
    ])
    func usage(options: [String], message: String) async throws {
        let result = try await ocitool(["mirror"] + options + ["127.0.0.1:1/app:1", "oci:/tmp/never-written"])
        expectFailure(result, status: 2, mentioning: [message])
    }
}
