/// What the transparency-log check concluded for one signature. Only `verified` lets a signature count
/// as logged; everything else is a reason to refuse it when the log is required.
public enum TransparencyLogVerdict: Sendable, Hashable, CustomStringConvertible {
    /// The entry is in a trusted log (SET and/or inclusion proof with a signed checkpoint) and records
    /// exactly this signature, key or certificate and artifact.
    case verified
    /// The entry was checked and does not hold; `reason` says which check failed.
    case failed(reason: String)
    /// No log entry accompanies the signature (reported by the caller).
    case missing
    /// The log was deliberately not checked (reported by the caller, e.g. for `--insecure-ignore-tlog`).
    case unchecked

    public var isVerified: Bool { self == .verified }

    public var description: String {
        switch self {
        case .verified: "transparency log entry verified"
        case .failed(let reason): "transparency log entry rejected: \(reason)"
        case .missing: "no transparency log entry"
        case .unchecked: "transparency log not checked"
        }
    }
}
