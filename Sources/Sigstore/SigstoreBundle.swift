/// A Sigstore bundle: one signature (a DSSE envelope or a message signature) with everything needed to
/// verify it offline — key hint or certificate(s), transparency-log entries, signed timestamps.
///
/// protobuf-specs `dev.sigstore.bundle.v1.Bundle`, JSON. Media types
/// `application/vnd.dev.sigstore.bundle+json;version=0.1|0.2|0.3` and `application/vnd.dev.sigstore.bundle.v0.3+json`
/// (cosign v3 pushes the latter as an OCI referrer). Version rules enforced on parse, as sigstore-go does:
/// v0.1 log entries need a signed entry timestamp, v0.2+ entries an inclusion proof; v0.3 carries a single
/// `certificate`, never an `x509CertificateChain`; a chain must not be empty and must be X.509 DER.
/// Whether a chain's root is acceptable depends on the trust: see `certificateChainViolation(trustedBy:)`.
public struct SigstoreBundle: Codable, Sendable, Hashable {
    public enum Version: String, Sendable, Hashable, Comparable, CaseIterable {
        case v0_1 = "0.1", v0_2 = "0.2", v0_3 = "0.3"

        public static func < (lhs: Version, rhs: Version) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Bundle media types ocitool reads, with their versions.
    public static let mediaTypes: [String: Version] = [
        "application/vnd.dev.sigstore.bundle+json;version=0.1": .v0_1,
        "application/vnd.dev.sigstore.bundle+json;version=0.2": .v0_2,
        "application/vnd.dev.sigstore.bundle+json;version=0.3": .v0_3,
        "application/vnd.dev.sigstore.bundle.v0.3+json": .v0_3,
    ]

    /// Who signed, as far as the bundle says. Nothing here is trusted by itself.
    public enum SigningMaterial: Sendable, Hashable {
        /// Key-based: the verifier supplies the key; `hint` only names it.
        case publicKey(hint: String?)
        /// Keyless v0.3: the DER signing certificate.
        case certificate([UInt8])
        /// Keyless v0.1–0.2: DER certificates, signing certificate first.
        case certificateChain([[UInt8]])
    }

    public struct MessageSignature: Sendable, Hashable {
        /// protobuf `HashAlgorithm` name (`SHA2_256`, …) of `digest`; both are unauthenticated hints.
        public let digestAlgorithm: String?
        public let digest: [UInt8]?
        public let signature: [UInt8]

        public init(digestAlgorithm: String?, digest: [UInt8]?, signature: [UInt8]) {
            self.digestAlgorithm = digestAlgorithm
            self.digest = digest
            self.signature = signature
        }
    }

    public enum Content: Sendable, Hashable {
        case dsse(DSSEEnvelope)
        case messageSignature(MessageSignature)
    }

    public struct VerificationMaterial: Sendable, Hashable {
        public let signingMaterial: SigningMaterial
        public let tlogEntries: [TransparencyLogEntry]
        /// DER RFC 3161 timestamp responses (`timestampVerificationData.rfc3161Timestamps[].signedTimestamp`).
        public let rfc3161Timestamps: [[UInt8]]

        public init(signingMaterial: SigningMaterial, tlogEntries: [TransparencyLogEntry], rfc3161Timestamps: [[UInt8]]) {
            self.signingMaterial = signingMaterial
            self.tlogEntries = tlogEntries
            self.rfc3161Timestamps = rfc3161Timestamps
        }
    }

    public let mediaType: String
    public let version: Version
    public let verificationMaterial: VerificationMaterial
    public let content: Content

    public init(mediaType: String, verificationMaterial: VerificationMaterial, content: Content) throws(SigstoreError) {
        guard let version = Self.mediaTypes[mediaType] else {
            throw .unsupported(document: "Sigstore bundle", reason: "unknown media type \"\(mediaType)\"")
        }
        self.mediaType = mediaType
        self.version = version
        self.verificationMaterial = verificationMaterial
        self.content = content
        if let violation = Self.violation(version: version, material: verificationMaterial) {
            throw .malformed(document: "Sigstore bundle", reason: violation)
        }
    }

    /// Parses bundle JSON (a `.sigstore.json` file, the layer of a cosign v3 referrer).
    public init(bytes: some Sequence<UInt8>) throws(SigstoreError) {
        self = try JSONFields.decode(Self.self, from: bytes, document: "Sigstore bundle")
    }

    /// The DER signing certificate, for keyless bundles.
    public var signingCertificate: [UInt8]? {
        switch verificationMaterial.signingMaterial {
        case .publicKey: nil
        case .certificate(let der): der
        case .certificateChain(let chain): chain.first
        }
    }

    /// The signature bytes the log entries and the verifier must agree on (for DSSE, the first signature:
    /// a bundle's envelope carries exactly one in practice).
    public var signature: [UInt8] {
        switch content {
        case .dsse(let envelope): envelope.signatures[0].signature
        case .messageSignature(let message): message.signature
        }
    }

    static func violation(version: Version, material: VerificationMaterial) -> String? {
        switch material.signingMaterial {
        case .publicKey, .certificate:
            break
        case .certificateChain(let chain):
            if version >= .v0_3 { return "a v0.3 bundle carries one certificate, not an x509CertificateChain" }
            if chain.isEmpty { return "the certificate chain is empty" }
            for (index, der) in chain.enumerated() where CertificateNames(der: der) == nil {
                return "certificate \(index) of the chain is not X.509 DER"
            }
        }
        for (index, entry) in material.tlogEntries.enumerated() {
            if version == .v0_1, entry.signedEntryTimestamp == nil {
                return "tlogEntries[\(index)] has no inclusion promise, which a v0.1 bundle requires"
            }
            if version >= .v0_2, entry.inclusionProof == nil {
                return "tlogEntries[\(index)] has no inclusion proof, which a v\(version.rawValue) bundle requires"
            }
        }
        return nil
    }
}
