internal import COpenSSL

/// ECDSA signature encodings: cosign writes DER (`ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`);
/// JWS and COSE write the fixed-width concatenation r || s (RFC 7518 §3.4), which OpenSSL does not read.
enum ECDSASignatureEncoding {
    /// The DER form of a raw `r || s` signature whose halves are `scalarLength` bytes each; nil when
    /// `raw` is not exactly two such halves.
    static func der(fromRaw raw: [UInt8], scalarLength: Int) -> [UInt8]? {
        guard scalarLength > 0, raw.count == 2 * scalarLength else { return nil }
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let (r, s) = raw.withUnsafeBufferPointer { buffer in
            (BN_bin2bn(buffer.baseAddress, Int32(scalarLength), nil),
             BN_bin2bn(buffer.baseAddress! + scalarLength, Int32(scalarLength), nil))
        }
        // On success ECDSA_SIG_set0 owns both numbers; otherwise they are still ours to free.
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            OpenSSLErrorQueue.clear()
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }
}

extension PublicKey.Kind {
    /// Bytes in each half of a raw `r || s` ECDSA signature for this curve; nil for other kinds.
    var ecdsaScalarLength: Int? {
        switch self {
        case .ecdsaP256: 32
        case .ecdsaP384: 48
        case .rsa, .ed25519: nil
        }
    }
}
