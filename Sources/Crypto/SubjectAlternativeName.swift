/// One entry of a certificate's subjectAltName extension (RFC 5280 §4.2.1.6). Fulcio puts the signer's
/// identity here: an email address, or a URI (a CI workflow, a SPIFFE ID).
public enum SubjectAlternativeName: Sendable, Hashable, CustomStringConvertible {
    case email(String)
    case uri(String)
    case dns(String)
    /// An `otherName` (Fulcio uses 1.3.6.1.4.1.57264.1.7 for usernames); `value` when it is a UTF8String.
    case otherName(oid: String, value: String?)
    /// Any other kind (IP address, directory name, …), described.
    case other(String)

    /// The identity text of an email, URI, DNS or UTF-8 other name; nil for the rest.
    public var value: String? {
        switch self {
        case .email(let text), .uri(let text), .dns(let text): text
        case .otherName(_, let value): value
        case .other: nil
        }
    }

    public var description: String {
        switch self {
        case .email(let text): "email:\(text)"
        case .uri(let text): "URI:\(text)"
        case .dns(let text): "DNS:\(text)"
        case .otherName(let oid, let value): "othername:\(oid):\(value ?? "<not UTF-8>")"
        case .other(let text): text
        }
    }
}
