public import HTTPTransport
public import OCI

/// A registry operation failed. Descriptions say what, where, and what to do.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    /// The manifest, tag or blob does not exist.
    case notFound(what: String)
    /// No credentials, or the registry refused them.
    case unauthorized(registry: String, repository: String?, detail: String)
    /// Authenticated, but not allowed (403).
    case denied(what: String, detail: String)
    /// An unexpected HTTP status, with the registry's own error message when it sent one.
    case unexpectedStatus(status: Int, method: String, url: String, message: String)
    /// The registry served content that is not what was asked for or not well formed.
    case invalidContent(what: String, problem: OCIError)
    /// Something in the protocol exchange did not make sense (missing Location, bad token response).
    case protocolViolation(what: String, detail: String)
    case transport(TransportError)
    /// The operation was cancelled (the caller gave up, e.g. on Ctrl-C or a sibling's failure).
    case cancelled
    /// Local file system failure while storing or reading content.
    case io(path: String, message: String)
    case credentialHelper(name: String, message: String)
    /// The docker config / auth file cannot be read or is not valid JSON (the user's input, not the registry).
    case invalidCredentialsFile(path: String, message: String)

    public var description: String {
        switch self {
        case .notFound(let what):
            "\(what) not found"
        case .unauthorized(let registry, let repository, let detail):
            "not authorized to access \(repository.map { "\(registry)/\($0)" } ?? registry): \(detail) (log in with `ocitool login \(registry)` or pass --auth-file)"
        case .denied(let what, let detail):
            "access to \(what) denied: \(detail)"
        case .unexpectedStatus(let status, let method, let url, let message):
            "\(method) \(url) failed with HTTP \(status)\(message.isEmpty ? "" : ": \(message)")"
        case .invalidContent(let what, let problem):
            "\(what): \(problem)"
        case .protocolViolation(let what, let detail):
            "registry protocol error on \(what): \(detail)"
        case .transport(let error):
            error.description
        case .cancelled:
            "cancelled"
        case .io(let path, let message):
            "\(path): \(message)"
        case .credentialHelper(let name, let message):
            "credential helper docker-credential-\(name) failed: \(message)"
        case .invalidCredentialsFile(let path, let message):
            "credentials file \(path): \(message)"
        }
    }
}
