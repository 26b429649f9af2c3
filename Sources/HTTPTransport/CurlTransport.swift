internal import CCurl

/// libcurl transport: one `curl_multi` handle driven by one I/O thread for the whole process.
/// (placeholder: being implemented)
public final class CurlTransport: HTTPClient {
    public let configuration: TransportConfiguration
    public let statistics: TransportStatistics

    public init(configuration: TransportConfiguration = TransportConfiguration(), statistics: TransportStatistics = TransportStatistics()) {
        self.configuration = configuration
        self.statistics = statistics
    }

    public func send(_ request: HTTPRequest, sink: (any HTTPResponseSink)?) async throws -> HTTPResponse {
        throw TransportError.curl(code: -1, message: "not implemented", url: request.url)
    }
}
