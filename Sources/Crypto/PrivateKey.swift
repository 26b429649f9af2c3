/// A signing key: ECDSA P-256 (what `generate-key-pair` makes), or any PKCS#8 key OpenSSL reads.
/// (interface; implementation in progress)
public final class PrivateKey: Sendable {
    public let publicKey: PublicKey

    /// A fresh ECDSA P-256 key.
    public static func generateECDSAP256() throws(CryptoError) -> PrivateKey { throw .signingFailed("not implemented") }
    /// Parses PEM `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY` or `RSA PRIVATE KEY`; `ENCRYPTED PRIVATE KEY` with `password`.
    public init(pem: String, password: String? = nil) throws(CryptoError) { throw .invalidKey("not implemented") }

    /// Signs `message`: ECDSA with SHA-256 (DER signature), RSA PKCS#1 v1.5 SHA-256, Ed25519 pure.
    public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] { throw .signingFailed("not implemented") }

    /// PEM `ENCRYPTED PRIVATE KEY` (PKCS#8, AES-256-CBC).
    public func encryptedPKCS8PEM(password: String) throws(CryptoError) -> String { throw .signingFailed("not implemented") }

    /// PEM `PRIVATE KEY` (unencrypted PKCS#8).
    public var pkcs8PEM: String { "" }
}
