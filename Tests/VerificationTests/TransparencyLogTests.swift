import Crypto
import Foundation
import OCI
import Sigstore
import Testing
import TestSupport
import Verification

/// Transparency-log entries with a log of the test's own (a fresh "Rekor" key): with log trust, a signature
/// counts only when an entry signed by that log records exactly it; without, entries are not looked at.
@Suite("transparency-log entries on signatures, attestations and bundles")
struct TransparencyLogTests {
    /// One way the `dev.sigstore.cosign/bundle` annotation of a classic signature can be.
    enum SignatureCase: String, CaseIterable, CustomTestStringConvertible {
        case logged, loggedButNoTrust, forgedSET, noEntry, noEntryNoTrust, bodyForAnotherPayload, bodyWithAnotherSignature
        case bodyWithAnotherKey, entryOfAnotherLog, integratedInTheFuture, garbageAnnotation, garbageAnnotationNoTrust

        var testDescription: String { rawValue }

        var trusted: Bool { ![.loggedButNoTrust, .noEntryNoTrust, .garbageAnnotationNoTrust].contains(self) }

        var verdict: Verdict { [.logged, .loggedButNoTrust, .noEntryNoTrust, .garbageAnnotationNoTrust].contains(self) ? .verified : .failed }

        var tlog: LogStatus {
            switch self {
            case .logged: .verified
            case .loggedButNoTrust, .noEntryNoTrust, .garbageAnnotationNoTrust: .unchecked
            case .noEntry: .missing
            default: .failed
            }
        }

        /// What the signature's reason says.
        var reason: String? {
            switch self {
            case .logged, .loggedButNoTrust, .noEntryNoTrust, .garbageAnnotationNoTrust: nil
            case .forgedSET: "signed entry timestamp"
            case .noEntry: "no transparency log entry"
            case .bodyForAnotherPayload: "does not match the signed content"
            case .bodyWithAnotherSignature: "different signature"
            case .bodyWithAnotherKey: "different public key"
            case .entryOfAnotherLog: "not a trusted transparency log"
            case .integratedInTheFuture: "in the future"
            case .garbageAnnotation: "transparency log entry"
            }
        }
    }

    @Test("a classic signature's Rekor entry", arguments: SignatureCase.allCases)
    func classicSignature(_ sample: SignatureCase) async throws {
        let registry = try await TestRegistry.sharedFake()
        let image = try await TestImage.push(registry, "tlog/sig-\(sample.rawValue)")
        let key = try PrivateKey.generateECDSAP256(), other = try PrivateKey.generateECDSAP256()
        let rekor = try TestRekor()
        let payload = HandSigned.simpleSigningPayload(dockerReference: "\(registry.host)/\(image.repo)", digest: image.digest)
        let signature = try key.sign(Array(payload))
        let body = TestRekor.hashedRekord(signedBytes: payload, signature: signature, signer: key.publicKey)
        let now = Int64(Date().timeIntervalSince1970)

        let annotation: String?
        switch sample {
        case .logged, .loggedButNoTrust: annotation = try rekor.log(body).cosignAnnotation
        case .forgedSET: annotation = try rekor.log(body, signer: other).cosignAnnotation
        case .noEntry, .noEntryNoTrust: annotation = nil
        case .bodyForAnotherPayload:
            let another = HandSigned.simpleSigningPayload(dockerReference: "\(registry.host)/\(image.repo)", digest: Digest(of: Array("x".utf8)))
            annotation = try rekor.log(TestRekor.hashedRekord(signedBytes: another, signature: signature, signer: key.publicKey)).cosignAnnotation
        case .bodyWithAnotherSignature:
            let resigned = try key.sign(Array(payload))  // ECDSA: a second, different signature of the same bytes
            annotation = try rekor.log(TestRekor.hashedRekord(signedBytes: payload, signature: resigned, signer: key.publicKey)).cosignAnnotation
        case .bodyWithAnotherKey:
            annotation = try rekor.log(TestRekor.hashedRekord(signedBytes: payload, signature: signature, signer: other.publicKey)).cosignAnnotation
        case .entryOfAnotherLog: annotation = try TestRekor().log(body).cosignAnnotation
        case .integratedInTheFuture: annotation = try rekor.log(body, integratedTime: now + 3600).cosignAnnotation
        case .garbageAnnotation, .garbageAnnotationNoTrust: annotation = #"{"SignedEntryTimestamp": "not base64!"}"#
        }
        var layer = RawLayer(mediaType: Wire.simpleSigning, blob: payload, annotations: [Wire.signatureAnnotation: Data(signature).base64EncodedString()])
        layer.annotations[Wire.bundleAnnotation] = annotation
        try await registry.pushCosignTag(repo: image.repo, subject: image.digest, suffix: "sig", layers: [layer])

        let trust = sample.trusted ? try TrustedRoot(rekorPublicKeyPEM: rekor.pem) : nil
        let report = await verify(image, policy([key.publicKey], logTrust: trust, now: now))
        #expect(report.verdict == sample.verdict, "\(report.reasons) \(report.signatures.map(\.reason))")
        #expect(report.signatures.map(\.tlog) == [sample.tlog])
        if let reason = sample.reason {
            #expect(report.signatures.first?.reason?.contains(reason) == true, "\(report.signatures.map(\.reason))")
        } else {
            #expect(report.signatures.first?.reason == nil)
        }
    }

