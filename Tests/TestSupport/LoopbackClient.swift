import HTTPTransport
import RegistryClient

/// A `RegistryClient` for tests: plain HTTP to `registries` on loopback, quick retries (3 attempts, delays from
/// 10 ms up to `maxDelay`, a `Retry-After` honoured up to `maxRetryAfter`), its own statistics.
public func loopbackClient(_ registries: [TestRegistry], maxDelay: Duration = .milliseconds(30),
                           maxRetryAfter: Duration = .milliseconds(100)) -> RegistryClient {
    let hosts = Set(registries.map(\.host))
    let statistics = TransportStatistics()
    let transport = CurlTransport(configuration: TransportConfiguration(insecureHosts: hosts), statistics: statistics)
    let configuration = RegistryClientConfiguration(
        insecureRegistries: hosts,
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: maxDelay, maxRetryAfter: maxRetryAfter))
    return RegistryClient(http: transport, configuration: configuration, statistics: RegistryStatistics(transport: statistics))
}
