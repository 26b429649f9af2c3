import Foundation
import Testing
import TestSupport

/// `ocitool digest REF` (README "Commands").
@Suite("ocitool digest")
struct DigestTests {
    @Test("prints exactly the digest and a newline, by tag and by digest, from HEAD requests only")
    func tagAndDigest() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/digest")
        let image = try await registry.pushImage(repo: repo, tag: "v1")

        let logged = try await registry.requests(matching: "/v2/\(repo)/") {
            for reference in [registry.reference(repo, "v1"), registry.reference(repo, image.digest)] {
                let result = try await ocitool("digest", reference, insecure: [registry])
                #expect(result.status == 0, "\(result)")
                #expect(result.output == image.digest + "\n")
                #expect(result.stderr.isEmpty)
            }
        }
        let methods = logged.map(\.method)
        #expect(methods == ["HEAD", "HEAD"], "digest asks with HEAD: \(methods)")
    }

    @Test("works against docker-registry")
    func dockerRegistry() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("cli/digest-docker")
        let index = try await registry.pushIndex(repo: repo, tag: "1.0")
        let result = try await ocitool("digest", registry.reference(repo, "1.0"), insecure: [registry])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == index.digest + "\n")
    }

    @Test("a reference without tag or digest means :latest")
    func defaultTag() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/latest")
        let image = try await registry.pushImage(repo: repo, tag: "latest")
        let logged = try await registry.requests(matching: "/v2/\(repo)/") {
            let result = try await ocitool("digest", "\(registry.host)/\(repo)", insecure: [registry])
            #expect(result.status == 0, "\(result)")
            #expect(result.output == image.digest + "\n")
        }
        #expect(logged.map(\.path) == ["/v2/\(repo)/manifests/latest"])
    }

    @Test("`localhost:PORT` is a registry, not a repository path")
    func localhostIsARegistry() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/localhost")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let result = try await ocitool("digest", "localhost:\(registry.port)/\(repo):v1",
                                       environment: ["OCITOOL_INSECURE_REGISTRIES": "localhost:\(registry.port)"])
        #expect(result.status == 0, "\(result)")
        #expect(result.output == image.digest + "\n")
    }

    @Test("a missing tag is exit 3, naming the reference")
    func notFound() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/digest-missing")
        let reference = registry.reference(repo, "nope")
        let result = try await ocitool("digest", reference, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [reference, "not found"])
    }
}
