/// Failures below HTTP: the request never produced a complete response.
public enum TransportError: Error, Sendable, CustomStringConvertible {
    case invalidURL(String)
    /// DNS failure or unknown host.
    case unknownHost(String)
    /// TCP connect refused or unreachable.
    case connectionRefused(host: String, message: String)
    /// TLS handshake or certificate verification failed.
    case tls(host: String, message: String)
    case timedOut(url: String)
    /// Connection reset, closed early, or a body cut short: safe to retry when the request is replayable.
    case connectionLost(url: String, message: String)
    /// A buffered body exceeded `HTTPRequest.maxBufferedBodyBytes`.
    case bodyTooLarge(url: String, limit: Int)
    case tooManyRedirects(url: String)
    case fileUnreadable(path: String, message: String)
    /// Any other libcurl failure, with curl's own message.
    case curl(code: Int, message: String, url: String)

    /// Whether retrying the same request may succeed.
    public var isTransient: Bool {
        switch self {
        case .connectionLost, .timedOut: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL \(url)"
        case .unknownHost(let host): "cannot resolve host \(host): check the registry name and your DNS"
        case .connectionRefused(let host, let message): "cannot connect to \(host): \(message)"
        case .tls(let host, let message):
            "TLS failure with \(host): \(message) (use --ca-file for a private CA, or --insecure-registry \(host) for a registry without valid TLS)"
        case .timedOut(let url): "request to \(url) timed out"
        case .connectionLost(let url, let message): "connection lost during \(url): \(message)"
        case .bodyTooLarge(let url, let limit): "response from \(url) is larger than the \(limit)-byte limit"
        case .tooManyRedirects(let url): "too many redirects from \(url)"
        case .fileUnreadable(let path, let message): "cannot read \(path): \(message)"
        case .curl(let code, let message, let url): "HTTP transfer to \(url) failed (curl error \(code)): \(message)"
        }
    }
}
