internal import COpenSSL

/// A signing key: ECDSA P-256 (what `generate-key-pair` makes), or any PKCS#8 key OpenSSL reads.
///
/// Immutable after `init`, so `Sendable`: the OpenSSL handle it owns is only read.
public final class PrivateKey: Sendable {
    public let publicKey: PublicKey
    let key: OpenSSLKey

    /// Wraps `key` (which holds private material); `.unsupportedKey` unless `PublicKey` supports its kind.
    init(key: OpenSSLKey) throws(CryptoError) {
        publicKey = try PublicKey(key: key.publicOnly())
        self.key = key
    }

    /// A fresh ECDSA P-256 key.
    public static func generateECDSAP256() throws(CryptoError) -> PrivateKey {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw .openSSL(failedTo: "creating an EC key generation context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw .openSSL(failedTo: "generating an ECDSA P-256 key")
        }
        return try PrivateKey(key: OpenSSLKey(takingOwnershipOf: generated))
    }

    /// Parses PEM `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY` or `RSA PRIVATE KEY`; `ENCRYPTED PRIVATE KEY` with `password`.
    ///
    /// An `EC PARAMETERS` block before the key (as `openssl ecparam -genkey` writes) is skipped. An encrypted
    /// key without a password is `.passwordRequired`; one the password does not open, `.wrongPassword`.
    public convenience init(pem: String, password: String? = nil) throws(CryptoError) {
        let block = try PEMBlock(firstIn: pem, expected: "PRIVATE KEY", skipping: ["EC PARAMETERS"])
        guard PEMBlock.privateKeyLabels.contains(block.label) else { throw block.mismatch(expected: "PRIVATE KEY") }
        // PKCS#8 encryption, or the legacy OpenSSL kind (headers in an EC/RSA PRIVATE KEY block).
        let isEncrypted = block.label == "ENCRYPTED PRIVATE KEY" || block.text.contains("Proc-Type: 4,ENCRYPTED")
        if isEncrypted && password == nil {
            throw .passwordRequired("the PEM \(block.label) is encrypted; give its password")
        }
        if let password, password.utf8.count > Self.maximumPasswordLength {
            throw .wrongPassword("passwords are at most \(Self.maximumPasswordLength) bytes (OpenSSL reads no more)")
        }
        OpenSSLErrorQueue.clear()
        let decoded = try withMemoryBIO(reading: Array(block.text.utf8)) { bio in
            withPasswordCallback(password) { PEM_read_bio_PrivateKey(bio, nil, passwordCallback, $0) }
        }
        guard let decoded else {
            let errors = OpenSSLErrorQueue.take()
            if isEncrypted && errors.reportsUnsupportedAlgorithm {
                throw .unsupportedKey("the PEM \(block.label) is encrypted with a legacy cipher (DES, RC2 or PBES1) that OpenSSL 3 "
                    + "does not enable; re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc` (\(errors.message))")
            }
            if isEncrypted {
                throw .wrongPassword("the password does not decrypt the PEM \(block.label), or it is corrupt (\(errors.message))")
            }
            throw .invalidKey("the PEM \(block.label) block does not decode: \(errors.message)")
        }
        try self.init(key: OpenSSLKey(takingOwnershipOf: decoded))
    }

    /// The longest password OpenSSL's PEM readers accept (`PEM_BUFSIZE`), in UTF-8 bytes.
    public static let maximumPasswordLength = 1024

    /// PEM `PRIVATE KEY` (unencrypted PKCS#8).
    public var pkcs8PEM: String {
        // Writing a key OpenSSL has already parsed into memory only fails when memory runs out.
        (try? writingToMemoryBIO("writing the PKCS#8 private key") {
            PEM_write_bio_PKCS8PrivateKey($0, key.pointer, nil, nil, 0, nil, nil)
        }) ?? ""
    }

    /// PEM `ENCRYPTED PRIVATE KEY`: PKCS#8 encrypted with AES-256-CBC under a key derived from `password`
    /// (PBES2 with OpenSSL's default PBKDF2-HMAC-SHA256), readable by `openssl pkey` and `init(pem:password:)`.
    public func encryptedPKCS8PEM(password: String) throws(CryptoError) -> String {
        guard !password.isEmpty else {
            throw .passwordRequired("encrypting a private key needs a non-empty password")
        }
        guard password.utf8.count <= Self.maximumPasswordLength else {
            throw .openSSL("passwords are at most \(Self.maximumPasswordLength) bytes (OpenSSL's PEM readers take no more)")
        }
        OpenSSLErrorQueue.clear()
        let passwordBytes = Array(password.utf8CString)
        return try writingToMemoryBIO("encrypting the PKCS#8 private key") { bio in
            passwordBytes.withUnsafeBufferPointer { password in
                // A non-null password with its length: OpenSSL never falls back to prompting on a terminal.
                PEM_write_bio_PKCS8PrivateKey(bio, key.pointer, EVP_aes_256_cbc(), password.baseAddress,
                                              Int32(password.count - 1), nil, nil)
            }
        }
    }
}

/// Runs `body` with the argument for `passwordCallback`: a pointer to the password's bytes, or nil.
private func withPasswordCallback<Value>(_ password: String?, _ body: (UnsafeMutableRawPointer?) -> Value) -> Value {
    guard let password else { return body(nil) }
    return Array(password.utf8).withUnsafeBufferPointer { bytes in
        var bytes = bytes
        return withUnsafeMutablePointer(to: &bytes) { body(UnsafeMutableRawPointer($0)) }
    }
}

/// Hands OpenSSL's PEM readers the password `withPasswordCallback` passes; refuses (-1) without one, where
/// OpenSSL's default callback would prompt on the terminal.
private let passwordCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = {
    buffer, size, _, userdata in
    guard let buffer, let userdata else { return -1 }
    let password = userdata.assumingMemoryBound(to: UnsafeBufferPointer<UInt8>.self).pointee
    guard password.count <= Int(size) else { return -1 }
    if let base = password.baseAddress {
        UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: password.count)
    }
    return Int32(password.count)
}
