public import Crypto

/// A transparency log the verifier trusts: its key, its log ID and when the key was valid.
///
/// protobuf-specs `dev.sigstore.trustroot.v1.TransparencyLogInstance`:
/// `{"baseUrl", "hashAlgorithm", "publicKey": {"rawBytes": DER SPKI, "keyDetails", "validFor"}, "logId": {"keyId"}}`.
public struct TransparencyLog: Codable, Sendable, Hashable {
    public let baseURL: String
    /// `SHA2_256` for every Rekor; other values are refused when verifying.
    public let hashAlgorithm: String
    public let keyDetails: String
    public let publicKey: PublicKey
    public let validFor: TimeRange
    /// What entries name the log by: SHA-256 of the key's SPKI DER for Rekor v1; for Rekor v2 the C2SP
    /// signed-note key ID, SHA-256(origin || "\n" || 0x01 || Ed25519 key).
    public let logID: [UInt8]

    public init(baseURL: String, hashAlgorithm: String = "SHA2_256", keyDetails: String, publicKey: PublicKey,
                validFor: TimeRange, logID: [UInt8]) {
        self.baseURL = baseURL
        self.hashAlgorithm = hashAlgorithm
        self.keyDetails = keyDetails
        self.publicKey = publicKey
        self.validFor = validFor
        self.logID = logID
    }

    /// A log known only by its key, as `--rekor-key` gives it. The log ID is SHA-256 of the SPKI DER
    /// (Rekor v1); for an Ed25519 key with `origin` (Rekor v2) it is the signed-note key ID.
    public init(publicKey: PublicKey, origin: String? = nil) {
        let logID: [UInt8]
        if let origin, publicKey.kind == .ed25519, publicKey.spkiDER.count >= 32 {
            logID = SignedNote.ed25519KeyID(name: origin, rawKey: Array(publicKey.spkiDER.suffix(32)))
        } else {
            logID = Hasher.hash(publicKey.spkiDER, using: .sha256)
        }
        self.init(baseURL: origin.map { "https://\($0)" } ?? "", keyDetails: "", publicKey: publicKey,
                  validFor: .always, logID: logID)
    }

    /// How messages name the log: its URL, or its log ID when it was given as a bare key.
    public var name: String { baseURL.isEmpty ? "log \(logID.hexString)" : baseURL }

    private enum CodingKeys: String, CodingKey { case baseURL = "baseUrl", hashAlgorithm, publicKey, logID = "logId" }
    private enum KeyCodingKeys: String, CodingKey { case rawBytes, keyDetails, validFor }
    private enum LogIDCodingKeys: String, CodingKey { case keyID = "keyId" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL) ?? ""
        hashAlgorithm = try container.decode(String.self, forKey: .hashAlgorithm)
        let key = try container.nestedContainer(keyedBy: KeyCodingKeys.self, forKey: .publicKey)
        keyDetails = try key.decodeIfPresent(String.self, forKey: .keyDetails) ?? ""
        let der = try key.decodeBase64(.rawBytes)
        do { publicKey = try PublicKey(der: der) } catch {
            throw key.failure(.rawBytes, "not a usable public key (\(error))")
        }
        validFor = try key.decode(TimeRange.self, forKey: .validFor)
        let id = try container.nestedContainer(keyedBy: LogIDCodingKeys.self, forKey: .logID)
        logID = try id.decodeBase64(.keyID)
        guard logID.count == 32 else { throw id.failure(.keyID, "a log ID is 32 bytes, got \(logID.count)") }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(baseURL, forKey: .baseURL)
        try container.encode(hashAlgorithm, forKey: .hashAlgorithm)
        var key = container.nestedContainer(keyedBy: KeyCodingKeys.self, forKey: .publicKey)
        try key.encode(Base64.encode(publicKey.spkiDER), forKey: .rawBytes)
        try key.encode(keyDetails, forKey: .keyDetails)
        try key.encode(validFor, forKey: .validFor)
        var id = container.nestedContainer(keyedBy: LogIDCodingKeys.self, forKey: .logID)
        try id.encode(Base64.encode(logID), forKey: .keyID)
    }
}
