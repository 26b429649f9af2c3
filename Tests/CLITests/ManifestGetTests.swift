import Foundation
import Testing
import TestSupport

/// `ocitool manifest get REF [--platform OS/ARCH[/VARIANT]]` (README "Commands").
@Suite("ocitool manifest get")
struct ManifestGetTests {
    @Test("prints the stored bytes exactly (no trailing newline), by tag and by digest")
    func exactBytes() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("cli/manifest")
        let index = try await registry.pushIndex(repo: repo, tag: "1.0")
        for reference in [registry.reference(repo, "1.0"), registry.reference(repo, index.digest)] {
            let result = try await ocitool("manifest", "get", reference, insecure: [registry])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout == index.bytes, "\(result)")
            #expect(result.stderr.isEmpty)
        }
        let child = index.children[1]
        let result = try await ocitool("manifest", "get", registry.reference(repo, child.digest), insecure: [registry])
        #expect(result.stdout == child.manifest, "\(result)")
    }

    @Test("with tag and digest, the digest wins")
    func digestWinsOverTag() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/digest-wins")
        let tagged = try await registry.pushImage(repo: repo, tag: "v1", layers: [Data("tagged".utf8)])
        let other = try await registry.pushImage(repo: repo, tag: nil, layers: [Data("other".utf8)])
        let result = try await ocitool("manifest", "get", "\(registry.host)/\(repo):v1@\(other.digest)", insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == other.manifest)
        #expect(result.stdout != tagged.manifest)
    }

    @Test("--platform picks that platform's manifest from an index", arguments: [
        // (requested, index platforms, expected child position)
        ("linux/arm64", ["linux/amd64", "linux/arm64"], 1),
        ("linux/amd64", ["linux/amd64", "linux/arm64"], 0),
        ("linux/arm/v7", ["linux/arm/v6", "linux/arm/v7", "linux/amd64"], 1),
        ("linux/arm64/v8", ["linux/amd64", "linux/arm64"], 1),  // arm64 without a variant means v8
        ("linux/arm64", ["linux/amd64", "linux/arm64/v8"], 1),
    ])
    func platform(requested: String, platforms: [String], expected: Int) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/platform")
        let index = try await registry.pushIndex(repo: repo, tag: "1.0", platforms: platforms)
        let result = try await ocitool("manifest", "get", registry.reference(repo, "1.0"), "--platform", requested,
                                       insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == index.children[expected].manifest, "\(result)")
    }

    @Test("--platform through a nested index fetches each manifest once; --stats counts the cache hit")
    func nestedIndexUsesTheCache() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/nested")
        let inner = try await registry.pushIndex(repo: repo, tag: nil)
        let outerBytes = Data(#"{"schemaVersion":2,"mediaType":"\#(MediaTypes.index)","manifests":[\#(inner.described.descriptorJSON(#""platform":{"architecture":"arm64","os":"linux"}"#))]}"#.utf8)
        try await registry.pushManifest(repo: repo, reference: "outer", data: outerBytes, mediaType: MediaTypes.index)

        let result = try await ocitool("manifest", "get", registry.reference(repo, "outer"), "--platform", "linux/arm64",
                                       "--stats", insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == inner.children[1].manifest)
        let fetches = try await registry.requests(matching: "/v2/\(repo)/manifests/\(inner.digest)").filter { $0.method == "GET" }
        #expect(fetches.count == 1, "the inner index is fetched once: \(fetches)")
        let stats = try #require(result.errorLines.first { $0.hasPrefix("stats: ") })
        #expect(stats.contains("cache hits: 1;"), "\(stats)")
    }

    @Test("an unknown platform is exit 3 and lists the available ones")
    func unknownPlatform() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/noplatform")
        _ = try await registry.pushIndex(repo: repo, tag: "1.0", platforms: ["linux/amd64", "linux/arm/v7"])
        let result = try await ocitool("manifest", "get", registry.reference(repo, "1.0"), "--platform", "windows/amd64",
                                       insecure: [registry])
        expectFailure(result, status: 3, mentioning: ["windows/amd64", "linux/amd64", "linux/arm/v7", registry.reference(repo, "1.0")])
    }

    @Test("a malformed --platform is exit 2 before any request", arguments: ["bad", "linux/", "a/b/c/d", "linux/arm 64"])
    func badPlatform(platform: String) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/badplatform")
        let result = try await ocitool("manifest", "get", registry.reference(repo, "1.0"), "--platform", platform, "--debug",
                                       insecure: [registry])
        expectFailure(result, status: 2, mentioning: ["platform", "\"\(platform)\""])
        #expect(!result.stderr.contains("debug:"), "no request was made: \(result)")
    }

    @Test("a manifest whose bytes do not match the digest asked for is exit 3 and nothing is printed")
    func digestMismatch() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/corrupt-manifest")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        try await registry.addFaults([.corrupt(method: "GET", path: "/v2/\(repo)/manifests/")])
        for reference in [registry.reference(repo, image.digest), registry.reference(repo, "v1")] {
            let result = try await ocitool("manifest", "get", reference, insecure: [registry])
            expectFailure(result, status: 3, mentioning: [reference, "digest mismatch"])
        }
        try await registry.clearFaults(matching: repo)
    }
}
