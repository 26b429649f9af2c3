import OCI

/// Checks every signature and attestation candidate concurrently (placeholder until the Sigstore formats land).
struct CandidateChecks: Sendable {
    let policy: VerificationPolicy
    let repository: Repository

    func check(_ evidence: [Evidence]) async -> ([SignatureResult], [AttestationResult]) {
        ([], [])
    }
}
