public import OCI
public import RegistryClient

/// Why reading from or writing to a content store (a registry repository, an OCI image layout) failed.
///
/// One enum for every store, so copying code handles one error type whatever the two ends are. Registry
/// failures keep their own `RegistryError` (with its advice on logging in, retrying, …) inside `.registry`.
public enum ContentError: Error, Sendable, CustomStringConvertible {
    /// A registry operation failed.
    case registry(RegistryError)
    /// The directory exists but is not an OCI image layout (or one of a version ocitool does not read).
    case notALayout(path: String, reason: String)
    /// `index.json` (or `oci-layout`) cannot be used: not JSON, not an index, entries with bad digests.
    case invalidLayout(path: String, reason: String)
    /// No manifest answers to `name` in the store; `known` lists some names it does have.
    case nameNotFound(name: String, store: String, known: [String])
    /// `name` matches several different manifests (a bare tag used by several repositories).
    case ambiguousName(name: String, store: String, candidates: [String])
    /// The manifest or blob is not in the store.
    case notFound(what: String)
    /// Content does not match its descriptor (digest, size) or is not well formed.
    case invalidContent(what: String, problem: OCIError)
    /// Local file system failure.
    case io(path: String, message: String)
    /// An `oci:DIR[:NAME|@DIGEST]` argument that cannot be parsed.
    case invalidLayoutReference(String, reason: String)
    case cancelled

    public var description: String {
        switch self {
        case .registry(let error):
            error.description
        case .notALayout(let path, let reason):
            "\(path) is not an OCI image layout: \(reason) (give an empty or new directory to create one)"
        case .invalidLayout(let path, let reason):
            "\(path): \(reason)"
        case .nameNotFound(let name, let store, let known):
            "no manifest named \"\(name)\" in \(store)"
                + (known.isEmpty ? " (it has no named manifests)" : " (names there: \(Self.list(known)))")
        case .ambiguousName(let name, let store, let candidates):
            "\"\(name)\" names several manifests in \(store): \(Self.list(candidates)); give the full name or a digest"
        case .notFound(let what):
            "\(what) not found"
        case .invalidContent(let what, let problem):
            "\(what): \(problem)"
        case .io(let path, let message):
            "\(path): \(message)"
        case .invalidLayoutReference(let raw, let reason):
            "invalid layout reference \"\(raw)\": \(reason) (expected oci:DIR, oci:DIR:NAME or oci:DIR@DIGEST)"
        case .cancelled:
            "cancelled"
        }
    }

    /// A registry error, with local-storage failures (from `AtomicFile`, downloads) and cancellation kept as
    /// such rather than reported as if the registry had failed.
    public init(_ error: RegistryError) {
        switch error {
        case .io(let path, let message): self = .io(path: path, message: message)
        case .cancelled: self = .cancelled
        default: self = .registry(error)
        }
    }

    private static func list(_ names: [String]) -> String {
        let shown = names.prefix(10).joined(separator: ", ")
        return names.count > 10 ? shown + ", … (\(names.count) in all)" : shown
    }
}

extension ContentError {
    /// Whether the error says the thing asked for does not exist (rather than that asking failed).
    public var isNotFound: Bool {
        switch self {
        case .notFound, .nameNotFound: true
        case .registry(.notFound): true
        default: false
        }
    }

    /// Whether trying the same transfer again may succeed: network and registry trouble, content cut or damaged
    /// on the way; not absence, refusal, local disk trouble or cancellation.
    public var isRetryable: Bool {
        switch self {
        case .registry(.notFound), .registry(.unauthorized), .registry(.denied), .registry(.cancelled),
             .registry(.credentialHelper), .registry(.invalidCredentialsFile): false
        case .registry, .invalidContent: true
        default: false
        }
    }
}

extension RegistryError {
    /// The registry error a content error stands for, for callers that speak registries only (`ImageCopier`).
    init(_ error: ContentError) {
        switch error {
        case .registry(let error): self = error
        case .io(let path, let message): self = .io(path: path, message: message)
        case .cancelled: self = .cancelled
        case .notFound(let what): self = .notFound(what: what)
        case .invalidContent(let what, let problem): self = .invalidContent(what: what, problem: problem)
        default: self = .protocolViolation(what: "content", detail: error.description)
        }
    }
}
