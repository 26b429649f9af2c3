/// A certificate authority or timestamp authority from a trusted root, kept as DER for chain
/// verification (a later step): `{"subject": {"organization", "commonName"}, "uri", "certChain":
/// {"certificates": [{"rawBytes"}]}, "validFor"}` (protobuf-specs `CertificateAuthority`).
public struct CertificateAuthority: Codable, Sendable, Hashable {
    public let organization: String?
    public let commonName: String?
    public let uri: String?
    /// DER certificates, leaf-most first, root last.
    public let certificates: [[UInt8]]
    public let validFor: TimeRange

    private enum CodingKeys: String, CodingKey { case subject, uri, certChain, validFor }
    private enum SubjectKeys: String, CodingKey { case organization, commonName }
    private enum ChainKeys: String, CodingKey { case certificates }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.subject) {
            let subject = try container.nestedContainer(keyedBy: SubjectKeys.self, forKey: .subject)
            organization = try subject.decodeIfPresent(String.self, forKey: .organization)
            commonName = try subject.decodeIfPresent(String.self, forKey: .commonName)
        } else {
            organization = nil
            commonName = nil
        }
        uri = try container.decodeIfPresent(String.self, forKey: .uri)
        let chain = try container.nestedContainer(keyedBy: ChainKeys.self, forKey: .certChain)
        certificates = try chain.decode([RawBytes].self, forKey: .certificates).map(\.bytes)
        guard !certificates.isEmpty else { throw chain.failure(.certificates, "the chain holds no certificate") }
        validFor = try container.decode(TimeRange.self, forKey: .validFor)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var subject = container.nestedContainer(keyedBy: SubjectKeys.self, forKey: .subject)
        try subject.encodeIfPresent(organization, forKey: .organization)
        try subject.encodeIfPresent(commonName, forKey: .commonName)
        try container.encodeIfPresent(uri, forKey: .uri)
        var chain = container.nestedContainer(keyedBy: ChainKeys.self, forKey: .certChain)
        try chain.encode(certificates.map(RawBytes.init), forKey: .certificates)
        try container.encode(validFor, forKey: .validFor)
    }
}

/// A certificate transparency log (for SCTs, a later step): its key stays DER as given, since CT logs
/// also use PKCS#1 RSA keys (`keyDetails` `PKCS1_RSA_PKCS1V5`).
public struct CertificateTransparencyLog: Codable, Sendable, Hashable {
    public let baseURL: String
    public let hashAlgorithm: String
    public let keyDetails: String
    public let publicKeyDER: [UInt8]
    public let validFor: TimeRange
    public let logID: [UInt8]

    private enum CodingKeys: String, CodingKey { case baseURL = "baseUrl", hashAlgorithm, publicKey, logID = "logId" }
    private enum KeyCodingKeys: String, CodingKey { case rawBytes, keyDetails, validFor }
    private enum LogIDCodingKeys: String, CodingKey { case keyID = "keyId" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL) ?? ""
        hashAlgorithm = try container.decode(String.self, forKey: .hashAlgorithm)
        let key = try container.nestedContainer(keyedBy: KeyCodingKeys.self, forKey: .publicKey)
        keyDetails = try key.decodeIfPresent(String.self, forKey: .keyDetails) ?? ""
        publicKeyDER = try key.decodeBase64(.rawBytes)
        validFor = try key.decode(TimeRange.self, forKey: .validFor)
        logID = try container.nestedContainer(keyedBy: LogIDCodingKeys.self, forKey: .logID).decodeBase64(.keyID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(baseURL, forKey: .baseURL)
        try container.encode(hashAlgorithm, forKey: .hashAlgorithm)
        var key = container.nestedContainer(keyedBy: KeyCodingKeys.self, forKey: .publicKey)
        try key.encode(Base64.encode(publicKeyDER), forKey: .rawBytes)
        try key.encode(keyDetails, forKey: .keyDetails)
        try key.encode(validFor, forKey: .validFor)
        var id = container.nestedContainer(keyedBy: LogIDCodingKeys.self, forKey: .logID)
        try id.encode(Base64.encode(logID), forKey: .keyID)
    }
}

/// `{"rawBytes": base64}`, the protobuf-specs wrapper around DER.
struct RawBytes: Codable, Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private enum CodingKeys: String, CodingKey { case rawBytes }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        bytes = try container.decodeBase64(.rawBytes)
        guard !bytes.isEmpty else { throw container.failure(.rawBytes, "empty") }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Base64.encode(bytes), forKey: .rawBytes)
    }
}
