import Foundation
import Testing
import TestSupport

/// Registry and network failures: exit 3 with one `ocitool: error:` line naming what failed (README "Exit codes").
@Suite("Registry and network failures")
struct FailureTests {
    @Test("an unknown host is exit 3 naming it")
    func unknownHost() async throws {
        let result = try await ocitool("digest", "nonexistent.invalid/repo:v1")
        expectFailure(result, status: 3, mentioning: ["nonexistent.invalid"])
    }

    @Test("a refused connection is exit 3 naming host and port")
    func refused() async throws {
        let port = try closedLoopbackPort()
        let result = try await ocitool("digest", "127.0.0.1:\(port)/repo:v1",
                                       environment: ["OCITOOL_INSECURE_REGISTRIES": "127.0.0.1:\(port)"])
        expectFailure(result, status: 3, mentioning: ["127.0.0.1:\(port)"])
    }

    @Test("a missing manifest is exit 3 naming the reference, for every command that reads one")
    func manifestNotFound() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("cli/notfound")
        _ = try await registry.pushImage(repo: repo, tag: "v1")
        let reference = registry.reference(repo, "v2")
        for arguments in [["digest", reference], ["manifest", "get", reference], ["referrers", reference],
                          ["copy", reference, "\(registry.host)/\(repo)-copy"]] {
            let result = try await ocitool(arguments, insecure: [registry])
            expectFailure(result, status: 3, mentioning: [reference, "not found"])
        }
    }

    @Test("a manifest that is not JSON is exit 3 naming the reference", arguments: [
        ("application/vnd.oci.image.manifest.v1+json", "garbage"),
        ("text/html", "<html>Welcome</html>"),
        ("application/vnd.oci.image.manifest.v1+json", #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}"#),
        ("application/vnd.docker.distribution.manifest.v1+json", #"{"schemaVersion":1,"name":"x","tag":"v1"}"#),
    ])
    func notAManifest(contentType: String, body: String) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/garbage")
        try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(repo)/manifests/",
                                              headers: ["Content-Type": contentType], body: body)])
        let reference = registry.reference(repo, "v1")
        let result = try await ocitool("manifest", "get", reference, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [reference])
        try await registry.clearFaults(matching: repo)
    }

    @Test("a registry error message is passed on with the status", arguments: [500, 400])
    func serverError(status: Int) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/server-error")
        try await registry.addFaults([.status(status, method: "GET", path: "/v2/\(repo)/manifests/")])
        let result = try await ocitool("manifest", "get", registry.reference(repo, "v1"), insecure: [registry])
        expectFailure(result, status: 3, mentioning: ["\(status)", "injected fault"])
        try await registry.clearFaults(matching: repo)
    }

    @Test("a 403 is exit 3 saying access was denied")
    func denied() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/denied")
        try await registry.addFaults([.status(403, method: "GET", path: "/v2/\(repo)/manifests/")])
        let result = try await ocitool("manifest", "get", registry.reference(repo, "v1"), insecure: [registry])
        expectFailure(result, status: 3, mentioning: [repo, "denied"])
        try await registry.clearFaults(matching: repo)
    }
}
