/// Which responses `CurlTransport` follows, and how the next request is derived from them.
///
/// Follows RFC 9110 §15.4: GET and HEAD follow every redirect (HEAD stays HEAD, even on 303, so no body is
/// fetched); 303 turns other methods into a GET
/// without a body; 307/308 repeat the method and body (always replayable here: data or a file range);
/// 301/302 on other methods are returned to the caller rather than silently rewritten.
enum RedirectPolicy {
    static let redirectStatuses: Set<Int> = [301, 302, 303, 307, 308]

    static func isRedirect(_ status: Int) -> Bool { redirectStatuses.contains(status) }

    /// The request to send after `response`, or nil when `response` is final.
    static func nextRequest(after response: HTTPResponse, to current: ParsedURL,
                            for request: HTTPRequest) throws(TransportError) -> (HTTPRequest, ParsedURL)? {
        guard request.followRedirects, isRedirect(response.status),
              let location = response.headers["Location"], !location.isEmpty else { return nil }
        var next = request
        switch (request.method, response.status) {
        case (.get, _), (.head, _), (_, 307), (_, 308):
            break
        case (_, 303):
            next.method = .get
            next.body = .empty
            next.headers.remove("Content-Type")
        default:
            return nil
        }
        let target = try current.resolving(location)
        next.url = target.string
        if !target.hasSameOrigin(as: current) {
            next.headers.remove("Authorization")
        }
        return (next, target)
    }
}
