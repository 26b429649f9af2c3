import Foundation
import OCI
import RegistryClient
import Testing
import TestSupport

@Suite("Faults: retries, cut connections, corrupt content, hostile answers")
struct FaultTests {
    @Test("429 with Retry-After and 503s are retried until the registry answers", arguments: [
        FaultRule.status(429, method: "GET", path: "PLACEHOLDER", retryAfter: "1", times: 1),
        FaultRule.status(503, method: "GET", path: "PLACEHOLDER", times: 2),
        FaultRule.status(502, method: "GET", path: "PLACEHOLDER", times: 3),
    ])
    func retried(rule: FaultRule) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("retry")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        var scoped = rule
        scoped.path = "/v2/\(repo)/manifests/.*"
        try await registry.addFaults([scoped])
        let started = ContinuousClock.now
        let document = try await makeClient([registry]).manifest(try Reference(parsing: registry.reference(repo, "v1")))
        #expect(document.digest.description == image.digest)
        let gets = try await registry.requests(matching: "/v2/\(repo)/manifests/").filter { $0.method == "GET" }
        #expect(gets.count == (rule.times ?? 0) + 1)
        if rule.retryAfter != nil { #expect(ContinuousClock.now - started >= .seconds(1)) }
    }

    @Test("a registry that keeps failing is reported after a bounded number of tries")
    func givesUp() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("giveup")
        _ = try await registry.pushImage(repo: repo, tag: "v1")
        try await registry.addFaults([.status(503, method: "GET", path: "/v2/\(repo)/manifests/.*", times: 100)])
        await #expect {
            _ = try await makeClient([registry]).manifest(try Reference(parsing: registry.reference(repo, "v1")))
        } throws: { error in
            guard case RegistryError.unexpectedStatus(503, _, _, _) = error else { return false }
            return true
        }
        #expect(try await registry.requests(matching: "/v2/\(repo)/manifests/").filter { $0.method == "GET" }.count == 4)
        try await registry.clearFaults(matching: repo)
    }

    @Test("a connection cut mid-blob is retried and the blob arrives whole")
    func cutMidBlob() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("cut")
        let content = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 13) })
        let digest = try Digest(parsing: try await registry.pushBlob(repo: repo, data: content))
        try await registry.addFaults([.cut(method: "GET", path: "/v2/\(repo)/blobs/.*", times: 1)])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueRepository("cutdl"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("blob").path
        try await makeClient([registry]).downloadBlob(digest, in: try Repository(parsing: "\(registry.host)/\(repo)"), to: path)
        #expect(FileManager.default.contents(atPath: path) == content)
        #expect(try await registry.requests(matching: "/v2/\(repo)/blobs/").filter { $0.method == "GET" }.count == 2)
    }

    @Test("a blob whose bytes do not match its digest is an error and leaves no file")
    func corruptBlob() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("corrupt")
        let digest = try Digest(parsing: try await registry.pushBlob(repo: repo, data: Data(repeating: 1, count: 5_000)))
        try await registry.addFaults([.corrupt(method: "GET", path: "/v2/\(repo)/blobs/.*")])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueRepository("corruptdl"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        await #expect {
            try await makeClient([registry]).downloadBlob(digest, in: try Repository(parsing: "\(registry.host)/\(repo)"),
                                                         to: directory.appendingPathComponent("blob").path)
        } throws: { error in
            guard case RegistryError.invalidContent(_, .digestMismatch(let expected, _)) = error else { return false }
            return expected == digest
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        try await registry.clearFaults(matching: repo)
    }

    @Test("hostile manifests are refused", arguments: [
        ("not json", "text/plain", "not a JSON manifest"),
        ("{\"schemaVersion\":1,\"name\":\"x\"}", "application/json", "schema 1"),
        ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}", "application/vnd.oci.image.manifest.v1+json", "missing field config"),
    ])
    func hostileManifest(body: String, type: String, expected: String) async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("hostile")
        try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(repo)/manifests/.*", headers: ["Content-Type": type], body: body)])
        await #expect {
            _ = try await makeClient([registry]).manifest(try Reference(parsing: registry.reference(repo, "v1")))
        } throws: { error in
            guard case RegistryError.invalidContent = error else { return false }
            return "\(error)".contains(expected)
        }
        try await registry.clearFaults(matching: repo)
    }

    @Test("a manifest over 4 MiB is refused")
    func oversizedManifest() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("huge")
        let huge = "{\"schemaVersion\":2,\"pad\":\"" + String(repeating: "x", count: 4 << 20) + "\"}"
        try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(repo)/manifests/.*",
                                              headers: ["Content-Type": MediaType.ociManifest], body: huge)])
        await #expect {
            _ = try await makeClient([registry]).manifest(try Reference(parsing: registry.reference(repo, "v1")))
        } throws: { error in
            guard case RegistryError.invalidContent(_, .manifestTooLarge) = error else { return false }
            return true
        }
        try await registry.clearFaults(matching: repo)
    }

    @Test("a manifest fetched by digest must hash to that digest")
    func manifestDigestMismatch() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("mismatch")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let other = try await registry.pushImage(repo: repo, tag: "v2", layers: [Data("other".utf8)])
        try await registry.addFaults([.status(200, method: "GET", path: "/v2/\(repo)/manifests/\(image.digest)",
                                              headers: ["Content-Type": SeededImage.mediaType],
                                              body: String(decoding: other.manifest, as: UTF8.self))])
        await #expect {
            _ = try await makeClient([registry]).manifest(try Reference(parsing: registry.reference(repo, image.digest)))
        } throws: { error in
            guard case RegistryError.invalidContent(_, .digestMismatch) = error else { return false }
            return true
        }
        try await registry.clearFaults(matching: repo)
    }

    @Test("unknown hosts and refused connections are transport errors")
    func unreachable() async throws {
        let client = makeClient([])
        await #expect {
            _ = try await client.manifest(try Reference(parsing: "nonexistent.invalid/x:1"))
        } throws: { error in
            guard case RegistryError.transport(.unknownHost) = error else { return false }
            return true
        }
        let refused = makeClient([]), port = try freeLoopbackPort()
        await #expect {
            _ = try await refused.manifest(try Reference(parsing: "127.0.0.1:\(port)/x:1"))
        } throws: { error in
            guard case RegistryError.transport(.connectionRefused) = error else { return false }
            return true
        }
    }
}
