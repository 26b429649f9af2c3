public import ImageTransfer

/// Why a mirror could not start or stopped.
public enum MirrorError: Error, Sendable, CustomStringConvertible {
    /// A SRC argument that is neither a registry reference nor `oci:DIR[:NAME|@DIGEST]`, or does not fit the
    /// other options.
    case invalidSource(String, reason: String)
    /// A DST argument that is not a repository, a `host/prefix/` or an `oci:DIR`.
    case invalidDestination(String, reason: String)
    /// With `failFast`: the first image that failed.
    case imageFailed(source: String, error: ContentError)
    /// A trust file that cannot be read, or that would clash with another at the destination.
    case invalidTrust(String)
    case cancelled

    public var description: String {
        switch self {
        case .invalidSource(let raw, let reason):
            "invalid source \"\(raw)\": \(reason)"
        case .invalidDestination(let raw, let reason):
            "invalid destination \"\(raw)\": \(reason)"
        case .imageFailed(let source, let error):
            "mirroring \(source) failed: \(error)"
        case .invalidTrust(let reason):
            reason
        case .cancelled:
            "cancelled"
        }
    }
}
