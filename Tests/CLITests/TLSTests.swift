import Foundation
import Testing
import TestSupport

/// TLS verification: `--ca-file` and the unverified HTTPS that `--insecure-registry` allows (README "Global options").
@Suite("TLS")
struct TLSTests {
    static func seeded() async throws -> (TestRegistry, String, SeededImage, Sandbox, TLSFront) {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/tls")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let sandbox = try Sandbox()
        let front = try await TLSFront.start(for: registry, in: sandbox)
        return (registry, repo, image, sandbox, front)
    }

    @Test("--ca-file makes a registry with a private CA verifiable")
    func caFile() async throws {
        let (registry, repo, image, sandbox, front) = try await Self.seeded()
        var result: CLIResult?
        let logged = try await registry.requests(matching: "/v2/\(repo)/") {
            result = try await ocitool("--ca-file", front.certificate.path, "manifest", "get", "\(front.host)/\(repo):v1", sandbox: sandbox)
        }
        let run = try #require(result)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == image.manifest)
        #expect(logged.map(\.method) == ["GET"], "the request went through the TLS front")
        front.stop()
    }

    @Test("without --ca-file the certificate is refused: exit 3, naming the registry and the options that help")
    func unverified() async throws {
        let (_, repo, _, sandbox, front) = try await Self.seeded()
        let result = try await ocitool("digest", "\(front.host)/\(repo):v1", sandbox: sandbox)
        expectFailure(result, status: 3, mentioning: [front.host, "TLS", "--ca-file", "--insecure-registry"])
        front.stop()
    }

    @Test("--insecure-registry speaks HTTPS without verifying the certificate")
    func insecureHTTPS() async throws {
        let (_, repo, image, sandbox, front) = try await Self.seeded()
        // The front only speaks TLS, so success means HTTPS was used, unverified.
        let result = try await ocitool("digest", "\(front.host)/\(repo):v1", "--insecure-registry", front.host, sandbox: sandbox)
        #expect(result.status == 0, "\(result)")
        #expect(result.output == image.digest + "\n")
        front.stop()
    }
}
