import Synchronization

/// Counts what went over the wire during one invocation (for `--stats` and tests).
public final class TransportStatistics: Sendable {
    private let requests = Mutex<[HTTPMethod: Int]>([:])
    private let downloaded = Atomic<Int64>(0)
    private let uploaded = Atomic<Int64>(0)

    public init() {}

    public func recordRequest(_ method: HTTPMethod) {
        requests.withLock { $0[method, default: 0] += 1 }
    }

    public func recordBytes(down: Int64, up: Int64) {
        downloaded.add(down, ordering: .relaxed)
        uploaded.add(up, ordering: .relaxed)
    }

    public var requestsByMethod: [HTTPMethod: Int] { requests.withLock { $0 } }
    public var totalRequests: Int { requestsByMethod.values.reduce(0, +) }
    public var bytesDownloaded: Int64 { downloaded.load(ordering: .relaxed) }
    public var bytesUploaded: Int64 { uploaded.load(ordering: .relaxed) }
}
