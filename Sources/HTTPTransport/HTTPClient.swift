#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The transport seam: everything above it (registry client, tests) speaks HTTP through this protocol.
///
/// `send` follows redirects itself (GET/HEAD always; other methods on 307/308 when the body can be replayed),
/// dropping `Authorization` whenever the scheme, host or port changes. A 2xx response body goes to `sink`
/// when one is given (and `HTTPResponse.body` stays empty); any other status is buffered into `body`
/// (bounded by `HTTPRequest.maxBufferedBodyBytes`) so callers can report the registry's error text.
public protocol HTTPClient: Sendable {
    func send(_ request: HTTPRequest, sink: (any HTTPResponseSink)?) async throws -> HTTPResponse
}

extension HTTPClient {
    /// Sends a request and buffers the whole response body.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await send(request, sink: nil)
    }
}

/// Receives a successful response body as it arrives. Called on the transport's I/O thread: keep it cheap
/// (write to a file descriptor, update a hash), never block.
public protocol HTTPResponseSink: AnyObject, Sendable {
    /// Consumes the next chunk. Throwing aborts the transfer; `send` then rethrows that error.
    func write(_ chunk: UnsafeRawBufferPointer) throws
    /// Discards everything written so far (before a retry or after a redirect).
    func reset() throws
}

public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET", head = "HEAD", put = "PUT", post = "POST", patch = "PATCH", delete = "DELETE"
}

public enum HTTPRequestBody: Sendable, Equatable {
    case empty
    case data(Data)
    /// `length` bytes of the file at `path` starting at `offset`; replayable, read in chunks, never loaded whole.
    case file(path: String, offset: Int64, length: Int64)

    public var length: Int64 {
        switch self {
        case .empty: 0
        case .data(let data): Int64(data.count)
        case .file(_, _, let length): length
        }
    }
}

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// Absolute `http://` or `https://` URL.
    public var url: String
    public var headers: HTTPHeaders
    public var body: HTTPRequestBody
    /// Upper bound for a buffered body (non-2xx bodies, or 2xx without a sink); exceeding it is `TransportError.bodyTooLarge`.
    public var maxBufferedBodyBytes: Int
    public var followRedirects: Bool

    public init(method: HTTPMethod, url: String, headers: HTTPHeaders = HTTPHeaders(), body: HTTPRequestBody = .empty,
                maxBufferedBodyBytes: Int = 4 << 20, followRedirects: Bool = true) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.maxBufferedBodyBytes = maxBufferedBodyBytes
        self.followRedirects = followRedirects
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// Buffered body (empty when streamed to a sink).
    public var body: Data
    /// The URL that produced this response, after redirects.
    public var url: String

    public init(status: Int, headers: HTTPHeaders, body: Data, url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }
}
