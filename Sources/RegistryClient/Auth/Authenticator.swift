#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTransport
import OCI

/// Answers registries' auth challenges and remembers the answers for the invocation: which scheme each
/// registry asked for, and bearer tokens per registry and scope until they expire.
actor Authenticator {
    private struct TokenKey: Hashable {
        let registry: String
        let scopes: [String]
    }

    private struct CachedToken {
        let token: String
        let expires: ContinuousClock.Instant
    }

    private let credentials: any CredentialProvider
    private let http: any HTTPClient
    private var challenges: [String: AuthChallenge] = [:]
    private var tokens: [TokenKey: CachedToken] = [:]
    private var pending: [TokenKey: Task<CachedToken, any Error>] = [:]
    private var credentialCache: [String: Credential?] = [:]

    init(credentials: any CredentialProvider, http: any HTTPClient) {
        self.credentials = credentials
        self.http = http
    }

    /// The `Authorization` header for a request to `registry` needing `scopes`, when the registry is known to
    /// want one; nil before any challenge (the first request goes anonymous and learns the scheme).
    func authorization(registry: String, scopes: [AuthScope]) async throws(RegistryError) -> String? {
        guard let challenge = challenges[registry] else { return nil }
        switch challenge.scheme {
        case .basic:
            return try credential(for: registry)?.basicAuthorization
        case .bearer:
            return "Bearer " + (try await token(registry: registry, challenge: challenge, scopes: scopes))
        }
    }

    /// Records a 401's challenge. Returns false when retrying cannot help (no challenge we can answer, or the
    /// same challenge was already answered with the same credentials and refused).
    func learn(registry: String, header: String?, scopes: [AuthScope], hadAuthorization: Bool) throws(RegistryError) -> Bool {
        guard let header, let challenge = AuthChallenge(header: header) else { return false }
        if hadAuthorization {
            // Our answer was refused: a cached token may be stale or too narrow; one fresh try only.
            let key = TokenKey(registry: registry, scopes: scopes.map(\.description).sorted())
            if challenge.scheme == .basic || tokens.removeValue(forKey: key) == nil { return false }
        }
        if challenge.scheme == .basic, try credential(for: registry) == nil { return false }
        challenges[registry] = challenge
        return true
    }

    private func credential(for registry: String) throws(RegistryError) -> Credential? {
        if let cached = credentialCache[registry] { return cached }
        let found = try credentials.credential(for: registry)
        credentialCache[registry] = found
        return found
    }

    private func token(registry: String, challenge: AuthChallenge, scopes: [AuthScope]) async throws(RegistryError) -> String {
        let key = TokenKey(registry: registry, scopes: scopes.map(\.description).sorted())
        if let cached = tokens[key], cached.expires > .now { return cached.token }
        let task: Task<CachedToken, any Error>
        if let running = pending[key] {
            task = running
        } else {
            let credential = try credential(for: registry)
            let http = self.http
            task = Task { try await Self.fetchToken(http: http, challenge: challenge, scopes: key.scopes, credential: credential, registry: registry) }
            pending[key] = task
        }
        do {
            let fetched = try await task.value
            pending[key] = nil
            tokens[key] = fetched
            return fetched.token
        } catch {
            pending[key] = nil
            throw error as? RegistryError ?? .protocolViolation(what: "token for \(registry)", detail: "\(error)")
        }
    }

    private struct TokenResponse: Decodable {
        var token: String?
        var access_token: String?
        var expires_in: Int?
    }

    /// Docker token flow: GET realm?service&scope (Basic credentials when known), or the OAuth2 refresh-token
    /// POST for identity tokens.
    private static func fetchToken(http: any HTTPClient, challenge: AuthChallenge, scopes: [String], credential: Credential?,
                                   registry: String) async throws(RegistryError) -> CachedToken {
        guard let realm = challenge.realm, realm.hasPrefix("https://") || realm.hasPrefix("http://") else {
            throw .protocolViolation(what: "auth challenge from \(registry)", detail: "bearer challenge without a usable realm")
        }
        var query: [(String, String)] = []
        if let service = challenge.service { query.append(("service", service)) }
        for scope in scopes { query.append(("scope", scope)) }
        var request: HTTPRequest
        if case .identityToken(let refreshToken)? = credential {
            let form = ([("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", "ocitool")] + query)
                .map { "\($0.0)=\(URLEncoding.queryValue($0.1))" }.joined(separator: "&")
            request = HTTPRequest(method: .post, url: realm, body: .data(Data(form.utf8)), maxBufferedBodyBytes: 1 << 20)
            request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        } else {
            let separator = realm.contains("?") ? "&" : "?"
            let url = realm + (query.isEmpty ? "" : separator + query.map { "\($0.0)=\(URLEncoding.queryValue($0.1))" }.joined(separator: "&"))
            request = HTTPRequest(method: .get, url: url, maxBufferedBodyBytes: 1 << 20)
            if let basic = credential?.basicAuthorization { request.headers["Authorization"] = basic }
        }
        let response: HTTPResponse
        do { response = try await http.send(request) } catch let error as TransportError {
            throw .transport(error)
        } catch {
            throw .protocolViolation(what: "token request to \(realm)", detail: "\(error)")
        }
        guard response.status == 200 else {
            if response.status == 401 || response.status == 403 {
                throw .unauthorized(registry: registry, repository: nil,
                                    detail: credential == nil ? "anonymous access refused by the token service" : "the token service rejected the credentials")
            }
            throw .unexpectedStatus(status: response.status, method: request.method.rawValue, url: realm, message: RegistryErrorBody.message(in: response.body))
        }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: response.body),
              let token = decoded.token ?? decoded.access_token, !token.isEmpty else {
            throw .protocolViolation(what: "token response from \(realm)", detail: "no token in the answer")
        }
        // Docker's default lifetime is 60 s; renew a little early.
        let lifetime = max(decoded.expires_in ?? 60, 10) - 5
        return CachedToken(token: token, expires: .now + .seconds(lifetime))
    }
}
