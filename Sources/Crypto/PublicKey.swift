internal import COpenSSL

/// A public key that checks signatures: ECDSA P-256/P-384, RSA (PKCS#1 v1.5 and PSS), Ed25519.
///
/// Immutable after `init`, so `Sendable`: the OpenSSL handle it owns is only read.
public final class PublicKey: Sendable {
    public enum Kind: Sendable, Hashable { case ecdsaP256, ecdsaP384, rsa(bits: Int), ed25519 }

    public let kind: Kind
    /// The SubjectPublicKeyInfo DER encoding (Rekor's log ID is the SHA-256 of it).
    public let spkiDER: [UInt8]
    /// The OpenSSL key, public half only.
    let key: OpenSSLKey

    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), or `RSA PUBLIC KEY` (PKCS#1).
    ///
    /// Text around the block, surrounding whitespace and CRLF line ends are ignored; any other block
    /// (a certificate, a private key) is an `.invalidKey` error that names it.
    public convenience init(pem: String) throws(CryptoError) {
        let block = try PEMBlock(firstIn: pem, expected: "PUBLIC KEY")
        switch block.label {
        case "PUBLIC KEY":
            try self.init(key: OpenSSLKey(subjectPublicKeyInfoDER: try block.decodedDER()))
        case "RSA PUBLIC KEY":
            try self.init(key: OpenSSLKey(pkcs1RSAPublicKeyDER: try block.decodedDER()))
        default:
            throw block.mismatch(expected: "PUBLIC KEY")
        }
    }

    /// Parses DER SubjectPublicKeyInfo.
    public convenience init(der: [UInt8]) throws(CryptoError) {
        try self.init(key: OpenSSLKey(subjectPublicKeyInfoDER: der))
    }

    /// Parses DER PKCS#1 `RSAPublicKey` (how sigstore trust roots give `PKCS1_RSA_PKCS1V5` keys).
    public convenience init(pkcs1RSAPublicKeyDER der: [UInt8]) throws(CryptoError) {
        try self.init(key: OpenSSLKey(pkcs1RSAPublicKeyDER: der))
    }

    /// Wraps `key` (public material only); `.unsupportedKey` unless it is a kind this type verifies with.
    init(key: OpenSSLKey) throws(CryptoError) {
        self.kind = try Kind(of: key)
        self.spkiDER = try key.subjectPublicKeyInfoDER()
        self.key = key
    }

    /// PEM `PUBLIC KEY` of `spkiDER`.
    public var pem: String {
        // Writing a key OpenSSL has already parsed into memory only fails when memory runs out.
        (try? writingToMemoryBIO("writing the PEM public key") { PEM_write_bio_PUBKEY($0, key.pointer) }) ?? ""
    }
}

extension PublicKey: Hashable {
    /// Keys are equal when their SubjectPublicKeyInfo encodings are.
    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.spkiDER == rhs.spkiDER
    }

    public func hash(into hasher: inout Swift.Hasher) {
        hasher.combine(spkiDER)
    }
}

extension PEMBlock {
    /// The DER bytes of this block (OpenSSL decodes the base64); `.invalidKey` when they are not base64.
    func decodedDER() throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        return try withMemoryBIO(reading: Array(text.utf8)) { bio throws(CryptoError) -> [UInt8] in
            var name: UnsafeMutablePointer<CChar>?, header: UnsafeMutablePointer<CChar>?
            var data: UnsafeMutablePointer<UInt8>?
            var length = 0
            let read = PEM_read_bio(bio, &name, &header, &data, &length) == 1
            defer {
                CRYPTO_free(name, #fileID, #line)
                CRYPTO_free(header, #fileID, #line)
                CRYPTO_free(data, #fileID, #line)
            }
            guard read, let data, length > 0 else {
                let detail = OpenSSLErrorQueue.drain()
                throw .invalidKey(read ? "the PEM \(label) block is empty" : "the PEM \(label) block does not decode: \(detail)")
            }
            if let header, header.pointee != 0 {
                throw .invalidKey("the PEM \(label) block has headers (\(String(cString: header))); public keys have none")
            }
            return Array(UnsafeBufferPointer(start: data, count: length))
        }
    }
}

extension OpenSSLKey {
    /// Decodes a DER PKCS#1 RSAPublicKey; every byte must belong to it.
    convenience init(pkcs1RSAPublicKeyDER der: [UInt8]) throws(CryptoError) {
        guard der.count <= Int(Int32.max) else { throw .invalidKey("oversized RSA public key") }
        let decoded = decodingDER(der) { d2i_PublicKey(EVP_PKEY_RSA, nil, $0, $1) }
        guard let key = decoded.object else {
            throw .invalidKey("not a PKCS#1 RSA public key: \(OpenSSLErrorQueue.drain())")
        }
        self.init(takingOwnershipOf: key)
        guard decoded.consumed == der.count else {
            throw .invalidKey("\(der.count - decoded.consumed) bytes after the PKCS#1 RSA public key")
        }
    }
}
