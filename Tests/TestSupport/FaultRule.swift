/// A fault the fake registry injects into matching requests (`TestRegistry.addFaults(_:)`).
///
/// A rule matches a request when its `method` (any when nil) and `port` agree and its `path` regular
/// expression is found in the percent-decoded request path. The first matching rule applies; a rule with
/// `times` applies that many times and is then dropped, a rule without applies until cleared. A rule with
/// `every` N counts the requests it matches (each rule its own count) and applies to every Nth only, forever or
/// `times` times; the requests it lets pass go on to the rules after it, so rules with different periods combine.
/// Put the test's unique repository name in `path` so that parallel tests sharing a server don't collide.
public struct FaultRule: Codable, Hashable, Sendable {
    public enum Action: String, Codable, Hashable, Sendable {
        /// Answer `status` (with `Retry-After`, `headers`, `body` when given; an OCI error body otherwise).
        case status
        /// Send the headers with the full `Content-Length`, about half the body, then close the connection.
        case cut
        /// Serve the real answer with one byte of its body flipped.
        case corrupt
        /// Answer 307 to the same path and query on the CDN port, which serves blobs without auth.
        case redirect
        /// Sleep `delayMilliseconds`, then serve normally.
        case delay
    }

    /// Which listening port a rule applies to.
    public enum Port: String, Codable, Hashable, Sendable {
        case main, cdn, any
    }

    public var method: String?
    /// A Python regular expression searched in the request path (`NSRegularExpression.escapedPattern(for:)`
    /// escapes a literal).
    public var path: String
    public var action: Action
    public var status: Int?
    public var retryAfter: String?
    public var headers: [String: String]?
    public var body: String?
    public var times: Int?
    /// Apply to every Nth matching request only (1: every one).
    public var every: Int?
    public var delayMilliseconds: Int?
    public var port: Port?

    public init(method: String? = nil, path: String, action: Action, status: Int? = nil, retryAfter: String? = nil,
                headers: [String: String]? = nil, body: String? = nil, times: Int? = nil,
                every: Int? = nil, delayMilliseconds: Int? = nil, port: Port? = nil) {
        self.method = method
        self.path = path
        self.action = action
        self.status = status
        self.retryAfter = retryAfter
        self.headers = headers
        self.body = body
        self.times = times
        self.every = every
        self.delayMilliseconds = delayMilliseconds
        self.port = port
    }

    /// Answers `status` instead of serving, e.g. `.status(503, path: repo, retryAfter: "1", times: 2)`, or
    /// `.status(429, path: repo, retryAfter: "0", every: 7)` for every 7th request.
    public static func status(_ status: Int, method: String? = nil, path: String, retryAfter: String? = nil,
                              headers: [String: String]? = nil, body: String? = nil, times: Int? = nil,
                              every: Int? = nil, port: Port? = nil) -> FaultRule {
        FaultRule(method: method, path: path, action: .status, status: status, retryAfter: retryAfter,
                  headers: headers, body: body, times: times, every: every, port: port)
    }

    /// Closes the connection halfway through the body.
    public static func cut(method: String? = nil, path: String, times: Int? = nil, every: Int? = nil,
                           port: Port? = nil) -> FaultRule {
        FaultRule(method: method, path: path, action: .cut, times: times, every: every, port: port)
    }

    /// Flips one byte of the body.
    public static func corrupt(method: String? = nil, path: String, times: Int? = nil, every: Int? = nil,
                               port: Port? = nil) -> FaultRule {
        FaultRule(method: method, path: path, action: .corrupt, times: times, every: every, port: port)
    }

    /// Redirects (307) to the CDN port.
    public static func redirect(method: String? = nil, path: String, times: Int? = nil, every: Int? = nil) -> FaultRule {
        FaultRule(method: method, path: path, action: .redirect, times: times, every: every)
    }

    /// Delays the answer.
    public static func delay(_ milliseconds: Int, method: String? = nil, path: String, times: Int? = nil,
                             every: Int? = nil, port: Port? = nil) -> FaultRule {
        FaultRule(method: method, path: path, action: .delay, times: times, every: every,
                  delayMilliseconds: milliseconds, port: port)
    }

    enum CodingKeys: String, CodingKey {
        case method, path, action, status, headers, body, times, every, port
        case retryAfter = "retry_after"
        case delayMilliseconds = "delay_ms"
    }
}
