/// How a `fake_registry.py` instance behaves: its command-line options.
///
/// Each distinct value gets its own shared server (`TestRegistry.sharedFake(_:)`).
public struct FakeRegistryOptions: Hashable, Sendable {
    /// How the registry answers `GET /v2/<name>/referrers/<digest>`.
    ///
    /// In every mode but `.api` the endpoint fails that way and manifest PUTs with a `subject` get no
    /// `OCI-Subject` header, so clients must maintain the `sha256-<hex>` fallback tag themselves.
    /// https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#listing-referrers
    public enum ReferrersMode: String, Hashable, Sendable, CaseIterable {
        /// The referrers API of distribution-spec v1.1, with `artifactType` filtering.
        case api
        /// 404 with a plain-text body, as registries without the API answer (distribution 2.8).
        case notFound = "404"
        /// 400 (Quay).
        case badRequest = "400"
        /// 406 Not Acceptable.
        case notAcceptable = "406"
        /// 401 without a `WWW-Authenticate` challenge (Harbor).
        case unauthorizedWithoutChallenge = "401-no-challenge"
    }

    /// How the registry authenticates clients.
    public enum AuthMode: String, Hashable, Sendable, CaseIterable {
        /// Everything is allowed.
        case none
        /// Distribution token auth: a 401 challenge names `http://127.0.0.1:<port>/token`, which issues
        /// tokens per repository and action (pull; pull,push with the credentials).
        case bearer
        /// `WWW-Authenticate: Basic realm="fake"`; the credentials are checked on every request.
        case basic
    }

    public var referrers: ReferrersMode
    public var auth: AuthMode
    /// Credentials the registry accepts (basic auth, and the token endpoint in bearer mode).
    public var user: String
    public var password: String
    /// Bearer mode: anonymous token requests get pull access (otherwise tokens without any access).
    public var anonymousPull: Bool
    /// Tags and catalog page size used when the client sends no `n`.
    public var pageSize: Int
    /// Accept manifests whose config, layers or child manifests are missing from the repository.
    public var lax: Bool
    /// Bearer token lifetime in seconds (the `expires_in` announced, and enforced).
    public var tokenExpiresIn: Int

    public init(referrers: ReferrersMode = .api, auth: AuthMode = .none, user: String = "tester",
                password: String = "tester-password", anonymousPull: Bool = false, pageSize: Int = 100,
                lax: Bool = false, tokenExpiresIn: Int = 300) {
        self.referrers = referrers
        self.auth = auth
        self.user = user
        self.password = password
        self.anonymousPull = anonymousPull
        self.pageSize = pageSize
        self.lax = lax
        self.tokenExpiresIn = tokenExpiresIn
    }

    /// The arguments of `fake_registry.py` that produce this behaviour.
    var arguments: [String] {
        var arguments = ["--referrers", referrers.rawValue, "--auth", auth.rawValue,
                         "--user", user, "--password", password,
                         "--page-size", String(pageSize), "--token-expires-in", String(tokenExpiresIn)]
        if anonymousPull { arguments.append("--anonymous-pull") }
        if lax { arguments.append("--lax") }
        return arguments
    }
}
