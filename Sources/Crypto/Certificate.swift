internal import COpenSSL

/// An X.509 certificate (RFC 5280), parsed by OpenSSL: names, validity, key, extensions.
///
/// Everything is read once in `init`; the OpenSSL handle it keeps is only read afterwards (for chain building
/// and SCT checks), which is why the type is `Sendable`. Equal when the DER encodings are.
public struct Certificate: Sendable, Hashable, CustomStringConvertible {
    /// One extension as the certificate carries it.
    public struct Extension: Sendable, Hashable {
        /// Dotted OID, e.g. "2.5.29.17".
        public let oid: String
        public let isCritical: Bool
        /// The contents of `extnValue` (the OCTET STRING's bytes, not the OCTET STRING itself).
        public let value: [UInt8]
    }

    /// The DER encoding, exactly as given.
    public let der: [UInt8]
    /// Subject and issuer names, RFC 2253 text ("CN=sigstore-intermediate,O=sigstore.dev"; "" when empty,
    /// as in Fulcio leaves, whose identity is in the subject alternative names).
    public let subject: String
    public let issuer: String
    /// The validity window, seconds since 1970 (UTC), both ends inclusive (RFC 5280 §4.1.2.5).
    public let notBefore: Int64
    public let notAfter: Int64
    /// basicConstraints says cA: TRUE.
    public let isCA: Bool
    /// Subject and issuer are the same name (a root, or a self-issued key rollover certificate).
    public let isSelfIssued: Bool
    public let extensions: [Extension]
    let handle: OpenSSLCertificate

    /// Parses DER; every byte must belong to the certificate.
    public init(der: [UInt8]) throws(CryptoError) {
        handle = try OpenSSLCertificate(der: der)
        self.der = der
        let x509 = handle.pointer
        subject = Self.text(of: X509_get_subject_name(x509))
        issuer = Self.text(of: X509_get_issuer_name(x509))
        guard let notBefore = UnixTime.seconds(X509_get0_notBefore(x509)),
              let notAfter = UnixTime.seconds(X509_get0_notAfter(x509)) else {
            OpenSSLErrorQueue.clear()
            throw .invalidCertificate("the validity times of \(subject.isEmpty ? "the certificate" : subject) do not parse")
        }
        self.notBefore = notBefore
        self.notAfter = notAfter
        // Also fills OpenSSL's extension cache now, so later readers on other threads only read.
        isCA = X509_get_extension_flags(x509) & UInt32(EXFLAG_CA) != 0
        isSelfIssued = X509_NAME_cmp(X509_get_subject_name(x509), X509_get_issuer_name(x509)) == 0
        extensions = Self.extensions(of: x509)
        OpenSSLErrorQueue.clear()
    }

    /// The subject public key; `.unsupportedKey` for kinds `PublicKey` does not verify with.
    public var publicKey: PublicKey {
        get throws(CryptoError) {
            guard let key = X509_get_pubkey(handle.pointer) else {
                throw .invalidCertificate("the public key of \(self) does not parse: \(OpenSSLErrorQueue.drain())")
            }
            return try PublicKey(key: OpenSSLKey(takingOwnershipOf: key))
        }
    }

    /// SHA-256 of the DER, lower-case hex (what `cosign` and `openssl x509 -fingerprint -sha256` show, without colons).
    public var sha256Fingerprint: String { Hasher.hash(der, using: .sha256).hexString }

    /// A self-issued certificate whose signature verifies with its own key: a root.
    public var isSelfSigned: Bool { isSelfIssued && isIssuer(of: self) }

    /// Whether `child` names this certificate's subject as its issuer and its signature verifies with this
    /// certificate's key (no validity or extension checks: that is chain verification's job).
    public func isIssuer(of child: Certificate) -> Bool {
        let named = X509_NAME_cmp(X509_get_subject_name(handle.pointer), X509_get_issuer_name(child.handle.pointer)) == 0
        guard named, let key = X509_get0_pubkey(handle.pointer) else { return false }
        let valid = X509_verify(child.handle.pointer, key) == 1
        OpenSSLErrorQueue.clear()
        return valid
    }

    /// The subject (or the fingerprint, for an empty subject) for messages.
    public var description: String {
        subject.isEmpty ? "certificate sha256:\(sha256Fingerprint.prefix(16))…" : "certificate \"\(subject)\""
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }

    public func hash(into hasher: inout Swift.Hasher) { hasher.combine(der) }

    private static func text(of name: OpaquePointer?) -> String {
        guard let name else { return "" }
        return memoryBIOText { X509_NAME_print_ex($0, name, 0, ocitool_XN_FLAG_RFC2253()) >= 0 } ?? ""
    }

    private static func extensions(of x509: OpaquePointer) -> [Extension] {
        (0..<max(0, X509_get_ext_count(x509))).compactMap { index in
            guard let ext = X509_get_ext(x509, index), let object = X509_EXTENSION_get_object(ext),
                  let data = X509_EXTENSION_get_data(ext) else { return nil }
            return Extension(oid: ObjectIdentifier.dotted(object), isCritical: X509_EXTENSION_get_critical(ext) == 1,
                             value: ASN1Bytes.of(data))
        }
    }
}

/// Owns one `X509` and frees it when released.
///
/// `@unchecked Sendable`: never modified after `init` (which also fills OpenSSL's lazily computed extension
/// cache), and OpenSSL allows concurrent readers of a certificate; stores and stacks take their own reference.
final class OpenSSLCertificate: @unchecked Sendable {
    let pointer: OpaquePointer

    init(der: [UInt8]) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        guard !der.isEmpty, der.count <= Int(Int32.max) else { throw .invalidCertificate("empty or oversized DER") }
        let decoded = decodingDER(der) { d2i_X509(nil, $0, $1) }
        guard let x509 = decoded.object else {
            throw .invalidCertificate("not DER X.509: \(OpenSSLErrorQueue.drain())")
        }
        pointer = x509
        guard decoded.consumed == der.count else {
            throw .invalidCertificate("\(der.count - decoded.consumed) bytes after the DER certificate")
        }
    }

    deinit { X509_free(pointer) }
}

/// OpenSSL `ASN1_OBJECT`s as dotted text.
enum ObjectIdentifier {
    static func dotted(_ object: OpaquePointer) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard length > 0, Int(length) < buffer.count else { return "" }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The bytes of an OpenSSL `ASN1_STRING` (OCTET STRING, IA5String, …).
enum ASN1Bytes {
    static func of(_ string: UnsafePointer<ASN1_STRING>?) -> [UInt8] {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(max(0, ASN1_STRING_length(string)))))
    }
}
