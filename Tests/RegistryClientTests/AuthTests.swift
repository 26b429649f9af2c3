import Foundation
import OCI
import RegistryClient
import Testing
import TestSupport

@Suite("Authentication")
struct AuthTests {
    @Test("bearer tokens are fetched with the credentials, once per repository and action")
    func bearerWithCredentials() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .bearer))
        let (user, password) = try #require(registry.credentials)
        let repo = uniqueRepository("bearer")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let seedingTokens = try await registry.requests(matching: repo).filter { $0.path == "/token" }.count
        let client = makeClient([registry], credentials: StaticCredentials(registry: registry.host, user: user, password: password))
        let reference = try Reference(parsing: registry.reference(repo, "v1"))
        let document = try await client.manifest(reference)
        #expect(document.digest.description == image.digest)
        for blob in document.blobs { _ = try await client.blob(blob, in: reference.repository) }
        // Push needs a wider token.
        let target = try Repository(parsing: "\(registry.host)/\(repo)-copy")
        for blob in document.blobs {
            try await client.uploadBlob(blob.digest, size: blob.size, body: .data(try await client.blob(blob, in: reference.repository)), to: target)
        }
        let tokens = try await registry.requests(matching: repo).filter { $0.path == "/token" }.dropFirst(seedingTokens)
        let scopes = tokens.map(\.query)
        #expect(tokens.count == 2, "one pull token for \(repo), one push token for the copy: \(scopes)")
        #expect(tokens.allSatisfy { $0.authorization }, "token requests carry the credentials")
    }

    @Test("anonymous pull works where the token service allows it; push is refused")
    func anonymous() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .bearer, anonymousPull: true))
        let repo = uniqueRepository("anon")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let client = makeClient([registry])
        let reference = try Reference(parsing: registry.reference(repo, "v1"))
        #expect(try await client.manifest(reference).digest.description == image.digest)
        await #expect {
            try await client.deleteManifest(reference.withDigest(try Digest(parsing: image.digest)))
        } throws: { error in
            guard case RegistryError.unauthorized = error else { return false }
            return true
        }
    }

    @Test("wrong credentials are reported as unauthorized, naming the registry")
    func wrongPassword() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .bearer))
        let client = makeClient([registry], credentials: StaticCredentials(registry: registry.host, user: "tester", password: "wrong"))
        let reference = try Reference(parsing: registry.reference(uniqueRepository("wrong"), "v1"))
        await #expect {
            _ = try await client.manifest(reference)
        } throws: { error in
            guard case RegistryError.unauthorized(let host, _, _) = error else { return false }
            return host == registry.host && "\(error)".contains("ocitool login")
        }
    }

    @Test("basic auth registries get the credentials")
    func basic() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .basic))
        let (user, password) = try #require(registry.credentials)
        let repo = uniqueRepository("basic")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let client = makeClient([registry], credentials: StaticCredentials(registry: registry.host, user: user, password: password))
        #expect(try await client.manifest(try Reference(parsing: registry.reference(repo, "v1"))).digest.description == image.digest)
        let anonymous = makeClient([registry])
        await #expect(throws: RegistryError.self) {
            _ = try await anonymous.manifest(try Reference(parsing: registry.reference(repo, "v1")))
        }
    }

    @Test("a blob redirected to another host is fetched without forwarding Authorization")
    func redirectDropsAuthorization() async throws {
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .bearer))
        let (user, password) = try #require(registry.credentials)
        let repo = uniqueRepository("cdn")
        let image = try await registry.pushImage(repo: repo, tag: "v1", layers: [Data("served from the cdn".utf8)])
        try await registry.addFaults([.redirect(method: "GET", path: "/v2/\(repo)/blobs/.*")])
        let client = makeClient([registry], credentials: StaticCredentials(registry: registry.host, user: user, password: password))
        let repository = try Repository(parsing: "\(registry.host)/\(repo)")
        let layer = try Digest(parsing: image.layerDigests[0])
        let data = try await client.blob(Descriptor(mediaType: MediaType.ociLayerTar, digest: layer, size: 19), in: repository)
        #expect(data == Data("served from the cdn".utf8))
        let atCDN = try await registry.requests(matching: "/v2/\(repo)/blobs/").filter { $0.port == registry.cdnPort }
        #expect(atCDN.count == 1)
        #expect(atCDN.allSatisfy { !$0.authorization })
        try await registry.clearFaults(matching: repo)
    }

    @Test("an expired token is replaced and the request still succeeds")
    func expiredToken() async throws {
        // 2 s: short enough to expire during the test, long enough for the harness's own seeding on a loaded machine.
        let registry = try await TestRegistry.sharedFake(FakeRegistryOptions(auth: .bearer, tokenExpiresIn: 2))
        let (user, password) = try #require(registry.credentials)
        let repo = uniqueRepository("expiry")
        let image = try await registry.pushImage(repo: repo, tag: "v1")
        let seedingTokens = try await registry.requests(matching: repo).filter { $0.path == "/token" }.count
        let client = makeClient([registry], credentials: StaticCredentials(registry: registry.host, user: user, password: password))
        let reference = try Reference(parsing: registry.reference(repo, "v1"))
        _ = try await client.manifestDescriptor(reference)
        try await Task.sleep(for: .milliseconds(2_500))
        #expect(try await client.manifestDescriptor(reference)?.digest.description == image.digest)
        let tokens = try await registry.requests(matching: repo).filter { $0.path == "/token" }.count - seedingTokens
        #expect(tokens == 2)
    }
}
