internal import CCurl

/// An `http`/`https` URL as libcurl's own URL parser reads it, so redirect resolution and origin
/// comparisons agree with what curl will actually request.
struct ParsedURL: Sendable, Equatable {
    let string: String
    /// Lowercased.
    let scheme: String
    /// As curl reports it (IPv6 literals keep their brackets).
    let host: String
    /// Explicit or the scheme's default.
    let port: Int

    var authority: String { "\(host):\(port)" }

    init(_ string: String) throws(TransportError) {
        let parsed = try Self.withURLHandle { handle throws(TransportError) in
            guard curl_url_set(handle, CURLUPART_URL, string, 0) == CURLUE_OK else { throw TransportError.invalidURL(string) }
            return try Self.components(of: handle, original: string)
        }
        self = parsed
    }

    private init(string: String, scheme: String, host: String, port: Int) {
        self.string = string
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// `reference` (a `Location` value, absolute or relative) resolved against this URL.
    func resolving(_ reference: String) throws(TransportError) -> ParsedURL {
        try Self.withURLHandle { handle throws(TransportError) in
            guard curl_url_set(handle, CURLUPART_URL, string, 0) == CURLUE_OK,
                  curl_url_set(handle, CURLUPART_URL, reference, 0) == CURLUE_OK, // relative to the URL held
                  let resolved = Self.part(handle, CURLUPART_URL) else {
                throw TransportError.invalidURL(reference)
            }
            return try Self.components(of: handle, original: resolved)
        }
    }

    /// Same scheme, host and port: the condition for keeping credentials across a redirect.
    func hasSameOrigin(as other: ParsedURL) -> Bool {
        scheme == other.scheme && host.lowercased() == other.host.lowercased() && port == other.port
    }

    /// Whether `host:port` or the bare host appears in `hosts` (case-insensitive).
    func isListed(in hosts: Set<String>) -> Bool {
        guard !hosts.isEmpty else { return false }
        let lowered = Set(hosts.map { $0.lowercased() })
        return lowered.contains(authority.lowercased()) || lowered.contains(host.lowercased())
    }

    private static func components(of handle: OpaquePointer, original: String) throws(TransportError) -> ParsedURL {
        guard let scheme = part(handle, CURLUPART_SCHEME)?.lowercased(), scheme == "http" || scheme == "https",
              let host = part(handle, CURLUPART_HOST), !host.isEmpty,
              let portText = part(handle, CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)), let port = Int(portText)
        else { throw .invalidURL(original) }
        return ParsedURL(string: original, scheme: scheme, host: host, port: port)
    }

    private static func part(_ handle: OpaquePointer, _ what: CURLUPart, flags: UInt32 = 0) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, what, &value, flags) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }

    private static func withURLHandle<T>(_ body: (OpaquePointer) throws(TransportError) -> T) throws(TransportError) -> T {
        guard let handle = curl_url() else { throw .curl(code: -1, message: "curl_url failed (out of memory?)", url: "") }
        defer { curl_url_cleanup(handle) }
        return try body(handle)
    }
}
