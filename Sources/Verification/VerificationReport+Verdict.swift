#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI
import Sigstore

/// Results take the engine's verdict: verified or why not, what the log check said, and who signed.
extension SignatureResult {
    mutating func apply(_ verdict: SignatureVerdict) {
        verified = verdict.isVerified
        reason = verdict.failure
        tlog = LogStatus(verdict.tlog)
        signer = verdict.signer.map(Signer.init)
    }
}

extension AttestationResult {
    mutating func apply(_ check: CandidateChecks.EnvelopeCheck) {
        if let verdict = check.verdict {
            tlog = LogStatus(verdict.tlog)
            signer = verdict.signer.map(Signer.init)
        }
        reason = check.failure
        verified = check.failure == nil && check.statement != nil
        statement = verified ? check.statement.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.json)) } : nil
    }
}

extension LogStatus {
    init(_ verdict: TransparencyLogVerdict) {
        switch verdict {
        case .verified: self = .verified
        case .failed: self = .failed
        case .missing: self = .missing
        case .unchecked: self = .unchecked
        }
    }
}

extension Signer {
    init(_ identity: SignerIdentity) {
        self.init(identity: identity.identity, issuer: identity.issuer, certificateSha256: identity.certificateSHA256)
    }
}
