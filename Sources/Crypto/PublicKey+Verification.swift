internal import COpenSSL

extension PublicKey {
    /// Whether `signature` is valid over `message`: ECDSA (DER signature; SHA-256, or SHA-384 for P-384
    /// keys, SHA-256 also accepted), RSA (SHA-256, PKCS#1 v1.5 or PSS), Ed25519 (pure, over the message).
    ///
    /// A raw `r || s` ECDSA signature (64 bytes for P-256, 96 for P-384, as JWS/COSE write them) is also
    /// accepted. Any malformed input is simply not a valid signature: the answer is false, never a crash.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard Self.plausibleSignatureLengths.contains(signature.count) else { return false }
        switch kind {
        case .ecdsaP256, .ecdsaP384:
            let digests = kind == .ecdsaP384 ? [EVP_sha384(), EVP_sha256()] : [EVP_sha256()]
            return ecdsaEncodings(of: signature).contains { encoded in
                digests.contains { verify(encoded, over: message, digest: $0, padding: nil) }
            }
        case .rsa:
            return [RSAPadding.pkcs1, .pss].contains { verify(signature, over: message, digest: EVP_sha256(), padding: $0) }
        case .ed25519:
            return verify(signature, over: message, digest: nil, padding: nil)
        }
    }

    /// Whether `signature` is valid over a precomputed SHA-256 `digest` (ECDSA/RSA only; false for Ed25519).
    ///
    /// For signatures made over a hash the signer computed (sigstore bundles' `messageSignature`, Rekor
    /// `hashedrekord` entries). ECDSA signatures may be DER or raw `r || s`; RSA ones PKCS#1 v1.5 or PSS.
    public func isValidSignature(_ signature: [UInt8], forSHA256Digest digest: [UInt8]) -> Bool {
        guard digest.count == 32, Self.plausibleSignatureLengths.contains(signature.count) else { return false }
        switch kind {
        case .ecdsaP256, .ecdsaP384:
            return ecdsaEncodings(of: signature).contains { verify($0, overSHA256Digest: digest, padding: nil) }
        case .rsa:
            return [RSAPadding.pkcs1, .pss].contains { verify(signature, overSHA256Digest: digest, padding: $0) }
        case .ed25519:
            // Ed25519 signs the message itself (pure EdDSA): a digest alone cannot be checked.
            return false
        }
    }

    /// Signature lengths worth handing to OpenSSL: the largest accepted is RSA-16384's 2048 bytes.
    static let plausibleSignatureLengths = 1...(PublicKey.Kind.rsaBits.upperBound / 8)

    /// The DER encodings `signature` may stand for: itself, and the DER of a raw `r || s` of this curve's size.
    private func ecdsaEncodings(of signature: [UInt8]) -> [[UInt8]] {
        guard let scalarLength = kind.ecdsaScalarLength,
              let converted = ECDSASignatureEncoding.der(fromRaw: signature, scalarLength: scalarLength) else { return [signature] }
        return [signature, converted]
    }

    /// One `EVP_DigestVerify` attempt; `digest` nil for Ed25519. Clears OpenSSL's error queue on failure.
    private func verify(_ signature: [UInt8], over message: [UInt8], digest: OpaquePointer?, padding: RSAPadding?) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        let valid = EVP_DigestVerifyInit(context, &keyContext, digest, nil, key.pointer) == 1
            && (padding.map { $0.apply(to: keyContext) } ?? true)
            && withBytes(signature, message) { signature, message in
                EVP_DigestVerify(context, signature.baseAddress, signature.count, message.baseAddress, message.count)
            } == 1
        if !valid { OpenSSLErrorQueue.clear() }
        return valid
    }

    /// One `EVP_PKEY_verify` attempt over a SHA-256 digest. Clears OpenSSL's error queue on failure.
    private func verify(_ signature: [UInt8], overSHA256Digest digest: [UInt8], padding: RSAPadding?) -> Bool {
        guard let context = EVP_PKEY_CTX_new(key.pointer, nil) else { return false }
        defer { EVP_PKEY_CTX_free(context) }
        let valid = EVP_PKEY_verify_init(context) == 1
            && EVP_PKEY_CTX_set_signature_md(context, EVP_sha256()) == 1
            && (padding.map { $0.apply(to: context) } ?? true)
            && withBytes(signature, digest) { signature, digest in
                EVP_PKEY_verify(context, signature.baseAddress, signature.count, digest.baseAddress, digest.count)
            } == 1
        if !valid { OpenSSLErrorQueue.clear() }
        return valid
    }
}

/// RSA signature paddings accepted: PKCS#1 v1.5, and PSS with MGF1 over the same digest and any salt
/// length (the signer's choice is read from the signature; Go and cosign use the digest's length).
enum RSAPadding {
    case pkcs1, pss

    func apply(to context: OpaquePointer?) -> Bool {
        switch self {
        case .pkcs1:
            EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1
        case .pss:
            EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_AUTO) == 1
        }
    }
}

/// Runs `body` over `bytes` with a non-null base address even when empty (OpenSSL treats a null input
/// pointer as "no input" in places, which is not the same as zero bytes).
func withNonNullBytes<Value>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Value) -> Value {
    guard bytes.isEmpty else { return bytes.withUnsafeBufferPointer(body) }
    var placeholder: UInt8 = 0
    return withUnsafePointer(to: &placeholder) { body(UnsafeBufferPointer(start: $0, count: 0)) }
}

/// `withNonNullBytes` over two byte arrays at once.
func withBytes<Value>(_ first: [UInt8], _ second: [UInt8],
                      _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Value) -> Value {
    withNonNullBytes(first) { first in withNonNullBytes(second) { second in body(first, second) } }
}
