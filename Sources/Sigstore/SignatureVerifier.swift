#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Crypto

/// Whom a verifier accepts as signer.
public enum SignerRequirement: Sendable {
    /// Key-based: any one of these keys.
    case keys([PublicKey])
    /// Keyless: a certificate chaining to a trusted CA, whose identity the policy accepts.
    case keyless(KeylessTrust)
    /// The key of a certificate given out of band (`cosign verify --certificate`, Kyverno's `certificates`
    /// attestor): signatures verify with it, whether or not they carry the certificate, and their log entry
    /// may record the key or a certificate for it.
    case certifiedKey(PublicKey)
}

/// What keyless verification trusts besides the transparency logs: the certificate authorities (a
/// trusted root's, or a private PKI's), the CT logs for SCTs, the timestamp authorities, and whom it accepts.
public struct KeylessTrust: Sendable {
    public let identity: CertificateIdentityPolicy
    let certificates: KeylessCertificateVerifier
    let timestamps: TimestampVerifier

    /// Fulcio: the trusted root's CAs (each inside its `validFor` window), CT logs and TSAs.
    public init(identity: CertificateIdentityPolicy, trustedRoot: TrustedRoot, ignoreSCTs: Bool = false) throws(SigstoreError) {
        self.identity = identity
        certificates = try KeylessCertificateVerifier(trustedRoot: trustedRoot, ignoreSCTs: ignoreSCTs)
        timestamps = try TimestampVerifier(trustedRoot: trustedRoot)
    }

    /// A private PKI (`--ca-roots`, `--ca-intermediates`); CT logs and TSAs from `trustedRoot` when given.
    public init(identity: CertificateIdentityPolicy, roots: [Certificate], intermediates: [Certificate], trustedRoot: TrustedRoot?,
                ignoreSCTs: Bool = false) throws(SigstoreError) {
        self.identity = identity
        certificates = try KeylessCertificateVerifier(roots: roots, intermediates: intermediates,
                                                      certificateTransparencyLogs: trustedRoot?.certificateTransparencyLogs ?? [],
                                                      ignoreSCTs: ignoreSCTs)
        timestamps = try TimestampVerifier(authorities: trustedRoot?.timestampAuthorities ?? [])
    }
}

/// The conclusion about one signature.
public struct SignatureVerdict: Sendable, Hashable {
    /// Keyless: who signed (set once the certificate was read, even if a later check failed).
    public var signer: SignerIdentity?
    public var tlog: TransparencyLogVerdict
    /// nil when the signature verified; otherwise the first check that did not hold.
    public var failure: String?

    public var isVerified: Bool { failure == nil }
}

/// The one verification engine for signatures, whatever carried them (`verify`, `verify-blob`, bundles,
/// classic cosign layers):
///
/// 1. the signature verifies with one of the keys, or with the public key of the leaf certificate;
/// 2. with log trust, a transparency-log entry verifies and records this signature, key or certificate and
///    content (`TransparencyLogVerifier`); any signed timestamps verify against the trusted TSAs;
/// 3. keyless: the signing time is each verified entry's integrated time (Rekor v1) and each verified
///    RFC 3161 time — Rekor v2 entries have none, so they need a timestamp. Without any, there is no time at
///    which to check a ten-minute certificate, and the signature is refused. At every signing time the chain
///    must lead to a trusted CA valid then (`KeylessCertificateVerifier`: CA `validFor`, code-signing EKU,
///    SCTs), and the certificate's identity must satisfy the policy.
///
/// Without log trust, the signing time is that of the RFC 3161 timestamps when the trust material names
/// timestamp authorities (a signature without one is refused); a private PKI with neither logs nor timestamp
/// authorities is checked at the current time, as cosign does.
public struct SignatureVerifier: Sendable {
    public let signers: SignerRequirement
    /// Transparency logs, CAs, CT logs and TSAs; nil means nothing logged is checked ("unchecked").
    public let trust: TrustedRoot?
    public let clock: any WallClock

    public init(signers: SignerRequirement, trust: TrustedRoot?, clock: any WallClock = SystemWallClock()) {
        self.signers = signers
        self.trust = trust
        self.clock = clock
    }

    public func verify(_ artifact: SignedArtifact) -> SignatureVerdict {
        var verdict = SignatureVerdict(signer: nil, tlog: trust == nil ? .unchecked : .missing, failure: nil)
        switch signers {
        case .keys(let keys):
            if artifact.isKeyless, artifact.certificatesFromBundle {
                verdict.failure = "keyless bundle (signed by a certificate): verify it with --certificate-identity and --certificate-oidc-issuer, not --key"
                return verdict
            }
            return verifyWithKeys(artifact, keys, verifier: ExpectedEntry.Verifier.publicKey)
        case .certifiedKey(let key):
            return verifyWithKeys(artifact, [key], verifier: ExpectedEntry.Verifier.certifiedKey)
        case .keyless(let keyless):
            return verifyKeyless(artifact, keyless)
        }
    }

    private func verifyWithKeys(_ artifact: SignedArtifact, _ keys: [PublicKey], verifier: (PublicKey) -> ExpectedEntry.Verifier) -> SignatureVerdict {
        var verdict = SignatureVerdict(signer: nil, tlog: trust == nil ? .unchecked : .missing, failure: nil)
        guard let (key, signature) = Self.signer(of: artifact, among: keys) else {
            verdict.failure = "\(Self.what(artifact)) does not verify with the given key(s)"
            return verdict
        }
        verdict.tlog = logVerdict(artifact, expected: ExpectedEntry(signature: signature, verifier: verifier(key),
                                                                    artifact: Self.expectedArtifact(artifact.content))).verdict
        verdict.failure = Self.logFailure(verdict.tlog)
        return verdict
    }

