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

    // MARK: - cosign classic

    private func checkSimpleSigning(_ layer: Evidence.ClassicLayer, subject: Digest) -> SignatureResult {
        var result = SignatureResult(format: .simplesigning, source: .tag, manifest: layer.manifest, subject: subject,
                                     verified: false, tlog: policy.logTrust == nil ? .unchecked : .missing, reason: nil)
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
        let payloadBytes = Array(layer.blob)
        guard let key = policy.keys.first(where: { $0.isValidSignature(signature, for: payloadBytes) }) else {
            result.reason = "signature does not verify with the given key(s)"
            return result
        }
        let entry = layer.layer.annotations?[TransparencyLogEntry.cosignBundleAnnotation]
        let log = checkLog(annotation: entry, expected: ExpectedEntry(signature: signature, verifier: .publicKey(key), artifact: .payload(payloadBytes)))
        result.tlog = log.status
        result.reason = log.failure
        result.verified = log.failure == nil
        return result
    }

    private func checkClassicAttestation(_ layer: Evidence.ClassicLayer, subject: Digest) -> AttestationResult {
        var result = AttestationResult(predicateType: layer.layer.annotations?["predicateType"], format: .dsse, source: .tag,
                                       manifest: layer.manifest, subject: subject, verified: false,
                                       tlog: policy.logTrust == nil ? .unchecked : .missing, reason: nil, statement: nil)
        let envelope: DSSEEnvelope
        do { envelope = try DSSEEnvelope(bytes: layer.blob) } catch {
            result.reason = "envelope: \(error)"
            return result
        }
        let checked = checkEnvelope(envelope, subject: subject)
        result.predicateType = checked.statement?.predicateType ?? result.predicateType
        guard let signer = checked.signer, let statement = checked.statement else {
            result.reason = checked.failure
            return result
        }
        let entry = layer.layer.annotations?[TransparencyLogEntry.cosignBundleAnnotation]
        let log = checkLog(annotation: entry, expected: ExpectedEntry(signature: signer.signature, verifier: .publicKey(signer.key), artifact: .envelope(envelope)))
        result.tlog = log.status
        result.reason = log.failure
        result.verified = log.failure == nil
        if result.verified { result.statement = try? JSONDecoder().decode(JSONValue.self, from: Data(statement.json)) }
        return result
    }

    // MARK: - sigstore bundles

    private func checkBundle(_ artifact: Evidence.BundleArtifact, subject: Digest) -> Outcome {
        var signature = SignatureResult(format: .bundle, source: .referrer, manifest: artifact.manifest, subject: subject,
                                        verified: false, tlog: policy.logTrust == nil ? .unchecked : .missing, reason: nil)
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle(bytes: artifact.blob) } catch {
            signature.reason = "bundle: \(error)"
            return .signature(signature)
        }
        guard case .publicKey = bundle.verificationMaterial.signingMaterial else {
            signature.reason = "keyless bundle (signed by a certificate): certificate identities are not supported yet"
            return .signature(signature)
        }
        switch bundle.content {
        case .messageSignature(let message):
            guard message.digest == nil || message.digest! == Self.bytes(ofHex: subject.hex), subject.algorithm == .sha256 else {
                signature.reason = "the bundle's message digest is not this image's digest"
                return .signature(signature)
            }
            let digestBytes = Self.bytes(ofHex: subject.hex)
            guard let key = policy.keys.first(where: { $0.isValidSignature(message.signature, forSHA256Digest: digestBytes) }) else {
                signature.reason = "message signature over the image digest does not verify with the given key(s)"
                return .signature(signature)
            }
            let log = checkLog(entries: bundle.verificationMaterial.tlogEntries,
                               expected: ExpectedEntry(signature: message.signature, verifier: .publicKey(key), artifact: .sha256Digest(digestBytes)))
            signature.tlog = log.status
            signature.reason = log.failure
            signature.verified = log.failure == nil
            return .signature(signature)
        case .dsse(let envelope):
            let checked = checkEnvelope(envelope, subject: subject)
            // Classified by the type the statement claims, verified or not, so that a refused attestation is
            // reported as an attestation (as classic ones are), not as a failed signature. It never counts unverified.
            let claimedType = checked.statement?.predicateType ?? Self.claimedPredicateType(envelope)
            let isSignature = claimedType == PredicateType.cosignSign
            var outcome = AttestationResult(predicateType: claimedType, format: .bundle, source: .referrer,
                                            manifest: artifact.manifest, subject: subject, verified: false,
                                            tlog: signature.tlog, reason: checked.failure, statement: nil)
            if let signer = checked.signer, let statement = checked.statement {
                let log = checkLog(entries: bundle.verificationMaterial.tlogEntries,
                                   expected: ExpectedEntry(signature: signer.signature, verifier: .publicKey(signer.key), artifact: .envelope(envelope)))
                outcome.tlog = log.status
                outcome.reason = log.failure
                outcome.verified = log.failure == nil
                if outcome.verified && !isSignature {
                    outcome.statement = try? JSONDecoder().decode(JSONValue.self, from: Data(statement.json))
                }
            }
            if isSignature || claimedType == nil {
                signature.tlog = outcome.tlog
                signature.reason = outcome.reason
                signature.verified = outcome.verified
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

    private struct EnvelopeCheck {
        var signer: (key: PublicKey, signature: [UInt8])?
        var statement: InTotoStatement?
        var failure: String?
    }

    /// A DSSE envelope counts when one of its signatures verifies over PAE with one of the keys and its in-toto
    /// statement names this image's digest among its subjects.
    private func checkEnvelope(_ envelope: DSSEEnvelope, subject: Digest) -> EnvelopeCheck {
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
        let pae = envelope.pae
        for candidate in envelope.signatures {
            if let key = policy.keys.first(where: { $0.isValidSignature(candidate.signature, for: pae) }) {
                check.signer = (key, candidate.signature)
                break
            }
        }
        guard check.signer != nil else {
            check.statement = nil
            check.failure = "envelope signature does not verify with the given key(s)"
            return check
        }
        guard statement.hasSubject(subject) else {
            check.signer = nil
            check.failure = "statement is about \(statement.subjects.flatMap { $0.digest.map { "\($0.key):\($0.value)" } }.joined(separator: ", ")), not this image"
            return check
        }
        check.statement = statement
        return check
    }

    private struct LogCheck {
        var status: LogStatus
        var failure: String?
    }

    private func checkLog(annotation: String?, expected: ExpectedEntry) -> LogCheck {
        guard let annotation else { return checkLog(entries: [], expected: expected) }
        do {
            return checkLog(entries: [try TransparencyLogEntry(cosignBundleAnnotation: annotation)], expected: expected)
        } catch {
            return policy.logTrust == nil ? LogCheck(status: .unchecked) : LogCheck(status: .failed, failure: "transparency log entry: \(error)")
        }
    }

    /// With log trust, one entry must verify and match; without, nothing is checked ("unchecked").
    private func checkLog(entries: [TransparencyLogEntry], expected: ExpectedEntry) -> LogCheck {
        guard let trust = policy.logTrust else { return LogCheck(status: .unchecked) }
        guard !entries.isEmpty else { return LogCheck(status: .missing, failure: "no transparency log entry, but log trust was given") }
        let verifier = TransparencyLogVerifier(trust: trust, clock: FixedWallClock(Date(timeIntervalSince1970: TimeInterval(policy.now))))
        var reasons: [String] = []
        for entry in entries {
            switch verifier.verify(entry, expecting: expected) {
            case .verified: return LogCheck(status: .verified)
            case .failed(let reason): reasons.append(reason)
            case .missing, .unchecked: reasons.append("entry not checked")
            }
        }
        return LogCheck(status: .failed, failure: "transparency log entry rejected: " + reasons.joined(separator: "; "))
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
