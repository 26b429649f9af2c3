public import RegistryClient

/// Why a policy push or pull was refused. Input problems name the file, the document and the line.
public enum PolicyError: Error, Sendable, CustomStringConvertible {
    /// A file or directory given to push cannot be read, or holds no policy.
    case unreadable(path: String, reason: String)
    /// A YAML document is not a Kyverno policy (or not YAML at all).
    case notAPolicy(path: String, document: Int, line: Int, reason: String)
    case duplicate(kind: String, name: String, first: String, second: String)
    /// The artifact pulled is not a Kyverno policy artifact.
    case notAPolicyArtifact(reference: String, reason: String)
    /// Its content is unsafe or malformed (a hostile bundle, a bomb, a non-policy layer).
    case invalidArtifact(reference: String, reason: String)
    /// Files that already exist in the output directory (pass --force to replace them).
    case wouldOverwrite(paths: [String])
    case output(path: String, reason: String)
    /// `--key` was given and the artifact's signature did not verify.
    case unsigned(reference: String, reasons: [String])
    /// `--key` was given but a registry failure prevented deciding whether the artifact is signed.
    case undecided(reference: String, reasons: [String])
    case registry(RegistryError)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): \(reason)"
        case .notAPolicy(let path, let document, let line, let reason):
            "\(path): document \(document + 1) (line \(line)): \(reason)"
        case .duplicate(let kind, let name, let first, let second):
            "two policies are \(kind) \"\(name)\": in \(first) and in \(second)"
        case .notAPolicyArtifact(let reference, let reason): "\(reference) is not a Kyverno policy artifact: \(reason)"
        case .invalidArtifact(let reference, let reason): "\(reference): \(reason)"
        case .wouldOverwrite(let paths):
            "would overwrite \(paths.joined(separator: ", ")); pass --force to replace existing files"
        case .output(let path, let reason): "\(path): \(reason)"
        case .unsigned(let reference, let reasons):
            "\(reference) is not signed by the given key(s): \(reasons.joined(separator: "; "))"
        case .undecided(let reference, let reasons):
            "cannot tell whether \(reference) is signed: \(reasons.joined(separator: "; "))"
        case .registry(let error): error.description
        }
    }
}
