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
        /// A `sha256:` digest.
        case digest(Digest)

        var digest: [UInt8] {
            switch self {
            case .bytes(let bytes): Hasher.hash(bytes, using: .sha256)
            case .digest(let digest): CandidateChecks.bytes(ofHex: digest.hex)
            }
        }
    }

    public let verifier: SignatureVerifier

    public init(signers: SignerRequirement, trust: TrustedRoot?, clock: any WallClock = SystemWallClock()) {
        verifier = SignatureVerifier(signers: signers, trust: trust, clock: clock)
    }

    public func verify(_ bundle: SigstoreBundle, artifact: Artifact, name: String) -> BlobReport {
        let digest = artifact.digest
        var report = BlobReport(artifact: name, digest: "sha256:" + digest.hexString, verified: false,
                                format: .messageSignature, tlog: verifier.trust == nil ? .unchecked : .missing)
        let content: SignedArtifact.Content
        switch (bundle.content, artifact) {
        case (.messageSignature(let message), _):
            if let hint = message.digest, hint != digest {
                report.reason = "the bundle's message digest is not the artifact's SHA-256 (\(report.digest))"
                return report
            }
            if case .bytes(let bytes) = artifact { content = .message(bytes) } else { content = .sha256Digest(digest) }
        case (.dsse(let envelope), _):
            report.format = .dsse
            content = .envelope(envelope)
            guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
                report.reason = "payload type \(envelope.payloadType) is not an in-toto statement"
                return report
            }
            do {
                let statement = try InTotoStatement(bytes: envelope.payload)
                report.predicateType = statement.predicateType
                guard statement.subjects.contains(where: { $0.digest["sha256"]?.lowercased() == digest.hexString }) else {
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
    /// `sha256:<hex>` of the artifact.
    public var digest: String
    public var verified: Bool
    public var format: Format
    /// DSSE bundles: the statement's predicate type.
    public var predicateType: String?
    public var tlog: LogStatus
    public var signer: Signer?
    public var reason: String?
}