    @Test("the SET this test signs is over the payload the verifier checks (RFC 8785 of the bundle Payload)")
    func setPayloadMatchesTheVerifiers() throws {
        let rekor = try TestRekor()
        let entry = try rekor.log(Data(#"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{}}"#.utf8), integratedTime: 1_700_000_000, logIndex: 7)
        let parsed = try TransparencyLogEntry(cosignBundleAnnotation: entry.cosignAnnotation)
        #expect(try TransparencyLogVerifier.signedEntryTimestampPayload(for: parsed)
            == TestRekor.setPayload(body: entry.body, integratedTime: 1_700_000_000, logIndex: 7, logID: rekor.logID))
    }

    /// Ways an attestation's entry can be.
    enum AttestationCase: String, CaseIterable, CustomTestStringConvertible {
        case dsseLogged, intotoLogged, dsseForgedSET, dsseBodyForAnotherStatement, intotoBodyForAnotherStatement
        case hashedRekordBody, dsseBodyWithAnotherKey, noEntry

        var testDescription: String { rawValue }
        var verified: Bool { self == .dsseLogged || self == .intotoLogged }
        var tlog: LogStatus { verified ? .verified : self == .noEntry ? .missing : .failed }
    }

    @Test("a classic attestation's Rekor entry (dsse 0.0.1, intoto 0.0.2)", arguments: AttestationCase.allCases)
    func classicAttestation(_ sample: AttestationCase) async throws {
        let registry = try await TestRegistry.sharedFake()
        let image = try await TestImage.push(registry, "tlog/att-\(sample.rawValue)")
        let key = try PrivateKey.generateECDSAP256(), other = try PrivateKey.generateECDSAP256()
        let rekor = try TestRekor()
        // A logged signature, so that the attestation decides.
        let payload = HandSigned.simpleSigningPayload(dockerReference: "\(registry.host)/\(image.repo)", digest: image.digest)
        var signatureLayer = try HandSigned.signatureLayer(payload, key: key)
        let signature = try #require(Data(base64Encoded: signatureLayer.annotations[Wire.signatureAnnotation] ?? ""))
        signatureLayer.annotations[Wire.bundleAnnotation] = try rekor.log(
            TestRekor.hashedRekord(signedBytes: payload, signature: Array(signature), signer: key.publicKey)).cosignAnnotation
        try await registry.pushCosignTag(repo: image.repo, subject: image.digest, suffix: "sig", layers: [signatureLayer])

        let envelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: image.digest, predicateType: slsa, predicate: #"{"builder":{"id":"ci"}}"#), key: key)
        let anotherEnvelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: image.digest, predicateType: slsa, predicate: #"{"builder":{"id":"elsewhere"}}"#), key: key)
        let body: Data? = switch sample {
        case .dsseLogged, .dsseForgedSET: TestRekor.dsse(envelope, signer: key.publicKey)
        case .intotoLogged: TestRekor.intoto(envelope, signer: key.publicKey)
        // The other statement's hash, with this envelope's signature.
        case .dsseBodyForAnotherStatement:
            TestRekor.dsse(HandSigned.Envelope(payload: anotherEnvelope.payload, signature: envelope.signature), signer: key.publicKey)
        case .intotoBodyForAnotherStatement:
            TestRekor.intoto(HandSigned.Envelope(payload: anotherEnvelope.payload, signature: envelope.signature), signer: key.publicKey)
        case .hashedRekordBody: TestRekor.hashedRekord(signedBytes: envelope.payload, signature: envelope.signature, signer: key.publicKey)
        case .dsseBodyWithAnotherKey: TestRekor.dsse(envelope, signer: other.publicKey)
        case .noEntry: nil
        }
        var annotations: [String: String] = [:]
        if let body { annotations[Wire.bundleAnnotation] = try rekor.log(body, signer: sample == .dsseForgedSET ? other : nil).cosignAnnotation }
        try await registry.pushCosignTag(repo: image.repo, subject: image.digest, suffix: "att",
                                         layers: [envelope.attestationLayer(predicateType: slsa, annotations: annotations)])

        let report = await verify(image, policy([key.publicKey], attestations: [slsa], logTrust: try TrustedRoot(rekorPublicKeyPEM: rekor.pem)))
        #expect(report.signatures.map(\.tlog) == [.verified], "\(report.signatures.map(\.reason))")
        #expect(report.verdict == (sample.verified ? .verified : .failed), "\(report.reasons) \(report.attestations.map(\.reason))")
        #expect(report.attestations.map(\.tlog) == [sample.tlog])
        #expect(report.attestations.map(\.verified) == [sample.verified])
        if sample.verified {
            #expect(report.attestations.first?.statement?["predicate"]?["builder"]?["id"] == .string("ci"))
        } else {
            #expect(report.reasons.contains { $0.contains(slsa) }, "\(report.reasons)")
            #expect(report.attestations.first?.statement == nil, "an unverified statement is not reported as content")
        }
    }

    enum BundleCase: String, CaseIterable, CustomTestStringConvertible {
        case v01Logged, v01LoggedNoTrust, v01ForgedSET, v01BodyWithAnotherKey, noEntries, v03WithoutInclusionProof

        var testDescription: String { rawValue }
    }

    @Test("a sigstore bundle's tlogEntries", arguments: BundleCase.allCases)
    func bundle(_ sample: BundleCase) async throws {
        let registry = try await TestRegistry.sharedFake()
        let image = try await TestImage.push(registry, "tlog/bundle-\(sample.rawValue)")
        let key = try PrivateKey.generateECDSAP256(), other = try PrivateKey.generateECDSAP256()
        let rekor = try TestRekor()
        let envelope = try HandSigned.Envelope(statement: HandSigned.statement(subject: image.digest, predicateType: Wire.cosignSign), key: key)
        let logged = try rekor.log(TestRekor.dsse(envelope, signer: key.publicKey))
        let bundle: Data = switch sample {
        case .v01Logged, .v01LoggedNoTrust:
            envelope.bundle(mediaType: Wire.bundleV01, key: key.publicKey, tlogEntries: [logged.bundleEntry(kind: "dsse", version: "0.0.1")])
        case .v01ForgedSET:
            envelope.bundle(mediaType: Wire.bundleV01, key: key.publicKey, tlogEntries: [
                try rekor.log(TestRekor.dsse(envelope, signer: key.publicKey), signer: other).bundleEntry(kind: "dsse", version: "0.0.1")])
        case .v01BodyWithAnotherKey:
            envelope.bundle(mediaType: Wire.bundleV01, key: key.publicKey, tlogEntries: [
                try rekor.log(TestRekor.dsse(envelope, signer: other.publicKey)).bundleEntry(kind: "dsse", version: "0.0.1")])
        case .noEntries:
            envelope.bundle(key: key.publicKey)
        // v0.2+ bundles must prove inclusion; a SET alone is not enough for them.
        case .v03WithoutInclusionProof:
            envelope.bundle(mediaType: Wire.bundleV03, key: key.publicKey, tlogEntries: [logged.bundleEntry(kind: "dsse", version: "0.0.1")])
        }
        try await registry.pushBundle(repo: image.repo, subject: image.digest, bundle: bundle, mediaType: Wire.bundleV03)

        let trust = sample == .v01LoggedNoTrust ? nil : try TrustedRoot(rekorPublicKeyPEM: rekor.pem)
        let report = await verify(image, policy([key.publicKey], logTrust: trust))
        let expected: (Verdict, LogStatus) = switch sample {
        case .v01Logged: (.verified, .verified)
        case .v01LoggedNoTrust: (.verified, .unchecked)
        case .noEntries: (.failed, .missing)
        default: (.failed, .failed)
        }
        #expect(report.verdict == expected.0, "\(report.reasons) \(report.signatures.map(\.reason))")
        #expect(report.signatures.count == 1)
        #expect(report.signatures.allSatisfy { $0.format == .bundle && $0.source == .referrer })
        if sample == .v03WithoutInclusionProof {
            #expect(report.signatures.first?.reason?.contains("inclusion proof") == true, "\(report.signatures.map(\.reason))")
        } else {
            #expect(report.signatures.map(\.tlog) == [expected.1], "\(report.signatures.map(\.reason))")
        }
    }
}
