public import Crypto

/// What a transparency-log entry must record for it to vouch for a signature: the signature itself, who
/// made it, and what it signs. A log entry about anything else is worthless, however well signed.
public struct ExpectedEntry: Sendable, Hashable {
    public enum Verifier: Sendable, Hashable {
        /// Key-based signing: the entry must hold this key (compared as SPKI DER).
        case publicKey(PublicKey)
        /// Keyless signing: the entry must hold this certificate (compared as DER).
        case certificate([UInt8])
        /// The key of a given certificate (`cosign verify --certificate`): the entry holds the key, or a
        /// certificate for it.
        case certifiedKey(PublicKey)
    }

    public enum Artifact: Sendable, Hashable {
        /// The exact signed bytes (a simple signing payload, a blob): `hashedrekord` entries hold their SHA-256.
        case payload([UInt8])
        /// The SHA-256 of a signed blob too large to hold in memory.
        case sha256Digest([UInt8])
        /// A DSSE envelope: `dsse` / `intoto` entries hold its payload hash and signatures; Rekor v2
        /// `hashedrekord` entries hold the SHA-256 of its PAE.
        case envelope(DSSEEnvelope)
    }

    /// The signature bytes (for an envelope: the one signature that `verifier` made).
    public let signature: [UInt8]
    public let verifier: Verifier
    public let artifact: Artifact

    public init(signature: [UInt8], verifier: Verifier, artifact: Artifact) {
        self.signature = signature
        self.verifier = verifier
        self.artifact = artifact
    }
}
