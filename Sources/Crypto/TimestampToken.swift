internal import COpenSSL

/// An RFC 3161 timestamp: a time-stamping authority's signed statement that some data (here a signature)
/// existed at `generationTime`. Checked with OpenSSL's TS API.
///
/// Sigstore bundles carry it as `timestampVerificationData.rfc3161Timestamps[].signedTimestamp`: the DER of a
/// whole `TimeStampResp` (status + token), as sigstore's timestamp authority returns it. A bare
/// `TimeStampToken` (the CMS `ContentInfo`, what cosign's `rfc3161timestamp` annotation may hold) is read too.
public struct TimestampToken: Sendable, Hashable {
    /// The DER, as given.
    public let der: [UInt8]
    /// `genTime`, seconds since 1970. Only `verify` makes it trustworthy.
    public let generationTime: Int64
    /// The message imprint's hash algorithm, as OpenSSL names it ("SHA256"), and the hash.
    public let hashAlgorithm: String
    public let messageImprint: [UInt8]

    public init(der: [UInt8]) throws(CryptoError) {
        let parsed = try ParsedTimestamp(der: der)
        guard let info = parsed.info else { throw .invalidTimestamp("the token holds no TSTInfo") }
        guard let time = UnixTime.seconds(TS_TST_INFO_get_time(info)) else {
            OpenSSLErrorQueue.clear()
            throw .invalidTimestamp("its genTime does not parse")
        }
        let imprint = TS_TST_INFO_get_msg_imprint(info)
        var algorithm: OpaquePointer?
        X509_ALGOR_get0(&algorithm, nil, nil, TS_MSG_IMPRINT_get_algo(imprint))
        self.der = der
        generationTime = time
        hashAlgorithm = algorithm.flatMap { OBJ_nid2sn(OBJ_obj2nid($0)) }.map { String(cString: $0) } ?? "unknown"
        messageImprint = ASN1Bytes.of(TS_MSG_IMPRINT_get_msg(imprint))
    }

