import HTTPTransport
import Synchronization

/// What one invocation cost: requests by method and bytes (from the transport), and answers served from
/// the per-invocation cache.
public final class RegistryStatistics: Sendable {
    public let transport: TransportStatistics
    private let hits = Atomic<Int>(0)

    public init(transport: TransportStatistics) {
        self.transport = transport
    }

    func recordCacheHit() {
        hits.add(1, ordering: .relaxed)
    }

    public var cacheHits: Int { hits.load(ordering: .relaxed) }

    /// One line for `--stats`: `requests: 12 (GET 8, HEAD 4); cache hits: 3; downloaded: 1024 B; uploaded: 0 B`.
    public var summary: String {
        let byMethod = transport.requestsByMethod.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        return "requests: \(transport.totalRequests)\(byMethod.isEmpty ? "" : " (\(byMethod))"); cache hits: \(cacheHits); "
            + "downloaded: \(transport.bytesDownloaded) B; uploaded: \(transport.bytesUploaded) B"
    }
}
