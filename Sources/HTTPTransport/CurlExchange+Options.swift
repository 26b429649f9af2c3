internal import CCurl

extension CurlExchange {
    static let transferBufferSize = 256 << 10

    /// Everything curl needs for this one exchange: URL, method and body framing, headers, TLS, timeouts.
    func configure(request: HTTPRequest, configuration: TransportConfiguration) throws(TransportError) {
        try handle.set(CURLOPT_URL, target.string)
        try handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try handle.set(CURLOPT_NOSIGNAL, true)
        // Redirects are ours: Authorization must be dropped across origins and the sink reset.
        try handle.set(CURLOPT_FOLLOWLOCATION, false)
        try handle.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        // Wait for a connection that may multiplex rather than opening another one right away.
        try handle.set(CURLOPT_PIPEWAIT, true)
        // Blobs are digested over the bytes the registry serves: never let curl decompress them.
        try handle.set(CURLOPT_HTTP_CONTENT_DECODING, false)
        try handle.set(CURLOPT_TCP_KEEPALIVE, true)
        // Blobs stream in and out in large pieces: fewer callbacks, hash updates and file writes per byte than
        // curl's defaults (16 KiB in, 64 KiB out).
        try handle.set(CURLOPT_BUFFERSIZE, Self.transferBufferSize)
        try handle.set(CURLOPT_UPLOAD_BUFFERSIZE, Self.transferBufferSize)
        if configuration.connectTimeoutSeconds > 0 {
            try handle.set(CURLOPT_CONNECTTIMEOUT, configuration.connectTimeoutSeconds)
        }
        // curl averages speed over the last few seconds, so a transfer that stalls after sending data is
        // aborted a few seconds later than one that never sent any.
        if configuration.stallTimeoutSeconds > 0 {
            try handle.set(CURLOPT_LOW_SPEED_LIMIT, 1)
            try handle.set(CURLOPT_LOW_SPEED_TIME, configuration.stallTimeoutSeconds)
        }
        try handle.set(CURLOPT_USERAGENT, configuration.userAgent)
        if let caFile = configuration.caFile {
            try handle.set(CURLOPT_CAINFO, caFile)
        }
        if target.isListed(in: configuration.insecureHosts) {
            try handle.set(CURLOPT_SSL_VERIFYPEER, false)
            try handle.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        try configureMethod(request.method, bodyLength: Self.sendsBody(request.method) ? request.body.length : 0)
        try handle.setHeaderLines(Self.headerLines(for: request))
        try installCallbacks()
    }

    /// Bodies always go out with a `Content-Length` (UPLOAD + INFILESIZE, or POST + POSTFIELDSIZE), never chunked.
    private func configureMethod(_ method: HTTPMethod, bodyLength: Int64) throws(TransportError) {
        switch method {
        case .get:
            try handle.set(CURLOPT_HTTPGET, true)
        case .head:
            try handle.set(CURLOPT_NOBODY, true)
        case .post:
            try handle.set(CURLOPT_POST, true)
            try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: bodyLength)
        case .put:
            try handle.set(CURLOPT_UPLOAD, true)
            try handle.set(CURLOPT_INFILESIZE_LARGE, offset: bodyLength)
        case .patch:
            try handle.set(CURLOPT_UPLOAD, true)
            try handle.set(CURLOPT_INFILESIZE_LARGE, offset: bodyLength)
            try handle.set(CURLOPT_CUSTOMREQUEST, method.rawValue)
        case .delete:
            if bodyLength > 0 {
                try handle.set(CURLOPT_UPLOAD, true)
                try handle.set(CURLOPT_INFILESIZE_LARGE, offset: bodyLength)
            }
            try handle.set(CURLOPT_CUSTOMREQUEST, method.rawValue)
        }
    }

    /// The caller's headers as curl header lines, plus the lines that switch off curl's own additions.
    static func headerLines(for request: HTTPRequest) -> [String] {
        var lines: [String] = []
        for (name, value) in request.headers {
            // The transport owns message framing.
            let lowered = name.lowercased()
            if lowered == "content-length" || lowered == "transfer-encoding" { continue }
            // `Name;` is curl's syntax for a header sent with an empty value (`Name:` would remove it).
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // An empty value stops curl adding `Expect: 100-continue` (a one-second wait on servers that ignore it).
        if request.headers["Expect"] == nil { lines.append("Expect:") }
        // Stops curl labelling a POST body as a form.
        if request.method == .post, request.headers["Content-Type"] == nil { lines.append("Content-Type:") }
        return lines
    }

    /// The response, or the error the exchange ended with (a callback's own error first: it is the cause).
    func outcome(_ code: CURLcode) throws -> HTTPResponse {
        if let callbackError { throw callbackError }
        guard code == CURLE_OK else {
            throw TransportError(curlCode: code, message: handle.errorMessage(for: code), target: target)
        }
        let finalStatus = status != 0 ? status : handle.longInfo(CURLINFO_RESPONSE_CODE)
        return HTTPResponse(status: finalStatus, headers: headers, body: body, url: target.string)
    }
}
