/// Bad input at the model level: malformed references, digests, manifests. Always the user's or the
/// registry's data, never a bug; the description names the offending value.
public enum OCIError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidDigest(String, reason: String)
    case invalidReference(String, reason: String)
    case invalidPlatform(String)
    case malformedManifest(reason: String)
    case unsupportedManifest(mediaType: String)
    case manifestTooLarge(size: Int, limit: Int)
    case digestMismatch(expected: Digest, actual: Digest)
    case sizeMismatch(expected: Int64, actual: Int64)
    case contentTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .invalidDigest(let value, let reason):
            "invalid digest \"\(value)\": \(reason)"
        case .invalidReference(let value, let reason):
            "invalid reference \"\(value)\": \(reason)"
        case .invalidPlatform(let value):
            "invalid platform \"\(value)\": expected OS/ARCH[/VARIANT], e.g. linux/arm64"
        case .malformedManifest(let reason):
            "malformed manifest: \(reason)"
        case .unsupportedManifest(let mediaType):
            "unsupported manifest type \(mediaType) (Docker schema 1 and unknown types are not supported)"
        case .manifestTooLarge(let size, let limit):
            "manifest of \(size) bytes exceeds the \(limit)-byte limit"
        case .digestMismatch(let expected, let actual):
            "content digest mismatch: expected \(expected), got \(actual)"
        case .sizeMismatch(let expected, let actual):
            "size mismatch: the descriptor says \(expected) bytes, got \(actual)"
        case .contentTooLarge(let limit):
            "content larger than the \(limit)-byte limit"
        }
    }
}
