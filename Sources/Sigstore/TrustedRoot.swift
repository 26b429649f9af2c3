import Crypto

/// The keys and certificates a verifier trusts: sigstore's `trusted_root.json`, or a single Rekor key.
///
/// protobuf-specs `dev.sigstore.trustroot.v1.TrustedRoot`: `{"mediaType", "tlogs", "certificateAuthorities",
/// "ctlogs", "timestampAuthorities"}`. Every validity window must have a start.
public struct TrustedRoot: Codable, Sendable, Hashable {
    public static let mediaTypes: Set<String> = [
        "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
        "application/vnd.dev.sigstore.trustedroot+json;version=0.2",
        "application/vnd.dev.sigstore.trustedroot.v0.2+json",
    ]

    public let mediaType: String
    public let transparencyLogs: [TransparencyLog]
    public let certificateAuthorities: [CertificateAuthority]
    public let certificateTransparencyLogs: [CertificateTransparencyLog]
    public let timestampAuthorities: [CertificateAuthority]

    public init(transparencyLogs: [TransparencyLog], certificateAuthorities: [CertificateAuthority] = [],
                certificateTransparencyLogs: [CertificateTransparencyLog] = [],
                timestampAuthorities: [CertificateAuthority] = []) {
        self.mediaType = "application/vnd.dev.sigstore.trustedroot+json;version=0.1"
        self.transparencyLogs = transparencyLogs
        self.certificateAuthorities = certificateAuthorities
        self.certificateTransparencyLogs = certificateTransparencyLogs
        self.timestampAuthorities = timestampAuthorities
    }

    /// Parses `trusted_root.json`.
    public init(bytes: some Sequence<UInt8>) throws(SigstoreError) {
        do {
            self = try JSONFields.decode(Self.self, from: bytes, document: "trusted root")
        } catch {
            throw .invalidTrustMaterial(reason: error.description)
        }
    }

    /// Trust in exactly one Rekor, from its PEM public key (`--rekor-key`); valid at any time.
    /// `origin` (the checkpoint origin, e.g. `log2025-1.rekor.sigstore.dev`) is needed for a Rekor v2 key.
    public init(rekorPublicKeyPEM pem: String, origin: String? = nil) throws(SigstoreError) {
        let key: PublicKey
        do { key = try PublicKey(pem: pem) } catch {
            throw .invalidTrustMaterial(reason: "the Rekor public key is not usable: \(error)")
        }
        self.init(transparencyLogs: [TransparencyLog(publicKey: key, origin: origin)])
    }

    /// The transparency log whose ID is `logID`, if trusted.
    public func transparencyLog(id logID: [UInt8]) -> TransparencyLog? {
        transparencyLogs.first { $0.logID == logID }
    }

    private enum CodingKeys: String, CodingKey {
        case mediaType, transparencyLogs = "tlogs", certificateAuthorities
        case certificateTransparencyLogs = "ctlogs", timestampAuthorities
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mediaType = try container.decode(String.self, forKey: .mediaType)
        guard Self.mediaTypes.contains(mediaType) else {
            throw container.failure(.mediaType, "unknown trusted root media type \"\(mediaType)\"")
        }
        transparencyLogs = try container.decodeIfPresent([TransparencyLog].self, forKey: .transparencyLogs) ?? []
        certificateAuthorities = try container.decodeIfPresent([CertificateAuthority].self, forKey: .certificateAuthorities) ?? []
        certificateTransparencyLogs = try container.decodeIfPresent([CertificateTransparencyLog].self,
                                                                    forKey: .certificateTransparencyLogs) ?? []
        timestampAuthorities = try container.decodeIfPresent([CertificateAuthority].self, forKey: .timestampAuthorities) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mediaType, forKey: .mediaType)
        try container.encode(transparencyLogs, forKey: .transparencyLogs)
        try container.encode(certificateAuthorities, forKey: .certificateAuthorities)
        try container.encode(certificateTransparencyLogs, forKey: .certificateTransparencyLogs)
        try container.encode(timestampAuthorities, forKey: .timestampAuthorities)
    }
}
