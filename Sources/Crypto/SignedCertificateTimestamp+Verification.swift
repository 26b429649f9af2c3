internal import COpenSSL

/// A certificate transparency log whose SCTs are trusted: its ID, key and when the key was in use.
public struct CertificateTransparencyLogKey: Sendable, Hashable {
    /// SHA-256 of the key's SubjectPublicKeyInfo DER (sigstore trusted roots' `ctlogs[].logId.keyId`).
    public let logID: [UInt8]
    public let key: PublicKey
    /// Seconds since 1970, both ends inclusive; an SCT stamped outside it is not trusted.
    public let validity: ClosedRange<Int64>
    /// How messages name the log (its URL).
    public let name: String

    public init(logID: [UInt8], key: PublicKey, validity: ClosedRange<Int64> = Int64.min...Int64.max, name: String = "") {
        self.logID = logID
        self.key = key
        self.validity = validity
        self.name = name.isEmpty ? "CT log \(logID.hexString)" : name
    }
}

extension SignedCertificateTimestamp {
    /// Whether this SCT, embedded in `leaf`, is signed by `log` over `leaf`'s precertificate entry (RFC 6962
    /// §3.2: the TBSCertificate without the SCT list extension, and the SHA-256 of `issuer`'s key).
    ///
    /// Throws `.verificationFailed("SCT: …")` naming the log and what is wrong.
    public func verify(leaf: Certificate, issuer: Certificate, log: CertificateTransparencyLogKey) throws(CryptoError) {
        guard logID == log.logID else { throw .verificationFailed("SCT: issued by log \(logID.hexString), not \(log.name)") }
        guard version == 0 else { throw .verificationFailed("SCT: version \(version) from \(log.name) is not v1") }
        let seconds = Int64(clamping: timestamp / 1_000)
        guard log.validity.contains(seconds) else {
            throw .verificationFailed("SCT: stamped \(UnixTime.text(seconds)), outside the validity of \(log.name)")
        }
        guard hashAlgorithm == 4 else {
            throw .verificationFailed("SCT: hash algorithm \(hashAlgorithm) from \(log.name) is not SHA-256")
        }
        let signed = try signedEntry(leaf: leaf, issuer: issuer)
        guard log.key.isValidSignature(signature, for: signed) else {
            throw .verificationFailed("SCT: the signature of \(log.name) over \(leaf) does not verify")
        }
    }

    /// Verifies the SCTs embedded in `leaf` and returns the first that a trusted log signed (sigstore's rule:
    /// at least one). `.verificationFailed("SCT: …")` when there is none or none verifies, with each reason.
    public static func verifyEmbedded(in leaf: Certificate, issuer: Certificate,
                                      logs: [CertificateTransparencyLogKey]) throws(CryptoError) -> SignedCertificateTimestamp {
        let timestamps = try embedded(in: leaf)
        guard !timestamps.isEmpty else { throw .verificationFailed("SCT: \(leaf) carries no signed certificate timestamp") }
        var reasons: [String] = []
        for timestamp in timestamps {
            guard let log = logs.first(where: { $0.logID == timestamp.logID }) else {
                reasons.append("log \(timestamp.logID.hexString) is not trusted")
                continue
            }
            do {
                try timestamp.verify(leaf: leaf, issuer: issuer, log: log)
                return timestamp
            } catch {
                reasons.append(error.detail.replacing("SCT: ", with: "", maxReplacements: 1))
            }
        }
        throw .verificationFailed("SCT: no embedded SCT verifies with a trusted CT log (\(reasons.joined(separator: "; ")))")
    }

    /// `digitally-signed struct { version; signature_type = certificate_timestamp; timestamp;
    /// entry_type = precert_entry; PreCert { issuer_key_hash; TBSCertificate<1..2^24-1> }; CtExtensions }`.
    func signedEntry(leaf: Certificate, issuer: Certificate) throws(CryptoError) -> [UInt8] {
        let tbs = try Self.precertificateTBS(of: leaf)
        var out: [UInt8] = [version, 0]
        out += TLSWriter.integer(timestamp, bytes: 8)
        out += TLSWriter.integer(1, bytes: 2)
        out += try Self.keyHash(of: issuer)
        out += TLSWriter.integer(UInt64(tbs.count), bytes: 3) + tbs
        out += TLSWriter.integer(UInt64(extensions.count), bytes: 2) + extensions
        return out
    }

    /// SHA-256 of the issuer's SubjectPublicKeyInfo DER.
    private static func keyHash(of issuer: Certificate) throws(CryptoError) -> [UInt8] {
        guard let key = X509_get_X509_PUBKEY(issuer.handle.pointer) else {
            throw .openSSL(failedTo: "reading the key of \(issuer)")
        }
        let der = try encodingDER("encoding the key of \(issuer)") { i2d_X509_PUBKEY(key, $0) }
        return Hasher.hash(der, using: .sha256)
    }

    /// The leaf's TBSCertificate re-encoded without its SCT list extension: what the precertificate held
    /// once its poison extension is removed.
    private static func precertificateTBS(of leaf: Certificate) throws(CryptoError) -> [UInt8] {
        guard let copy = X509_dup(leaf.handle.pointer) else { throw .openSSL(failedTo: "copying \(leaf)") }
        defer { X509_free(copy) }
        let index = X509_get_ext_by_NID(copy, NID_ct_precert_scts, -1)
        if index >= 0, let removed = X509_delete_ext(copy, index) { X509_EXTENSION_free(removed) }
        return try encodingDER("encoding the precertificate of \(leaf)") { i2d_re_X509_tbs(copy, $0) }
    }
}
