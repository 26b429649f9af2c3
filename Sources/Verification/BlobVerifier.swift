#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
public import OCI
public import Sigstore

/// `ocitool verify-blob`: one sigstore bundle about one artifact (a file's bytes, or just its SHA-256),
/// through the same engine as images. A message signature must sign the artifact (the bundle's digest is
/// only a hint, but one that contradicts the artifact is refused); a DSSE bundle's in-toto statement must
/// name the artifact's digest among its subjects.
public struct BlobVerifier: Sendable {
    public enum Artifact: Sendable {
        case bytes([UInt8])
        /// A `sha256:` or `sha512:` digest (in-toto subjects of npm provenance name only SHA-512).
        case digest(Digest)

        /// The artifact's digests the caller can vouch for: of the bytes, both algorithms.
        var digests: [Digest] {
            switch self {
            case .bytes(let bytes):
                [("sha256", HashAlgorithm.sha256), ("sha512", .sha512)].compactMap { name, algorithm in
                    try? Digest(parsing: "\(name):" + Hasher.hash(bytes, using: algorithm).hexString)
                }
            case .digest(let digest): [digest]
            }
        }
    }

    public let verifier: SignatureVerifier

    public init(signers: SignerRequirement, trust: TrustedRoot?, clock: any WallClock = SystemWallClock()) {
        verifier = SignatureVerifier(signers: signers, trust: trust, clock: clock)
    }

    public func verify(_ bundle: SigstoreBundle, artifact: Artifact, name: String) -> BlobReport {
        let digests = artifact.digests
        var report = BlobReport(artifact: name, digest: digests[0].description, verified: false,
                                format: .messageSignature, tlog: verifier.trust == nil ? .unchecked : .missing)
        let content: SignedArtifact.Content
        switch bundle.content {
        case .messageSignature(let message):
            guard let sha256 = digests.first(where: { $0.algorithm == .sha256 }) else {
                report.reason = "a message signature is over the artifact's SHA-256: give the file or its sha256: digest"
                return report
            }
            let digest = CandidateChecks.bytes(ofHex: sha256.hex)
            if let hint = message.digest, hint != digest {
                report.reason = "the bundle's message digest is not the artifact's SHA-256 (\(sha256))"
                return report
            }
            if case .bytes(let bytes) = artifact { content = .message(bytes) } else { content = .sha256Digest(digest) }
        case .dsse(let envelope):
            report.format = .dsse
            content = .envelope(envelope)
            guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
                report.reason = "payload type \(envelope.payloadType) is not an in-toto statement"
                return report
            }
            do {
                let statement = try InTotoStatement(bytes: envelope.payload)
                report.predicateType = statement.predicateType
                guard digests.contains(where: statement.hasSubject) else {
                    report.reason = "the in-toto statement's subjects do not include the artifact (\(report.digest))"
                    return report
                }
            } catch {
                report.reason = "statement: \(error)"
                return report
            }
        }
        let verdict = verifier.verify(SignedArtifact(bundle: bundle, artifact: content))
        report.verified = verdict.isVerified
        report.reason = verdict.failure
        report.tlog = LogStatus(verdict.tlog)
        report.signer = verdict.signer.map(Signer.init)
        return report
    }
}

/// `ocitool verify-blob -o json`: exactly this document.
public struct BlobReport: Sendable, Codable {
    public enum Format: String, Sendable, Codable { case messageSignature = "message-signature", dsse }

    public var artifact: String
    /// `sha256:<hex>` of the artifact (or the digest given).
    public var digest: String
    public var verified: Bool
    public var format: Format
    /// DSSE bundles: the statement's predicate type.
    public var predicateType: String?
    public var tlog: LogStatus
    public var signer: Signer?
    public var reason: String?
}