    /// Verifies the token against one timestamp authority and returns its `genTime`.
    ///
    /// Holds when: the token's signature verifies with a certificate of `authority` (or one the token embeds)
    /// that chains to the authority's last certificate (its anchor; partial chains allowed when that is not
    /// self-signed), the chain is valid at `genTime`, the signing certificate has the timeStamping extended
    /// key usage (critical, alone: RFC 3161 §2.3, OpenSSL's timestamp purpose), the ESS signing-certificate
    /// attribute names it, and the message imprint is the hash of `signature`.
    ///
    /// - Parameter authority: the TSA's certificates, leaf-most first, anchor last (a trusted root's
    ///   `timestampAuthorities[].certChain`).
    public func verify(signature: [UInt8], authority: [Certificate]) throws(CryptoError) -> Int64 {
        guard let anchor = authority.last else { throw .verificationFailed("RFC 3161 timestamp: the timestamp authority has no certificate") }
        let name = authority.first.map(\.description) ?? "the timestamp authority"
        if let signer = authority.first, !signer.isCA, !signer.extendedKeyUsages.contains(Certificate.timeStampingUsage) {
            throw .verificationFailed("RFC 3161 timestamp: \(signer) lacks the timeStamping extended key usage")
        }
        OpenSSLErrorQueue.clear()
        let parsed = try ParsedTimestamp(der: der)
        guard let context = TS_VERIFY_CTX_new() else { throw .openSSL(failedTo: "allocating a timestamp verification context") }
        defer { TS_VERIFY_CTX_free(context) }
        // The context frees the store, the certificate stack and the data BIO it is given.
        guard let store = X509_STORE_new() else { throw .openSSL(failedTo: "allocating a certificate store") }
        TS_VERIFY_CTX_set_store(context, store)
        guard X509_STORE_add_cert(store, anchor.handle.pointer) == 1 else { throw .openSSL(failedTo: "adding \(anchor) to the store") }
        X509_STORE_set_verify_cb(store, notAfterInclusive)
        let parameters = X509_STORE_get0_param(store)
        X509_VERIFY_PARAM_set_time(parameters, time_t(generationTime))
        if !anchor.isSelfSigned { X509_VERIFY_PARAM_set_flags(parameters, UInt(X509_V_FLAG_PARTIAL_CHAIN)) }
        TS_VERIFY_CTX_set_certs(context, try X509Stack(Array(authority.dropLast())).release())
        guard let data = BIO_new(BIO_s_mem()) else { throw .openSSL(failedTo: "allocating a memory BIO") }
        TS_VERIFY_CTX_set_data(context, data)
        let written = withNonNullBytes(signature) { BIO_write(data, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(signature.count) else { throw .openSSL(failedTo: "buffering the signature") }
        TS_VERIFY_CTX_set_flags(context, Int32(ocitool_TS_VFY_signature_version_data()))
        let verified = if let response = parsed.response {
            TS_RESP_verify_response(context, response)
        } else {
            TS_RESP_verify_token(context, parsed.token)
        }
        guard verified == 1 else {
            throw .verificationFailed("RFC 3161 timestamp: does not verify with \(name) at \(UnixTime.text(generationTime)): "
                + OpenSSLErrorQueue.drain())
        }
        return generationTime
    }

    /// Verifies against each authority in turn and returns the `genTime` and the index of the first that
    /// accepts the token; `.verificationFailed` with every authority's reason otherwise.
    public func verify(signature: [UInt8], authorities: [[Certificate]]) throws(CryptoError) -> (time: Int64, authority: Int) {
        guard !authorities.isEmpty else { throw .verificationFailed("RFC 3161 timestamp: no trusted timestamp authority") }
        var reasons: [String] = []
        for (index, authority) in authorities.enumerated() {
            do { return (try verify(signature: signature, authority: authority), index) } catch {
                reasons.append(error.detail.replacing("RFC 3161 timestamp: ", with: "", maxReplacements: 1))
            }
        }
        throw .verificationFailed("RFC 3161 timestamp: no trusted timestamp authority signed it (\(reasons.joined(separator: "; ")))")
    }
}

/// A `TimeStampResp` or bare `TimeStampToken`, owned; freed when released.
private final class ParsedTimestamp {
    /// Set for a `TimeStampResp`; the token and TSTInfo then belong to it.
    let response: OpaquePointer?
    let token: UnsafeMutablePointer<PKCS7>?
    let info: OpaquePointer?

    init(der: [UInt8]) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard !der.isEmpty, der.count <= Int(Int32.max) else { throw .invalidTimestamp("empty or oversized DER") }
        /// The object when it is all of `der` (freed otherwise).
        func decode(_ d2i: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?,
                    free: (OpaquePointer) -> Void) -> OpaquePointer? {
            let decoded = decodingDER(der, d2i)
            guard let object = decoded.object else { return nil }
            guard decoded.consumed == der.count else {
                free(object)
                return nil
            }
            return object
        }
        if let response = decode({ d2i_TS_RESP(nil, $0, $1) }, free: { TS_RESP_free($0) }) {
            self.response = response
            token = TS_RESP_get_token(response)
            info = TS_RESP_get_tst_info(response)
            let status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response)))
            // PKIStatus: 0 granted, 1 grantedWithMods; anything else carries no token.
            guard status == 0 || status == 1 else { throw .invalidTimestamp("the timestamp authority refused the request (PKIStatus \(status))") }
            guard token != nil, info != nil else { throw .invalidTimestamp("the response holds no token") }
        } else if let token = decode({ d2i_PKCS7(nil, $0, $1).map(OpaquePointer.init) }, free: { PKCS7_free(UnsafeMutablePointer($0)) }) {
            OpenSSLErrorQueue.clear()
            response = nil
            self.token = UnsafeMutablePointer(token)
            info = PKCS7_to_TS_TST_INFO(self.token)
            guard info != nil else { throw .invalidTimestamp("the CMS content is not a TSTInfo: \(OpenSSLErrorQueue.drain())") }
        } else {
            OpenSSLErrorQueue.clear()
            throw .invalidTimestamp("neither a DER TimeStampResp nor a TimeStampToken")
        }
    }

    deinit {
        if let response {
            TS_RESP_free(response)
        } else {
            PKCS7_free(token)
            TS_TST_INFO_free(info)
        }
    }
}
