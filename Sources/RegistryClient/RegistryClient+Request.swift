#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTransport
import OCI

/// One registry API call, before scheme, auth and retries are applied.
struct RegistryRequest: Sendable {
    var method: HTTPMethod
    var registry: String
    /// A path starting with `/v2/`, or an absolute URL the registry handed out (upload `Location`, `Link`).
    var target: String
    var scopes: [AuthScope]
    var headers = HTTPHeaders()
    var body: HTTPRequestBody = .empty
    var maxBufferedBodyBytes = 1 << 20
    /// Whether the request may be sent again after a transport failure or 5xx (PATCH appends, so it may not).
    var isReplayable = true
}

extension RegistryClient {
    /// Sends `request`: picks the scheme, attaches credentials, answers one auth challenge, and retries
    /// throttling, gateway errors and dropped connections. Returns the final response whatever its status.
    func send(_ request: RegistryRequest, sink: (any HTTPResponseSink)? = nil) async throws(RegistryError) -> HTTPResponse {
        var attempt = 0
        var answeredChallenge = false
        while true {
            attempt += 1
            let url = try await resolveURL(request)
            var http = HTTPRequest(method: request.method, url: url, headers: request.headers, body: request.body,
                                   maxBufferedBodyBytes: request.maxBufferedBodyBytes)
            let sameHost = Self.host(of: url) == Self.apiHost(for: request.registry)
            if sameHost, let authorization = try await authenticator.authorization(registry: request.registry, scopes: request.scopes) {
                http.headers["Authorization"] = authorization
            }
            let response: HTTPResponse
            do {
                await gate?.acquire()
                defer { gate?.release() }
                response = try await self.http.send(http, sink: sink)
            } catch let error as TransportError {
                if case .tls = error, fallBackToPlainHTTP(request.registry, url: url) { attempt -= 1; continue }
                if case .connectionLost = error, fallBackToPlainHTTP(request.registry, url: url) { attempt -= 1; continue }
                guard error.isTransient, request.isReplayable, attempt < configuration.retry.maxAttempts else { throw .transport(error) }
                try await pause(configuration.retry.delay(afterAttempt: attempt, retryAfter: nil), resetting: sink)
                continue
            } catch let error as RegistryError {
                throw error  // a sink's own failure (digest mismatch, disk full)
            } catch is CancellationError {
                throw .cancelled
            } catch {
                throw .protocolViolation(what: url, detail: "\(error)")
            }
            rememberScheme(request.registry, url: url)
            if response.status == 401, !answeredChallenge, sameHost {
                let canAnswer = try await authenticator.learn(
                    registry: request.registry, header: response.headers["WWW-Authenticate"], scopes: request.scopes,
                    hadAuthorization: http.headers["Authorization"] != nil)
                if canAnswer {
                    answeredChallenge = true
                    attempt -= 1
                    try resetSink(sink)
                    continue
                }
            }
            if RetryPolicy.isRetryable(status: response.status), attempt < configuration.retry.maxAttempts,
               request.isReplayable || response.status == 429 {
                try await pause(configuration.retry.delay(afterAttempt: attempt, retryAfter: response.headers["Retry-After"]), resetting: sink)
                continue
            }
            return response
        }
    }

    /// The error for a response that is not what the operation wanted.
    func failure(_ response: HTTPResponse, _ request: RegistryRequest, what: String) -> RegistryError {
        let message = RegistryErrorBody.message(in: response.body)
        switch response.status {
        case 401:
            return .unauthorized(registry: request.registry, repository: request.scopes.first?.repository,
                                 detail: message.isEmpty ? "HTTP 401" : message)
        case 403:
            return .denied(what: what, detail: message.isEmpty ? "HTTP 403" : message)
        case 404:
            return .notFound(what: what)
        default:
            return .unexpectedStatus(status: response.status, method: request.method.rawValue, url: response.url, message: message)
        }
    }

    private func pause(_ delay: Duration, resetting sink: (any HTTPResponseSink)?) async throws(RegistryError) {
        try resetSink(sink)
        do { try await Task.sleep(for: delay) } catch {
            throw .cancelled
        }
    }

    private func resetSink(_ sink: (any HTTPResponseSink)?) throws(RegistryError) {
        do { try sink?.reset() } catch let error as RegistryError {
            throw error
        } catch {
            throw .io(path: "download", message: "\(error)")
        }
    }

    /// `https://host/v2/…` (or `http://` for an insecure registry that answered only in plain HTTP).
    private func resolveURL(_ request: RegistryRequest) async throws(RegistryError) -> String {
        if request.target.hasPrefix("http://") || request.target.hasPrefix("https://") { return request.target }
        let scheme = schemes.withLock { $0[request.registry] } ?? "https"
        return "\(scheme)://\(Self.apiHost(for: request.registry))\(request.target)"
    }

    /// For an insecure registry not known to speak TLS, switch to plain HTTP (concurrent first requests may all
    /// land here); false when that does not apply.
    private func fallBackToPlainHTTP(_ registry: String, url: String) -> Bool {
        guard isInsecure(registry), url.hasPrefix("https://") else { return false }
        return schemes.withLock { schemes in
            guard schemes[registry] != "https" else { return false }
            schemes[registry] = "http"
            return true
        }
    }

    private func rememberScheme(_ registry: String, url: String) {
        guard isInsecure(registry), url.hasPrefix("https://") else { return }
        schemes.withLock { if $0[registry] == nil { $0[registry] = "https" } }
    }

    /// `host[:port]` of an absolute URL.
    static func host(of url: String) -> String {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty else { return "" }
        return String(parts[2].prefix { $0 != "?" && $0 != "#" })
    }

    /// Resolves a `Location` or `Link` target against the registry: absolute URLs as they are, paths on the registry.
    func absolute(_ location: String, registry: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        let scheme = schemes.withLock { $0[registry] } ?? "https"
        return "\(scheme)://\(Self.apiHost(for: registry))\(location.hasPrefix("/") ? "" : "/")\(location)"
    }
}
