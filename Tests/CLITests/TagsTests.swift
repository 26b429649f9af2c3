import Foundation
import Testing
import TestSupport

/// `ocitool tags REPO` (README "Commands").
@Suite("ocitool tags")
struct TagsTests {
    @Test("prints every tag, one per line, following every Link page")
    func everyPage() async throws {
        // Page size 3, not 2: RegistryClientTests counts every tag-list request of the page-size-2 fake.
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(pageSize: 3))
        let repo = uniqueRepository("cli/tags")
        let image = try await registry.pushImage(repo: repo, tag: "a")
        let tags = ["a", "b", "c", "d", "e", "v1.0", "v1.1"]
        for tag in tags.dropFirst() {
            try await registry.pushManifest(repo: repo, reference: tag, data: image.manifest, mediaType: SeededImage.mediaType)
        }
        var result: CLIResult?
        let pages = try await registry.requests(matching: "/v2/\(repo)/tags/list") {
            result = try await ocitool("tags", "\(registry.host)/\(repo)", insecure: [registry])
        }
        let output = try #require(result)
        #expect(output.status == 0, "\(output)")
        #expect(output.output == tags.map { $0 + "\n" }.joined(), "\(output)")
        #expect(output.stderr.isEmpty)
        #expect(pages.count == 3, "seven tags, three per page: \(pages.map(\.query))")
    }

    @Test("works against docker-registry")
    func dockerRegistry() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("cli/tags-docker")
        let image = try await registry.pushImage(repo: repo, tag: "1.0")
        try await registry.pushManifest(repo: repo, reference: "latest", data: image.manifest, mediaType: SeededImage.mediaType)
        let result = try await ocitool("tags", "\(registry.host)/\(repo)", insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.output.split(separator: "\n").sorted() == ["1.0", "latest"], "\(result)")
    }

    @Test("a tag or digest reference is a usage error (exit 2)", arguments: [":v1", "@sha256:" + String(repeating: "a", count: 64)])
    func notARepository(suffix: String) async throws {
        let registry = try await TestRegistry.sharedFake()
        let reference = "\(registry.host)/\(uniqueRepository("cli/tags-ref"))\(suffix)"
        let result = try await ocitool("tags", reference, "--debug", insecure: [registry])
        expectFailure(result, status: 2, mentioning: [reference])
        #expect(result.errorLines.last?.contains("ocitool tags --help") == true, "\(result)")
        #expect(!result.stderr.contains("debug:"), "no request was made: \(result)")
    }

    @Test("an unknown repository is exit 3, naming it")
    func unknownRepository() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repository = "\(registry.host)/\(uniqueRepository("cli/tags-none"))"
        let result = try await ocitool("tags", repository, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [repository, "not found"])
    }
}
