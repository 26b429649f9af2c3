import Foundation
import RegistryClient
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// Checks that the test harness itself works: both registries start, seed, count and misbehave on demand.
@Suite("HarnessSmoke")
struct HarnessSmokeTests {
    @Test func dockerRegistryStoresWhatIsPushed() async throws {
        let registry = try await TestRegistry.sharedDocker()
        let repo = uniqueRepository("smoke/docker")
        let image = try await registry.pushImage(repo: repo, tag: "v1", layers: [Data("a".utf8), Data("b".utf8)])
        let fetched = try #require(try await registry.fetchManifest(repo: repo, reference: "v1"))
        #expect(fetched.data == image.manifest)
        #expect(fetched.digest == image.digest)
        #expect(try await registry.tags(repo: repo) == ["v1"])
        #expect(try await registry.fetchBlob(repo: repo, digest: image.layerDigests[1]) == Data("b".utf8))
        #expect(try await registry.fetchManifest(repo: repo, reference: "missing") == nil)
    }

    @Test func fakeRegistryCountsRequests() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("smoke/count")
        let blob = Data("hello".utf8)
        let digest = try await registry.pushBlob(repo: repo, data: blob)
        #expect(digest == "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        let manifest = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(digest)","size":5},"layers":[]}"#.utf8)
        try await registry.pushManifest(repo: repo, reference: "latest", data: manifest,
                                        mediaType: "application/vnd.oci.image.manifest.v1+json")
        let seen = try await registry.requests(matching: repo)
        #expect(seen.map(\.method) == ["POST", "PUT", "PUT"])
        #expect(seen.map(\.status) == [202, 201, 201])
        #expect(seen.allSatisfy { $0.port == registry.port && !$0.authorization && $0.fault == nil })
    }

    @Test func bearerTokensAreScopedToOneRepository() async throws {
        let registry = try await TestRegistry.sharedFake(.init(auth: .bearer))
        let repo = uniqueRepository("smoke/bearer")
        let image = try await registry.pushImage(repo: repo, tag: "v1")

        let url = registry.baseURL.appendingPathComponent("v2/\(repo)/manifests/v1")
        let (_, challenged) = try await get(url)
        #expect(challenged.statusCode == 401)
        let header = try #require(challenged.value(forHTTPHeaderField: "WWW-Authenticate"))
        let challenge = try #require(AuthChallenge(header: header))
        #expect(challenge.scheme == .bearer)
        #expect(challenge.parameters["scope"] == "repository:\(repo):pull")
        #expect(challenge.parameters["service"] == "fake-registry")

        let realm = try #require(challenge.parameters["realm"])
        var token = try #require(URLComponents(string: realm))
        token.queryItems = [URLQueryItem(name: "service", value: "fake-registry"),
                            URLQueryItem(name: "scope", value: "repository:\(repo):pull")]
        let basic = "Basic " + Data("tester:tester-password".utf8).base64EncodedString()
        let (tokenBody, tokenResponse) = try await get(try #require(token.url), authorization: basic)
        #expect(tokenResponse.statusCode == 200)
        let value = try JSONDecoder().decode(TokenAnswer.self, from: tokenBody).token

        let (manifest, allowed) = try await get(url, authorization: "Bearer \(value)")
        #expect(allowed.statusCode == 200)
        #expect(manifest == image.manifest)
        let other = registry.baseURL.appendingPathComponent("v2/\(uniqueRepository("smoke/other"))/manifests/v1")
        #expect(try await get(other, authorization: "Bearer \(value)").1.statusCode == 401)
        let wrongPassword = "Basic " + Data("tester:nope".utf8).base64EncodedString()
        let (_, wrong) = try await get(try #require(token.url), authorization: wrongPassword)
        #expect(wrong.statusCode == 401)
    }

    @Test func injectedUnavailableThenPassesThrough() async throws {
        let registry = try await TestRegistry.sharedFake()
        let repo = uniqueRepository("smoke/fault")
        let digest = try await registry.pushBlob(repo: repo, data: Data("payload".utf8))
        try await registry.addFaults([.status(503, method: "GET", path: "/v2/\(repo)/blobs/", retryAfter: "1", times: 1)])
        let url = registry.baseURL.appendingPathComponent("v2/\(repo)/blobs/\(digest)")
        let (_, first) = try await get(url)
        #expect(first.statusCode == 503)
        #expect(first.value(forHTTPHeaderField: "Retry-After") == "1")
        let (body, second) = try await get(url)
        #expect(second.statusCode == 200)
        #expect(body == Data("payload".utf8))
        #expect(try await registry.requests(matching: repo).compactMap(\.fault) == [.status])
    }

    @Test(arguments: FakeRegistryOptions.ReferrersMode.allCases)
    func referrersModes(mode: FakeRegistryOptions.ReferrersMode) async throws {
        let registry = try await TestRegistry.sharedFake(.init(referrers: mode))
        let repo = uniqueRepository("smoke/referrers")
        let subject = try await registry.pushImage(repo: repo, tag: "v1")
        let configDigest = try await registry.pushBlob(repo: repo, data: Data("{}".utf8))
        let referrer = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/example","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(configDigest)","size":2},"layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(subject.digest)","size":\#(subject.manifest.count)}}"#.utf8)
        var put = URLRequest(url: registry.baseURL.appendingPathComponent("v2/\(repo)/manifests/\(sha256Digest(referrer))"))
        put.httpMethod = "PUT"
        put.setValue("application/vnd.oci.image.manifest.v1+json", forHTTPHeaderField: "Content-Type")
        let (_, stored) = try await URLSession.shared.upload(for: put, from: referrer)
        let subjectHeader = (stored as? HTTPURLResponse)?.value(forHTTPHeaderField: "OCI-Subject")
        #expect(subjectHeader == (mode == .api ? subject.digest : nil))

        let (body, listed) = try await get(registry.baseURL.appendingPathComponent("v2/\(repo)/referrers/\(subject.digest)"))
        switch mode {
        case .api:
            #expect(listed.statusCode == 200)
            #expect(String(decoding: body, as: UTF8.self).contains(sha256Digest(referrer)))
        case .notFound: #expect(listed.statusCode == 404)
        case .badRequest: #expect(listed.statusCode == 400)
        case .notAcceptable: #expect(listed.statusCode == 406)
        case .unauthorizedWithoutChallenge:
            #expect(listed.statusCode == 401)
            #expect(listed.value(forHTTPHeaderField: "WWW-Authenticate") == nil)
        }
    }

    @Test func runProcessCollectsOutputsAndStatus() throws {
        let result = try runProcess("/bin/sh", ["-c", "cat; echo oops >&2; exit 3"], stdin: Data("in".utf8))
        #expect(result.status == 3)
        #expect(result.stdout == Data("in".utf8))
        #expect(result.stderr == "oops\n")
    }

    private struct TokenAnswer: Decodable {
        var token: String
    }

    private func get(_ url: URL, authorization: String? = nil) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: url)
        request.cachePolicy = .reloadIgnoringLocalCacheData
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, try #require(response as? HTTPURLResponse))
    }
}
