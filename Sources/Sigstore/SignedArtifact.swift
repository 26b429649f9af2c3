/// One signature with everything that came with it, in whichever container it travelled (a sigstore
/// bundle, a cosign `.sig`/`.att` layer and its annotations): what it signs, the signer's certificates if
/// keyless, the log entries and signed timestamps. Nothing here is trusted until `SignatureVerifier` says so.
public struct SignedArtifact: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        /// The exact signed bytes (a simple signing payload, a blob small enough to hold).
        case message([UInt8])
        /// The SHA-256 of the signed bytes (a blob named by digest, an image manifest).
        case sha256Digest([UInt8])
        /// A DSSE envelope: its signatures are over the PAE.
        case envelope(DSSEEnvelope)
    }

    public let content: Content
    /// The signature for message and digest content; envelopes carry their own.
    public let signature: [UInt8]?
    /// Keyless: the signing certificate first, then intermediates (DER). Empty for key-based signatures.
    public let certificates: [[UInt8]]
    /// Whether `certificates` came from a sigstore bundle, where a self-signed root is refused
    /// (conformance `bundle-with-root-cert_fail`); cosign's chain annotation routinely ends in the root.
    public let certificatesFromBundle: Bool
    public let tlogEntries: [TransparencyLogEntry]
    /// DER RFC 3161 timestamp responses over the signature.
    public let timestamps: [[UInt8]]

    public init(content: Content, signature: [UInt8]?, certificates: [[UInt8]] = [], certificatesFromBundle: Bool = false,
                tlogEntries: [TransparencyLogEntry] = [], timestamps: [[UInt8]] = []) {
        self.content = content
        self.signature = signature
        self.certificates = certificates
        self.certificatesFromBundle = certificatesFromBundle
        self.tlogEntries = tlogEntries
        self.timestamps = timestamps
    }

    /// A bundle's signature. For a message signature, `artifact` is what the verifier expects it to sign
    /// (the bundle's digest is an unauthenticated hint); a DSSE bundle signs its own envelope, whose
    /// statement the caller matches against the artifact.
    public init(bundle: SigstoreBundle, artifact: Content) {
        let content: Content
        let signature: [UInt8]?
        switch bundle.content {
        case .dsse(let envelope):
            content = .envelope(envelope)
            signature = nil
        case .messageSignature(let message):
            content = artifact
            signature = message.signature
        }
        let certificates: [[UInt8]]
        switch bundle.verificationMaterial.signingMaterial {
        case .publicKey: certificates = []
        case .certificate(let der): certificates = [der]
        case .certificateChain(let chain): certificates = chain
        }
        self.init(content: content, signature: signature, certificates: certificates, certificatesFromBundle: true,
                  tlogEntries: bundle.verificationMaterial.tlogEntries, timestamps: bundle.verificationMaterial.rfc3161Timestamps)
    }

    public var isKeyless: Bool { !certificates.isEmpty }
}
