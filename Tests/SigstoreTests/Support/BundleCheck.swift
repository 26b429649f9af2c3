import Crypto
import Foundation
import Sigstore

/// How far a bundle gets through what this module checks: parsing, (for key-based bundles) the signature,
/// and every transparency-log entry. Certificate chains, identities, SCTs and RFC 3161 timestamps are
/// later steps, so a keyless bundle that reaches `.logVerified` may still be refused there.
enum BundleOutcome: Equatable, CustomStringConvertible {
    case trustRootRefused(String)
    case bundleRefused(String)
    case certificatesRefused(String)
    case noKeyGiven
    case keyRefused
    case signatureInvalid
    case digestHintMismatch
    case noLogEntry
    case logFailed(String)
    case logVerified

    var description: String {
        switch self {
        case .trustRootRefused(let reason): "trust root refused: \(reason)"
        case .bundleRefused(let reason): "bundle refused: \(reason)"
        case .certificatesRefused(let reason): "certificates refused: \(reason)"
        case .noKeyGiven: "key-based bundle but no key"
        case .keyRefused: "the verification key does not parse"
        case .signatureInvalid: "signature invalid"
        case .digestHintMismatch: "message digest differs from the artifact"
        case .noLogEntry: "no log entry"
        case .logFailed(let reason): "log failed: \(reason)"
        case .logVerified: "log verified"
        }
    }

    /// Same category (reasons are matched separately, by substring).
    func sameKind(as other: BundleOutcome) -> Bool {
        switch (self, other) {
        case (.trustRootRefused, .trustRootRefused), (.bundleRefused, .bundleRefused), (.certificatesRefused, .certificatesRefused), (.noKeyGiven, .noKeyGiven), (.keyRefused, .keyRefused),
             (.signatureInvalid, .signatureInvalid), (.digestHintMismatch, .digestHintMismatch), (.noLogEntry, .noLogEntry),
             (.logFailed, .logFailed), (.logVerified, .logVerified): true
        default: false
        }
    }

    var reason: String {
        switch self {
        case .trustRootRefused(let reason), .bundleRefused(let reason), .certificatesRefused(let reason), .logFailed(let reason): reason
        default: ""
        }
    }
}

enum BundleCheck {
    /// Checks `bundleBytes` as far as this module can. `keyPEM`: the verification key for key-based bundles.
    /// `artifact`: the signed bytes for message signatures (DSSE bundles carry their payload).
    static func run(bundleBytes: [UInt8], trustBytes: [UInt8], keyPEM: String?, artifact: [UInt8], clock: any WallClock = SystemWallClock()) -> BundleOutcome {
        var key: PublicKey?
        if let keyPEM {
            do { key = try PublicKey(pem: keyPEM) } catch { return .keyRefused }
        }
        let trust: TrustedRoot
        do { trust = try TrustedRoot(bytes: trustBytes) } catch { return .trustRootRefused(error.description) }
        let bundle: SigstoreBundle
        do { bundle = try SigstoreBundle(bytes: bundleBytes) } catch { return .bundleRefused(error.description) }

        if let violation = bundle.certificateChainViolation(trustedBy: trust) { return .certificatesRefused(violation) }
        let verifier: ExpectedEntry.Verifier
        switch bundle.verificationMaterial.signingMaterial {
        case .publicKey:
            guard let key else { return .noKeyGiven }
            verifier = .publicKey(key)
        case .certificate, .certificateChain:
            verifier = .certificate(bundle.signingCertificate ?? [])
        }

        let expectedArtifact: ExpectedEntry.Artifact
        switch bundle.content {
        case .dsse(let envelope):
            if let key, !key.isValidSignature(bundle.signature, for: envelope.pae) { return .signatureInvalid }
            expectedArtifact = .envelope(envelope)
        case .messageSignature(let message):
            if let key, !key.isValidSignature(message.signature, for: artifact) { return .signatureInvalid }
            if let digest = message.digest, digest != Hasher.hash(artifact, using: .sha256) { return .digestHintMismatch }
            expectedArtifact = .payload(artifact)
        }

        let entries = bundle.verificationMaterial.tlogEntries
        guard !entries.isEmpty else { return .noLogEntry }
        let expected = ExpectedEntry(signature: bundle.signature, verifier: verifier, artifact: expectedArtifact)
        let logVerifier = TransparencyLogVerifier(trust: trust, clock: clock)
        for entry in entries {
            if case .failed(let reason) = logVerifier.verify(entry, expecting: expected) { return .logFailed(reason) }
        }
        return .logVerified
    }
}
