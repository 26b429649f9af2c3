import OCI
import RegistryClient
import Sigstore
import Verification

/// One image checked against one key: the unit of work. Every rule, policy and resource asking about the same
/// image and key shares one check, and every check reads through one `RegistryClient`, so a manifest or blob is
/// fetched once however many checks need it.
struct SignatureCheck: Sendable, Hashable {
    let image: Reference
    let attestor: KeyAttestor

    /// The verifier's report: the signatures and attestations found and which of them this key verifies.
    func run(client: RegistryClient, trustedRoot: TrustedRoot?, now: Int64) async -> ImageReport {
        let policy = VerificationPolicy(keys: [attestor.key], logTrust: logTrust(trustedRoot), now: now)
        return await ImageVerifier(client: client, policy: policy).verify(image)
    }

    func logTrust(_ trustedRoot: TrustedRoot?) -> TrustedRoot? {
        switch attestor.log {
        case .ignored: nil
        case .rekorKey(let root): root
        case .defaultTrust: trustedRoot
        }
    }
}
