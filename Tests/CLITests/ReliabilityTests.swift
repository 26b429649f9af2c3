import Foundation
import Testing
import TestSupport

/// README "Reliability": retries, limits.
@Suite("Reliability")
struct ReliabilityTests {
    @Test("429, 502, 503, 504 and dropped connections are retried until the registry answers", arguments: [429, 502, 503, 504, 0])
    func retried(status: Int) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/retry")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let path = "/v2/\(repo)/manifests/"
        let fault: FaultRule = status == 0 ? .cut(method: "GET", path: path, times: 2)
            : .status(status, method: "GET", path: path, retryAfter: "0", times: 2)
        try await registry.addFaults([fault])
        var result: CLIResult?
        let logged = try await registry.requests(matching: path) {
            result = try await ocitool("manifest", "get", registry.reference(repo, "v1"), insecure: [registry])
        }
        let run = try #require(result)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == image.manifest)
        #expect(logged.count == 3, "two failures, then success: \(logged)")
        try await registry.clearFaults(matching: repo)
    }

    @Test("at most 4 tries, then exit 3 naming the status")
    func givesUp() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/giveup")
        let path = "/v2/\(repo)/manifests/"
        try await registry.addFaults([.status(503, method: "GET", path: path, retryAfter: "0")])
        var result: CLIResult?
        let logged = try await registry.requests(matching: path) {
            result = try await ocitool("manifest", "get", registry.reference(repo, "v1"), insecure: [registry])
        }
        expectFailure(try #require(result), status: 3, mentioning: ["503"])
        #expect(logged.count == 4)
        try await registry.clearFaults(matching: repo)
    }

    @Test("500 is not retried")
    func notRetried() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/noretry")
        let path = "/v2/\(repo)/manifests/"
        try await registry.addFaults([.status(500, method: "GET", path: path)])
        var result: CLIResult?
        let logged = try await registry.requests(matching: path) {
            result = try await ocitool("manifest", "get", registry.reference(repo, "v1"), insecure: [registry])
        }
        expectFailure(try #require(result), status: 3, mentioning: ["500"])
        #expect(logged.count == 1)
        try await registry.clearFaults(matching: repo)
    }

    @Test("Retry-After is honoured")
    func retryAfter() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/retry-after")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        try await registry.addFaults([.status(429, method: "HEAD", path: "/v2/\(repo)/manifests/", retryAfter: "1", times: 1)])
        let started = ContinuousClock.now
        let result = try await ocitool("digest", registry.reference(repo, "v1"), insecure: [registry])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 0, "\(result)")
        #expect(result.output == image.digest + "\n")
        #expect(elapsed >= .milliseconds(950), "waited \(elapsed)")
        try await registry.clearFaults(matching: repo)
    }

    @Test("a manifest over 4 MiB is refused (exit 3)")
    func oversizedManifest() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/huge")
        let huge = #"{"schemaVersion":2,"pad":""# + String(repeating: "x", count: 4 << 20) + #""}"#
        try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(repo)/manifests/",
                                              headers: ["Content-Type": MediaTypes.manifest], body: huge)])
        let reference = registry.reference(repo, "v1")
        let result = try await ocitool("manifest", "get", reference, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [reference, "limit"])
        try await registry.clearFaults(matching: repo)
    }

    @Test("an index over 10,000 entries is refused (exit 3)")
    func oversizedIndex() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cli/wide")
        let entry = #"{"mediaType":"\#(MediaTypes.manifest)","digest":"sha256:\#(String(repeating: "a", count: 64))","size":1}"#
        let index = #"{"schemaVersion":2,"mediaType":"\#(MediaTypes.index)","manifests":["#
            + Array(repeating: entry, count: 10_001).joined(separator: ",") + "]}"
        try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(repo)/manifests/",
                                              headers: ["Content-Type": MediaTypes.index], body: index)])
        let reference = registry.reference(repo, "v1")
        let result = try await ocitool("manifest", "get", reference, insecure: [registry])
        expectFailure(result, status: 3, mentioning: [reference, "10000"])
        try await registry.clearFaults(matching: repo)
    }
}
