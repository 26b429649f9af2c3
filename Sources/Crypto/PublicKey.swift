/// A public key that checks signatures: ECDSA P-256/P-384, RSA (PKCS#1 v1.5 and PSS), Ed25519.
/// (interface; implementation in progress)
public final class PublicKey: Sendable {
    public enum Kind: Sendable, Hashable { case ecdsaP256, ecdsaP384, rsa(bits: Int), ed25519 }

    public let kind: Kind
    /// The SubjectPublicKeyInfo DER encoding (Rekor's log ID is the SHA-256 of it).
    public let spkiDER: [UInt8]

    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), or `RSA PUBLIC KEY` (PKCS#1).
    public init(pem: String) throws(CryptoError) { throw .invalidKey("not implemented") }
    /// Parses DER SubjectPublicKeyInfo.
    public init(der: [UInt8]) throws(CryptoError) { throw .invalidKey("not implemented") }

    /// Whether `signature` is valid over `message`: ECDSA (DER signature; SHA-256, or SHA-384 for P-384
    /// keys, SHA-256 also accepted), RSA (SHA-256, PKCS#1 v1.5 or PSS), Ed25519 (pure, over the message).
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool { false }

    /// Whether `signature` is valid over a precomputed SHA-256 `digest` (ECDSA/RSA only; false for Ed25519).
    public func isValidSignature(_ signature: [UInt8], forSHA256Digest digest: [UInt8]) -> Bool { false }

    /// PEM `PUBLIC KEY` of `spkiDER`.
    public var pem: String { "" }
}
