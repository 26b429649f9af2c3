internal import CCurl

/// libcurl transport: every request runs on one process-wide `curl_multi` handle driven by one I/O thread,
/// so connections are reused and HTTP/2 streams multiplexed across all transports and tasks.
///
/// Several instances with different configurations can coexist; each exchange carries its own settings.
public final class CurlTransport: HTTPClient {
    public let configuration: TransportConfiguration
    public let statistics: TransportStatistics
    private let loop: CurlMultiLoop

    public init(configuration: TransportConfiguration = TransportConfiguration(), statistics: TransportStatistics = TransportStatistics()) {
        self.configuration = configuration
        self.statistics = statistics
        self.loop = .shared
    }

    public func send(_ request: HTTPRequest, sink: (any HTTPResponseSink)?) async throws -> HTTPResponse {
        var current = request
        var target = try ParsedURL(request.url)
        var redirects = 0
        while true {
            try Task.checkCancellation()
            let response = try await exchange(current, target: target, sink: sink)
            guard let (next, nextTarget) = try RedirectPolicy.nextRequest(after: response, to: target, for: current) else {
                return response
            }
            redirects += 1
            guard redirects <= configuration.maxRedirects else { throw TransportError.tooManyRedirects(url: request.url) }
            try sink?.reset()
            current = next
            target = nextTarget
        }
    }

    /// One request and its response, with statistics and the `--debug` log line.
    private func exchange(_ request: HTTPRequest, target: ParsedURL,
                          sink: (any HTTPResponseSink)?) async throws -> HTTPResponse {
        let exchange = try CurlExchange(request: request, target: target, sink: sink, configuration: configuration)
        let loop = self.loop
        let result: Result<HTTPResponse, any Error>
        do {
            let code = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    exchange.continuation = continuation
                    loop.start(exchange)
                }
            } onCancel: {
                loop.cancel(exchange)
            }
            result = Result { try exchange.outcome(code) }
        } catch {
            result = .failure(error)
        }
        record(exchange, result)
        return try result.get()
    }

    private func record(_ exchange: CurlExchange, _ result: Result<HTTPResponse, any Error>) {
        let handle = exchange.handle
        let down = handle.offsetInfo(CURLINFO_SIZE_DOWNLOAD_T)
        let up = handle.offsetInfo(CURLINFO_SIZE_UPLOAD_T)
        // Count only exchanges whose request actually went out (not DNS or connect failures).
        if handle.longInfo(CURLINFO_REQUEST_SIZE) > 0 {
            statistics.recordRequest(exchange.method)
        }
        statistics.recordBytes(down: down, up: up)
        guard let log = configuration.log else { return }
        let milliseconds = handle.offsetInfo(CURLINFO_TOTAL_TIME_T) / 1000
        switch result {
        case .success(let response):
            log("\(exchange.method.rawValue) \(exchange.target.string) -> \(response.status), \(down + up) bytes, \(milliseconds) ms")
        case .failure(let error):
            log("\(exchange.method.rawValue) \(exchange.target.string) -> error: \(error)")
        }
    }
}
