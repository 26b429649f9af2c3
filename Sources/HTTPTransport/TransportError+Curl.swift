internal import CCurl

extension TransportError {
    /// Classifies a failed transfer so callers can tell what to retry and what to report.
    init(curlCode code: CURLcode, message: String, target: ParsedURL) {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            self = .unknownHost(target.host)
        case CURLE_COULDNT_CONNECT:
            self = .connectionRefused(host: target.authority, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            self = .timedOut(url: target.string)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_PEER_FAILED_VERIFICATION,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            self = .tls(host: target.authority, message: message)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_HTTP2, CURLE_HTTP2_STREAM:
            self = .connectionLost(url: target.string, message: message)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            self = .invalidURL(target.string)
        default:
            self = .curl(code: Int(code.rawValue), message: message, url: target.string)
        }
    }
}
