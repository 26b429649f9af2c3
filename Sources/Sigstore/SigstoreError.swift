/// Sigstore and cosign data that cannot be used: malformed documents, unsupported versions, trust material
/// that does not hold together. Always the input's fault; the description names the document and the field.
///
/// Verification *outcomes* of transparency-log checks (a signature that does not match, a log entry about
/// something else) are not errors but verdicts: see `TransparencyLogVerdict`. Certificate chains, SCTs and
/// RFC 3161 timestamps that do not verify are `.verificationFailed` (the signature is not trusted: exit 1).
public enum SigstoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `document` (e.g. "DSSE envelope") is not what its format requires; `reason` names the field.
    case malformed(document: String, reason: String)
    /// A version or media type ocitool does not know how to read, so cannot trust.
    case unsupported(document: String, reason: String)
    /// The trust material (trusted_root.json, a Rekor key) is unusable.
    case invalidTrustMaterial(reason: String)
    /// A certificate chain, SCT or timestamp that does not verify; `reason` starts with what failed
    /// ("certificate chain: not valid at 2023-05-05T20:30:00Z: certificate has expired (…)").
    case verificationFailed(reason: String)

    public var description: String {
        switch self {
        case .malformed(let document, let reason): "malformed \(document): \(reason)"
        case .unsupported(let document, let reason): "unsupported \(document): \(reason)"
        case .invalidTrustMaterial(let reason): "unusable trust material: \(reason)"
        case .verificationFailed(let reason): reason
        }
    }
}
