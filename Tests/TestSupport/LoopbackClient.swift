import HTTPTransport
import RegistryClient

/// A `RegistryClient` for tests: plain HTTP to `registries` on loopback, quick retries (3 attempts, delays of
/// 10–30 ms, a `Retry-After` honoured up to 100 ms), its own statistics.
public func loopbackClient(_ registries: [TestRegistry]) -> RegistryClient {
    let hosts = Set(registries.map(\.host))
    let statistics = TransportStatistics()
    let transport = CurlTransport(configuration: TransportConfiguration(insecureHosts: hosts), statistics: statistics)
    let configuration = RegistryClientConfiguration(
        insecureRegistries: hosts,
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(30), maxRetryAfter: .milliseconds(100)))
    return RegistryClient(http: transport, configuration: configuration, statistics: RegistryStatistics(transport: statistics))
}
