internal import COpenSSL

extension Certificate {
    /// Extended key usage OIDs (RFC 5280 §4.2.1.12).
    public static let codeSigningUsage = "1.3.6.1.5.5.7.3.3"
    public static let timeStampingUsage = "1.3.6.1.5.5.7.3.8"
    public static let anyExtendedKeyUsage = "2.5.29.37.0"
    static let extendedKeyUsageOID = "2.5.29.37"

    /// Fulcio's first extensions (1.3.6.1.4.1.57264.1.1 issuer, .2 GitHub workflow trigger, .3 SHA, .4 name,
    /// .5 repository, .6 ref) hold the bare string bytes, not a DER string (sigstore/fulcio
    /// docs/oid-info.md, "deprecated"); their successors from .8 on hold a DER UTF8String.
    public static let rawStringExtensionOIDs: Set<String> = Set((1...6).map { "1.3.6.1.4.1.57264.1.\($0)" })

    /// The `extnValue` contents of the extension `oid` (dotted), or nil when the certificate has none.
    public func extensionValue(oid: String) -> [UInt8]? {
        extensions.first { $0.oid == oid }?.value
    }

    /// The text of the extension `oid`, or nil when it is absent or not text.
    ///
    /// For Fulcio's legacy OIDs (`rawStringExtensionOIDs`: 1.3.6.1.4.1.57264.1.1–.6) the value's bytes are the
    /// UTF-8 text itself; for every other OID the value must be exactly one DER UTF8String, IA5String or
    /// PrintableString, whose contents are returned.
    public func extensionString(oid: String) -> String? {
        guard let value = extensionValue(oid: oid) else { return nil }
        if Self.rawStringExtensionOIDs.contains(oid) { return String(validating: value, as: UTF8.self) }
        guard let (tag, contents) = DERElement.single(value), DERElement.stringTags.contains(tag) else { return nil }
        return String(validating: contents, as: UTF8.self)
    }

    /// The subjectAltName entries, in order; empty when there is no such extension.
    public var subjectAlternativeNames: [SubjectAlternativeName] {
        guard let names = X509_get_ext_d2i(handle.pointer, NID_subject_alt_name, nil, nil).map(OpaquePointer.init) else {
            OpenSSLErrorQueue.clear()
            return []
        }
        defer { GENERAL_NAMES_free(names) }
        return (0..<ocitool_sk_GENERAL_NAME_num(names)).compactMap { index in
            ocitool_sk_GENERAL_NAME_value(names, index).map(Self.alternativeName)
        }
    }

    /// Extended key usage OIDs, dotted; empty when there is no such extension.
    public var extendedKeyUsages: [String] {
        guard let usages = X509_get_ext_d2i(handle.pointer, NID_ext_key_usage, nil, nil).map(OpaquePointer.init) else {
            OpenSSLErrorQueue.clear()
            return []
        }
        defer { EXTENDED_KEY_USAGE_free(usages) }
        return (0..<ocitool_sk_ASN1_OBJECT_num(usages)).compactMap { index in
            ocitool_sk_ASN1_OBJECT_value(usages, index).map(ObjectIdentifier.dotted)
        }
    }

    /// The extended key usage names code signing (what Fulcio certificates carry).
    public var hasCodeSigningUsage: Bool { extendedKeyUsages.contains(Self.codeSigningUsage) }

    /// The certificate may sign code: its extended key usage names code signing or any usage, or it has no
    /// extended key usage at all (unrestricted, RFC 5280 §4.2.1.12) — what cosign and sigstore-go accept
    /// through Go's `x509.VerifyOptions{KeyUsages: [CodeSigning]}`, so private-PKI leaves without the
    /// extension verify too.
    public var permitsCodeSigning: Bool {
        guard extensionValue(oid: Self.extendedKeyUsageOID) != nil else { return true }
        let usages = extendedKeyUsages
        return usages.contains(Self.codeSigningUsage) || usages.contains(Self.anyExtendedKeyUsage)
    }

    private static func alternativeName(_ name: UnsafeMutablePointer<GENERAL_NAME>) -> SubjectAlternativeName {
        let entry = name.pointee
        func text(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String {
            String(decoding: ASN1Bytes.of(string), as: UTF8.self)
        }
        switch entry.type {
        case GEN_EMAIL: return .email(text(entry.d.rfc822Name))
        case GEN_URI: return .uri(text(entry.d.uniformResourceIdentifier))
        case GEN_DNS: return .dns(text(entry.d.dNSName))
        case GEN_OTHERNAME:
            guard let other = entry.d.otherName?.pointee, let oid = other.type_id else { return .other("othername") }
            var value: String?
            if let typed = other.value?.pointee, typed.type == V_ASN1_UTF8STRING {
                value = String(validating: ASN1Bytes.of(typed.value.utf8string), as: UTF8.self)
            }
            return .otherName(oid: ObjectIdentifier.dotted(oid), value: value)
        case GEN_IPADD: return .other("IP address \(ASN1Bytes.of(entry.d.iPAddress).map(String.init).joined(separator: "."))")
        case GEN_DIRNAME: return .other("directory name")
        default: return .other("general name of type \(entry.type)")
        }
    }
}
