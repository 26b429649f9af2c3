public import OCI

/// The decision for one image.
public enum Verdict: String, Sendable, Codable {
    case verified, failed, indeterminate
}

/// What the transparency-log check said about one signature or attestation.
public enum LogStatus: String, Sendable, Codable {
    /// The entry verified against the trusted log key and matches the signature, key and payload.
    case verified
    /// No log trust material was given, so nothing was checked.
    case unchecked
    /// An entry was present but did not verify or did not match.
    case failed
    /// Log trust was given but the signature carries no entry.
    case missing
}

/// Who made a keyless signature, from its certificate (`"signer"` in `verify -o json`).
public struct Signer: Sendable, Codable, Hashable {
    /// The certificate's SAN: an e-mail address or URI (a GitHub workflow, …).
    public var identity: String?
    /// The OIDC issuer the certificate records; nil for a private PKI certificate.
    public var issuer: String?
    /// SHA-256 of the signing certificate's DER, hex.
    public var certificateSha256: String
}

/// One signature found for an image and what became of it.
public struct SignatureResult: Sendable, Codable {
    public enum Format: String, Sendable, Codable { case simplesigning, bundle }
    public enum Source: String, Sendable, Codable { case tag, referrer }

    public var format: Format
    public var source: Source
    /// The manifest (cosign `.sig` manifest or referrer) holding it.
    public var manifest: Digest
    /// The manifest it signs (the index or a platform manifest).
    public var subject: Digest
    public var verified: Bool
    public var tlog: LogStatus
    public var reason: String?
    /// Keyless signatures: who signed (present once the certificate was read, even when refused).
    public var signer: Signer?
}

/// One attestation found for an image and what became of it.
public struct AttestationResult: Sendable, Codable {
    public enum Format: String, Sendable, Codable { case dsse, bundle }

    public var predicateType: String?
    public var format: Format
    public var source: SignatureResult.Source
    public var manifest: Digest
    public var subject: Digest
    public var verified: Bool
    public var tlog: LogStatus
    public var reason: String?
    /// Keyless attestations: who signed.
    public var signer: Signer?
    /// The verified in-toto statement (only when `verified`).
    public var statement: JSONValue?
}

public struct ImageReport: Sendable, Codable {
    public var reference: String
    public var digest: Digest?
    public var verdict: Verdict
    public var reasons: [String]
    public var signatures: [SignatureResult]
    public var attestations: [AttestationResult]

    public init(reference: String, digest: Digest?, verdict: Verdict, reasons: [String], signatures: [SignatureResult] = [],
                attestations: [AttestationResult] = []) {
        self.reference = reference
        self.digest = digest
        self.verdict = verdict
        self.reasons = reasons
        self.signatures = signatures
        self.attestations = attestations
    }
}

/// `ocitool verify -o json`: exactly this document.
public struct VerificationReport: Sendable, Codable {
    public struct Stats: Sendable, Codable {
        public var httpRequests: Int
        public var cacheHits: Int
        public var bytes: Int64
        public var elapsedMs: Int
    }

    public var verified: Bool
    public var images: [ImageReport]
    public var stats: Stats
}
