#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import OCI
import Sigstore

/// Checks every signature and attestation candidate found, concurrently, against the policy's keys and log
/// trust. A candidate counts only if every check passes; each refusal carries its reason.
struct CandidateChecks: Sendable {
    static let signatureAnnotation = "dev.cosignproject.cosign/signature"

    let policy: VerificationPolicy
    /// The image's repository, for --check-reference; nil when nothing names one.
    let repository: Repository?

    private enum Outcome: Sendable {
        case signature(SignatureResult)
        case attestation(AttestationResult)
    }

    func check(_ evidence: [Evidence]) async -> ([SignatureResult], [AttestationResult]) {
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for found in evidence {
                for layer in found.signatureLayers { group.addTask { .signature(checkSimpleSigning(layer, subject: found.subject)) } }
                for layer in found.attestationLayers { group.addTask { .attestation(checkClassicAttestation(layer, subject: found.subject)) } }
                for bundle in found.bundles { group.addTask { checkBundle(bundle, subject: found.subject) } }
            }
            return await group.reduce(into: [Outcome]()) { $0.append($1) }
        }
        var signatures: [SignatureResult] = [], attestations: [AttestationResult] = []
        for outcome in outcomes {
            switch outcome {
            case .signature(let result): signatures.append(result)
            case .attestation(let result): attestations.append(result)
            }
        }
        return (signatures, attestations)
    }

    /// The engine every candidate goes through, with the policy's signers and trust, at the policy's "now".
    private var verifier: SignatureVerifier {
        SignatureVerifier(signers: policy.signers, trust: policy.logTrust,
                          clock: FixedWallClock(Date(timeIntervalSince1970: TimeInterval(policy.now))))
    }

    private var initialLog: LogStatus { policy.logTrust == nil ? .unchecked : .missing }

    // MARK: - cosign classic

    private func checkSimpleSigning(_ layer: Evidence.ClassicLayer, subject: Digest) -> SignatureResult {
        var result = SignatureResult(format: .simplesigning, source: .tag, manifest: layer.manifest, subject: subject,
                                     verified: false, tlog: initialLog, reason: nil)
        let payload: SimpleSigningPayload
        do { payload = try SimpleSigningPayload(bytes: layer.blob) } catch {
            result.reason = "payload: \(error)"
            return result
        }
        guard payload.manifestDigest == subject else {
            result.reason = "signs \(payload.manifestDigest), not this image"
            return result
        }
        if policy.checkReference, !Self.sameRepository(payload.dockerReference, repository) {
            result.reason = repository.map { "signed for \(payload.dockerReference), not \($0) (--check-reference)" }
                ?? "signed for \(payload.dockerReference), but the image has no repository name to compare (--check-reference)"
            return result
        }
        guard let encoded = layer.layer.annotations?[Self.signatureAnnotation],
              let signature = Self.base64(encoded), !signature.isEmpty else {
            result.reason = "no \(Self.signatureAnnotation) annotation with a base64 signature"
            return result
        }
        let signed: SignedArtifact
        switch classicArtifact(layer, content: .message(Array(layer.blob)), signature: signature) {
        case .success(let artifact): signed = artifact
        case .failure(let failure):
            result.tlog = failure.status
            result.reason = failure.reason
            return result
        }
        let verdict = verifier.verify(signed)
        result.apply(verdict)
        return result
    }

    private func checkClassicAttestation(_ layer: Evidence.ClassicLayer, subject: Digest) -> AttestationResult {
        var result = AttestationResult(predicateType: layer.layer.annotations?["predicateType"], format: .dsse, source: .tag,
                                       manifest: layer.manifest, subject: subject, verified: false,
                                       tlog: initialLog, reason: nil, statement: nil)
        let envelope: DSSEEnvelope
        do { envelope = try DSSEEnvelope(bytes: layer.blob) } catch {
            result.reason = "envelope: \(error)"
            return result
        }
        switch classicArtifact(layer, content: .envelope(envelope), signature: nil) {
        case .success(let signed):
            let checked = checkEnvelope(signed, envelope: envelope, subject: subject)
            result.predicateType = checked.statement?.predicateType ?? result.predicateType
            result.apply(checked)
        case .failure(let failure):
            result.tlog = failure.status
            result.reason = failure.reason
        }
        return result
    }

    /// A classic layer's signature with what its annotations carry: for keyless, the certificate and chain
    /// (PEM); the Rekor entry (`dev.sigstore.cosign/bundle`) and an RFC 3161 timestamp.
    private func classicArtifact(_ layer: Evidence.ClassicLayer, content: SignedArtifact.Content,
                                 signature: [UInt8]?) -> Result<SignedArtifact, ClassicFailure> {
        let annotations = layer.layer.annotations ?? [:]
        var certificates: [[UInt8]] = []
        if case .keyless = policy.signers {
            guard let pem = annotations[Self.certificateAnnotation] else {
                return .failure(ClassicFailure(status: initialLog, reason: "no \(Self.certificateAnnotation) annotation: not a keyless signature"))
            }
            do {
                certificates = try Certificate.chain(pem: pem).map(\.der)
                // Trust comes from the trusted root or --ca-roots, never from a root the signature brings.
                certificates += try annotations[Self.chainAnnotation].map { try Certificate.chain(pem: $0) }?
                    .filter { !$0.isSelfSigned }.map(\.der) ?? []
            } catch {
                return .failure(ClassicFailure(status: initialLog, reason: "certificate annotations: \(error)"))
            }
        }
        var entries: [TransparencyLogEntry] = []
        if let annotation = annotations[TransparencyLogEntry.cosignBundleAnnotation] {
            do { entries = [try TransparencyLogEntry(cosignBundleAnnotation: annotation)] } catch {
                if policy.logTrust != nil {
                    return .failure(ClassicFailure(status: .failed, reason: "transparency log entry: \(error)"))
                }
            }
        }
        var timestamps: [[UInt8]] = []
        if let annotation = annotations[Self.timestampAnnotation] {
            guard let token = Self.cosignTimestamp(annotation) else {
                return .failure(ClassicFailure(status: initialLog, reason: "\(Self.timestampAnnotation) is not cosign's {\"SignedRFC3161Timestamp\": base64}"))
            }
            timestamps = [token]
        }
        return .success(SignedArtifact(content: content, signature: signature, certificates: certificates,
                                       tlogEntries: entries, timestamps: timestamps))
    }

    private struct ClassicFailure: Error {
        let status: LogStatus
        let reason: String
    }

    static let certificateAnnotation = "dev.sigstore.cosign/certificate"
    static let chainAnnotation = "dev.sigstore.cosign/chain"
    static let timestampAnnotation = "dev.sigstore.cosign/rfc3161timestamp"

    /// cosign's RFC 3161 annotation: `{"SignedRFC3161Timestamp": base64 DER}`.
    private static func cosignTimestamp(_ annotation: String) -> [UInt8]? {
        struct Wire: Decodable { let SignedRFC3161Timestamp: String }
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(annotation.utf8)) else { return nil }
        return base64(wire.SignedRFC3161Timestamp)
    }

    // MARK: - sigstore bundles

    private func checkBundle(_ artifact: Evidence.BundleArtifact, subject: Digest) -> Outcome {
        var signature = SignatureResult(format: .bundle, source: .referrer, manifest: artifact.manifest, subject: subject,
                                        verified: false, tlog: initialLog, reason: nil)
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle(bytes: artifact.blob) } catch {
            signature.reason = "bundle: \(error)"
            return .signature(signature)
        }
        let digestBytes = Self.bytes(ofHex: subject.hex)
        let signed = SignedArtifact(bundle: bundle, artifact: .sha256Digest(digestBytes))
        switch bundle.content {
        case .messageSignature(let message):
            guard message.digest == nil || message.digest! == digestBytes, subject.algorithm == .sha256 else {
                signature.reason = "the bundle's message digest is not this image's digest"
                return .signature(signature)
            }
            signature.apply(verifier.verify(signed))
            return .signature(signature)
        case .dsse(let envelope):
            let checked = checkEnvelope(signed, envelope: envelope, subject: subject)
            // Classified by the type the statement claims, verified or not, so that a refused attestation is
            // reported as an attestation (as classic ones are), not as a failed signature. It never counts unverified.
            let claimedType = checked.statement?.predicateType ?? Self.claimedPredicateType(envelope)
            let isSignature = claimedType == PredicateType.cosignSign
            var outcome = AttestationResult(predicateType: claimedType, format: .bundle, source: .referrer,
                                            manifest: artifact.manifest, subject: subject, verified: false,
                                            tlog: signature.tlog, reason: nil, statement: nil)
            outcome.apply(checked)
            if isSignature { outcome.statement = nil }
            if isSignature || claimedType == nil {
                signature.tlog = outcome.tlog
                signature.reason = outcome.reason
                signature.verified = outcome.verified
                signature.signer = outcome.signer
                return .signature(signature)
            }
            return .attestation(outcome)
        }
    }

    /// The predicate type an envelope's in-toto statement claims, read without verifying anything.
    private static func claimedPredicateType(_ envelope: DSSEEnvelope) -> String? {
        guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else { return nil }
        return (try? InTotoStatement(bytes: envelope.payload))?.predicateType
    }

    // MARK: - shared checks

    struct EnvelopeCheck {
        var verdict: SignatureVerdict?
        var statement: InTotoStatement?
        var failure: String?
    }

    /// A DSSE envelope counts when its in-toto statement names this image's digest among its subjects and
    /// the engine accepts one of its signatures (over PAE).
    private func checkEnvelope(_ signed: SignedArtifact, envelope: DSSEEnvelope, subject: Digest) -> EnvelopeCheck {
        var check = EnvelopeCheck()
        guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
            check.failure = "payload type \(envelope.payloadType) is not an in-toto statement"
            return check
        }
        let statement: InTotoStatement
        do { statement = try InTotoStatement(bytes: envelope.payload) } catch {
            check.failure = "statement: \(error)"
            return check
        }
        let verdict = verifier.verify(signed)
        check.verdict = verdict
        if let failure = verdict.failure {
            check.failure = failure
            return check
        }
        guard statement.hasSubject(subject) else {
            check.failure = "statement is about \(statement.subjects.flatMap { $0.digest.map { "\($0.key):\($0.value)" } }.joined(separator: ", ")), not this image"
            return check
        }
        check.statement = statement
        return check
    }

    static func sameRepository(_ dockerReference: String, _ repository: Repository?) -> Bool {
        guard let repository, let signed = try? Reference(parsing: dockerReference) else { return false }
        return signed.repository == repository
    }

    static func base64(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text, options: .ignoreUnknownCharacters).map(Array.init)
    }

    static func bytes(ofHex hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            out.append(UInt8(Self.nibble(high) << 4 | Self.nibble(low)))
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
}
