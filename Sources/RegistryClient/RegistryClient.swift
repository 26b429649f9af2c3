#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HTTPTransport
import OCI
import Synchronization

/// Settings of a `RegistryClient` for one invocation.
public struct RegistryClientConfiguration: Sendable {
    /// Registries (`host` or `host:port`) reached over plain HTTP or unverified TLS.
    public var insecureRegistries: Set<String>
    public var retry: RetryPolicy
    /// Blobs up to this size may be held in memory and cached (configs, signatures, attestations).
    public var smallBlobLimit: Int
    /// Blobs larger than this are uploaded in chunks of `chunkSize` with PATCH.
    public var monolithicUploadLimit: Int64
    public var chunkSize: Int64
    /// At most this many HTTP requests in flight (nil: no limit). 1 gives the one-at-a-time baseline.
    public var maxConcurrentRequests: Int?

    public init(insecureRegistries: Set<String> = [], retry: RetryPolicy = RetryPolicy(), smallBlobLimit: Int = 4 << 20,
                monolithicUploadLimit: Int64 = 64 << 20, chunkSize: Int64 = 16 << 20, maxConcurrentRequests: Int? = nil) {
        self.insecureRegistries = insecureRegistries
        self.retry = retry
        self.smallBlobLimit = smallBlobLimit
        self.monolithicUploadLimit = monolithicUploadLimit
        self.chunkSize = chunkSize
        self.maxConcurrentRequests = maxConcurrentRequests
    }
}

/// A client for OCI distribution registries (distribution-spec v1.1).
///
/// One instance per invocation: it keeps tokens, the scheme each registry answered on, and a fetch cache
/// (manifests and small blobs by digest, tag answers) with single-flight, so repeated and concurrent requests
/// for the same content cost one network call. Facets live in `RegistryClient+*.swift`.
public final class RegistryClient: Sendable {
    let http: any HTTPClient
    public let configuration: RegistryClientConfiguration
    public let statistics: RegistryStatistics
    let authenticator: Authenticator

    /// Scheme each insecure registry answered on ("https" or "http").
    let schemes = Mutex<[String: String]>([:])
    let manifests: SingleFlightCache<String, ManifestDocument>
    /// Answers of `manifestIfPresent`, absence included, so a missing signature tag is asked about once.
    let optionalManifests: SingleFlightCache<String, ManifestDocument?>
    let smallBlobs: SingleFlightCache<String, Data>
    let referrerIndexes: SingleFlightCache<String, ImageIndex>
    /// Tag lists of source repositories (`tagSnapshot`), nil when not listable.
    let tagSnapshots: SingleFlightCache<String, Set<String>?>
    /// Whether each registry has the referrers API, learnt from the first referrers request to it.
    let referrersSupport: SingleFlightCache<String, Bool>
    let fallbackWriters = KeyedSerialExecutor()
    let gate: AsyncSemaphore?

    public init(http: any HTTPClient, credentials: any CredentialProvider = AnonymousCredentials(),
                configuration: RegistryClientConfiguration = RegistryClientConfiguration(),
                statistics: RegistryStatistics) {
        self.http = http
        self.configuration = configuration
        self.statistics = statistics
        self.authenticator = Authenticator(credentials: credentials, http: http)
        self.gate = configuration.maxConcurrentRequests.map { AsyncSemaphore(limit: $0) }
        let onHit: @Sendable () -> Void = { [statistics] in statistics.recordCacheHit() }
        self.manifests = SingleFlightCache(onHit: onHit)
        self.optionalManifests = SingleFlightCache(onHit: onHit)
        self.smallBlobs = SingleFlightCache(onHit: onHit)
        self.referrerIndexes = SingleFlightCache(onHit: onHit)
        self.tagSnapshots = SingleFlightCache()
        self.referrersSupport = SingleFlightCache()
    }

    /// The host serving the registry API (Docker Hub's API lives on registry-1.docker.io).
    static func apiHost(for registry: String) -> String {
        registry == Reference.dockerHub ? "registry-1.docker.io" : registry
    }

    func isInsecure(_ registry: String) -> Bool {
        if configuration.insecureRegistries.contains(registry) { return true }
        // "host" in the list covers every port of that host.
        let host = registry.hasPrefix("[") ? String(registry.prefix { $0 != "]" }) + "]" : String(registry.prefix { $0 != ":" })
        return configuration.insecureRegistries.contains(host)
    }
}