    private func verifyKeyless(_ artifact: SignedArtifact, _ keyless: KeylessTrust) -> SignatureVerdict {
        var verdict = SignatureVerdict(signer: nil, tlog: trust == nil ? .unchecked : .missing, failure: nil)
        guard let leafDER = artifact.certificates.first else {
            verdict.failure = "signed with a key, not a certificate: verify it with --key"
            return verdict
        }
        let leaf: Certificate
        let chain: [Certificate]
        let leafKey: PublicKey
        do {
            leaf = try Certificate(der: leafDER)
            chain = try artifact.certificates.dropFirst().map { der throws(CryptoError) in try Certificate(der: der) }
            leafKey = try leaf.publicKey
        } catch {
            verdict.failure = "the signing certificate is unusable: \(error)"
            return verdict
        }
        verdict.signer = SignerIdentity(certificate: leaf)
        guard let (_, signature) = Self.signer(of: artifact, among: [leafKey]) else {
            verdict.failure = "\(Self.what(artifact)) does not verify with the signing certificate's key"
            return verdict
        }

        var signingTimes: [Int64] = []
        if trust != nil {
            let expected = ExpectedEntry(signature: signature, verifier: .certificate(leafDER), artifact: Self.expectedArtifact(artifact.content))
            let log = logVerdict(artifact, expected: expected)
            verdict.tlog = log.verdict
            if let failure = Self.logFailure(verdict.tlog) {
                verdict.failure = failure
                return verdict
            }
            signingTimes += log.integratedTimes
        }
        if trust != nil || !keyless.timestamps.isEmpty {
            // Every signed timestamp must verify: one that does not is a forged or misattributed time.
            for token in artifact.timestamps {
                do { signingTimes.append(try keyless.timestamps.verify(signedTimestamp: token, signature: signature).time) } catch {
                    verdict.failure = error.description
                    return verdict
                }
            }
            guard !signingTimes.isEmpty else {
                let log = trust != nil ? "the log entry has no integrated time (Rekor v2)" : "no transparency log is trusted"
                verdict.failure = "no signing time: \(log) and the signature has no RFC 3161 timestamp, so the certificate "
                    + "cannot be checked at the time it signed"
                return verdict
            }
        } else {
            signingTimes = [Int64(clock.now.timeIntervalSince1970)]
        }

        for time in signingTimes {
            do { _ = try keyless.certificates.verify(leaf: leaf, bundleChain: chain, at: time) } catch {
                verdict.failure = error.description
                return verdict
            }
        }
        if let signer = verdict.signer, let mismatch = keyless.identity.mismatch(signer) {
            verdict.failure = mismatch
        }
        return verdict
    }

    // MARK: - Signature

    /// The first key that verifies the artifact's signature (for an envelope: one of its signatures over PAE).
    static func signer(of artifact: SignedArtifact, among keys: [PublicKey]) -> (PublicKey, [UInt8])? {
        switch artifact.content {
        case .envelope(let envelope):
            let pae = envelope.pae
            for candidate in envelope.signatures {
                if let key = keys.first(where: { $0.isValidSignature(candidate.signature, for: pae) }) {
                    return (key, candidate.signature)
                }
            }
            return nil
        case .message(let bytes):
            guard let signature = artifact.signature,
                  let key = keys.first(where: { $0.isValidSignature(signature, for: bytes) }) else { return nil }
            return (key, signature)
        case .sha256Digest(let digest):
            guard let signature = artifact.signature, digest.count == 32,
                  let key = keys.first(where: { $0.isValidSignature(signature, forSHA256Digest: digest) }) else { return nil }
            return (key, signature)
        }
    }

    private static func what(_ artifact: SignedArtifact) -> String {
        switch artifact.content {
        case .envelope: "envelope signature"
        case .message: "signature"
        case .sha256Digest: "message signature over the digest"
        }
    }

    static func expectedArtifact(_ content: SignedArtifact.Content) -> ExpectedEntry.Artifact {
        switch content {
        case .message(let bytes): .payload(bytes)
        case .sha256Digest(let digest): .sha256Digest(digest)
        case .envelope(let envelope): .envelope(envelope)
        }
    }

    // MARK: - Transparency log

    /// With log trust, one entry must verify and match; without, nothing is checked. Also the integrated
    /// times of the entries that verified (Rekor v1; Rekor v2 entries have none): keyless signing times.
    private func logVerdict(_ artifact: SignedArtifact, expected: ExpectedEntry) -> (verdict: TransparencyLogVerdict, integratedTimes: [Int64]) {
        guard let trust else { return (.unchecked, []) }
        guard !artifact.tlogEntries.isEmpty else { return (.missing, []) }
        let verifier = TransparencyLogVerifier(trust: trust, clock: clock)
        var reasons: [String] = []
        var times: [Int64] = []
        for entry in artifact.tlogEntries {
            switch verifier.verify(entry, expecting: expected) {
            case .verified: times += entry.integratedTime.map { [$0] } ?? []
            case .failed(let reason): reasons.append(reason)
            case .missing, .unchecked: reasons.append("entry not checked")
            }
        }
        return times.isEmpty && reasons.count == artifact.tlogEntries.count
            ? (.failed(reason: reasons.joined(separator: "; ")), [])
            : (.verified, times)
    }

    static func logFailure(_ verdict: TransparencyLogVerdict) -> String? {
        switch verdict {
        case .verified, .unchecked: nil
        case .missing: "no transparency log entry, but log trust was given"
        case .failed: verdict.description
        }
    }
}
