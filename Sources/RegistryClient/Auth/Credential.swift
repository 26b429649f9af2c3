#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Credentials for one registry.
public enum Credential: Sendable, Hashable {
    case basic(username: String, password: String)
    /// An OAuth2 refresh token (docker's `identitytoken`), exchanged at the token endpoint.
    case identityToken(String)

    /// The `Authorization` value for Basic auth, when this is a username and password.
    var basicAuthorization: String? {
        guard case .basic(let username, let password) = self else { return nil }
        return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Where credentials come from; the docker config file in production, anything in tests.
public protocol CredentialProvider: Sendable {
    func credential(for registry: String) throws(RegistryError) -> Credential?
}

/// No credentials: anonymous access only.
public struct AnonymousCredentials: CredentialProvider {
    public init() {}
    public func credential(for registry: String) throws(RegistryError) -> Credential? { nil }
}
