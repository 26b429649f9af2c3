internal import COpenSSL

extension PrivateKey {
    /// Signs `message`: ECDSA with SHA-256 (DER signature), RSA PKCS#1 v1.5 SHA-256, Ed25519 pure.
    public func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_MD_CTX_new() else { throw .signingFailed("out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        // Ed25519 hashes internally (pure EdDSA): no digest is named.
        let digest = publicKey.kind == .ed25519 ? nil : EVP_sha256()
        guard EVP_DigestSignInit(context, &keyContext, digest, nil, key.pointer) == 1 else {
            throw .signingFailed("initialising: \(OpenSSLErrorQueue.drain())")
        }
        if case .rsa = publicKey.kind, !RSAPadding.pkcs1.apply(to: keyContext) {
            throw .signingFailed("choosing PKCS#1 v1.5 padding: \(OpenSSLErrorQueue.drain())")
        }
        // The largest signature this key makes (a DER ECDSA signature is often a byte or two shorter).
        var length = Int(EVP_PKEY_get_size(key.pointer))
        guard length > 0 else { throw .signingFailed("the key reports no signature size: \(OpenSSLErrorQueue.drain())") }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = withNonNullBytes(message) { message in
            signature.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(context, output.baseAddress, &length, message.baseAddress, message.count)
            }
        }
        guard signed == 1, length <= signature.count else {
            throw .signingFailed(OpenSSLErrorQueue.drain())
        }
        return Array(signature.prefix(length))
    }
}
