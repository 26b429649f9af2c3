/// Why resources or policies were refused before anything was verified. Every case is bad input (exit 2) and
/// names the file, the document or the policy field.
public enum AdmissionError: Error, Sendable, CustomStringConvertible {
    /// A resource file or directory cannot be read.
    case unreadable(path: String, reason: String)
    /// A document is not a Kubernetes resource (or not YAML/JSON at all).
    case notAResource(path: String, document: Int, line: Int, reason: String)
    /// A policy field is malformed: `field` is its path inside the policy (`spec.rules[0].verifyImages[1]…`).
    case invalidPolicy(policy: String, field: String, reason: String)
    /// A policy uses a clause ocitool does not evaluate; it is refused rather than ignored.
    case unsupported(policy: String, field: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .notAResource(let path, let document, let line, let reason): "\(path): document \(document + 1) (line \(line)): \(reason)"
        case .invalidPolicy(let policy, let field, let reason): "\(policy): \(field): \(reason)"
        case .unsupported(let policy, let field, let reason):
            "\(policy): \(field): \(reason) is not supported by ocitool's offline evaluation; remove it or evaluate this policy in the cluster"
        }
    }
}
