/// Key and signature failures, with OpenSSL's own message where it has one.
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a PEM/DER key we can use (names what was found).
    case invalidKey(String)
    /// A key OpenSSL reads but ocitool does not use (names its type or curve, or its encryption).
    case unsupportedKey(String)
    case signingFailed(String)
    /// The private key is encrypted and no password was given (names the PEM block).
    case passwordRequired(String)
    /// The password does not decrypt the private key (or the encrypted key is corrupt).
    case wrongPassword(String)
    case openSSL(String)
    /// Not a DER/PEM X.509 certificate (names the position in a chain when there is one).
    case invalidCertificate(String)
    /// Not an RFC 3161 TimeStampResp or TimeStampToken, or one that says the request was refused.
    case invalidTimestamp(String)
    /// A certificate chain, SCT or timestamp that does not verify; the text starts with what failed
    /// ("certificate chain: …", "SCT: …", "RFC 3161 timestamp: …").
    case verificationFailed(String)

    public var description: String {
        switch self {
        case .invalidKey(let detail): "invalid key: \(detail)"
        case .unsupportedKey(let detail): "unsupported key: \(detail)"
        case .signingFailed(let detail): "signing failed: \(detail)"
        case .passwordRequired(let detail): "password required: \(detail)"
        case .wrongPassword(let detail): "wrong password: \(detail)"
        case .openSSL(let detail): "OpenSSL: \(detail)"
        case .invalidCertificate(let detail): "invalid certificate: \(detail)"
        case .invalidTimestamp(let detail): "invalid RFC 3161 timestamp: \(detail)"
        case .verificationFailed(let detail): detail
        }
    }
}

extension CryptoError {
    /// The message without the kind's prefix ("invalid certificate: "), to re-wrap under another kind.
    public var detail: String {
        switch self {
        case .invalidKey(let detail), .unsupportedKey(let detail), .signingFailed(let detail),
             .passwordRequired(let detail), .wrongPassword(let detail), .openSSL(let detail),
             .invalidCertificate(let detail), .invalidTimestamp(let detail), .verificationFailed(let detail):
            detail
        }
    }
}
