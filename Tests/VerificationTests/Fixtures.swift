import Crypto
import Foundation
import HTTPTransport
import OCI
import RegistryClient
import Sigstore
import TestSupport
import Verification

/// A client for tests, the given registries insecure, quick retries.
func makeClient(_ registries: [TestRegistry], maxConcurrentRequests: Int? = nil) -> RegistryClient {
    let hosts = Set(registries.map(\.host))
    let statistics = TransportStatistics()
    let transport = CurlTransport(configuration: TransportConfiguration(insecureHosts: hosts), statistics: statistics)
    let configuration = RegistryClientConfiguration(
        insecureRegistries: hosts,
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(30), maxRetryAfter: .milliseconds(100)),
        maxConcurrentRequests: maxConcurrentRequests)
    return RegistryClient(http: transport, configuration: configuration, statistics: RegistryStatistics(transport: statistics))
}

/// An image pushed with the harness's raw helpers, and its reference.
struct TestImage {
    let registry: TestRegistry
    let repo: String
    let digest: Digest
    var reference: Reference { try! Reference(parsing: registry.reference(repo, "v1")) }
    var pinned: Reference { try! Reference(parsing: registry.reference(repo, digest.description)) }

    static func push(_ registry: TestRegistry, _ prefix: String, layer: String = "layer") async throws -> TestImage {
        let repo = uniqueRepository(prefix)
        let image = try await registry.pushImage(repo: repo, tag: "v1", layers: [Data("\(layer) \(repo)".utf8)])
        return TestImage(registry: registry, repo: repo, digest: try Digest(parsing: image.digest))
    }
}

func policy(_ keys: [PublicKey], attestations: [String] = [], logTrust: TrustedRoot? = nil, platform: Platform? = nil,
            scope: VerificationPolicy.SignedScope = .index, checkReference: Bool = false,
            now: Int64 = Int64(Date().timeIntervalSince1970)) -> VerificationPolicy {
    VerificationPolicy(keys: keys, attestations: attestations, logTrust: logTrust, platform: platform, scope: scope,
                       checkReference: checkReference, now: now)
}

func verify(_ image: TestImage, _ policy: VerificationPolicy, client: RegistryClient? = nil) async -> ImageReport {
    await ImageVerifier(client: client ?? makeClient([image.registry]), policy: policy).verify(image.reference)
}

let slsa = "https://slsa.dev/provenance/v0.2"
let spdx = "https://spdx.dev/Document"
