/// How the transport treats hosts and time; one per invocation.
public struct TransportConfiguration: Sendable {
    /// `host` or `host:port` entries for which TLS certificates are not verified (plain HTTP is chosen by the caller's URL).
    public var insecureHosts: Set<String>
    /// PEM bundle of extra trusted CAs (replaces the system bundle, as curl's --cacert does).
    public var caFile: String?
    public var connectTimeoutSeconds: Int
    /// A transfer slower than 1 byte/s for this long is aborted as timed out.
    public var stallTimeoutSeconds: Int
    public var maxRedirects: Int
    public var userAgent: String
    /// Called once per HTTP exchange (method, URL, status, bytes, ms), for `--debug`.
    public var log: (@Sendable (String) -> Void)?

    public init(insecureHosts: Set<String> = [], caFile: String? = nil, connectTimeoutSeconds: Int = 15,
                stallTimeoutSeconds: Int = 60, maxRedirects: Int = 10, userAgent: String = "ocitool",
                log: (@Sendable (String) -> Void)? = nil) {
        self.insecureHosts = insecureHosts
        self.caFile = caFile
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.stallTimeoutSeconds = stallTimeoutSeconds
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
        self.log = log
    }
}
