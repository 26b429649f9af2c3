import Crypto
import OCI
import RegistryClient
import Sigstore
import Verification

/// One image checked against one attestor: the unit of work. Every rule, policy and resource asking about the
/// same image and attestor shares one check, and every check reads through one `RegistryClient`, so a manifest
/// or blob is fetched once however many checks need it.
struct SignatureCheck: Sendable, Hashable {
    let image: Reference
    let attestor: Attestor

    /// The verifier's report: the signatures and attestations found and which of them this attestor verifies.
    func run(client: RegistryClient, trustedRoot: TrustedRoot?, now: Int64) async -> ImageReport {
        let signers: SignerRequirement
        do { signers = try self.signers(trustedRoot: trustedRoot, now: now) } catch {
            return ImageReport(reference: image.description, digest: nil, verdict: error.verdict, reasons: [error.reason])
        }
        let policy = VerificationPolicy(signers: signers, logTrust: logTrust(trustedRoot), now: now)
        return await ImageVerifier(client: client, policy: policy).verify(image)
    }

    func logTrust(_ trustedRoot: TrustedRoot?) -> TrustedRoot? {
        switch attestor.log {
        case .ignored: nil
        case .rekorKey(let root): root
        case .defaultTrust: trustedRoot
        }
    }

    /// Why no verifier could be built: an attestor that cannot hold (failed) or trust that is missing (error).
    struct Refusal: Error {
        let verdict: Verdict
        let reason: String
    }

    /// Who may sign, as the verification engine takes it. A `certificates` attestor with `certChain` is checked
    /// here, once, before any signature: the certificate must chain to it when it was issued.
    private func signers(trustedRoot: TrustedRoot?, now: Int64) throws(Refusal) -> SignerRequirement {
        switch attestor.signer {
        case .key(let key):
            return .keys([key])
        case .keyless(let keyless):
            do {
                if !keyless.roots.isEmpty {
                    return .keyless(try KeylessTrust(identity: keyless.identity, roots: keyless.roots, intermediates: keyless.intermediates,
                                                     trustedRoot: trustedRoot, ignoreSCTs: keyless.ignoreSCT))
                }
                guard let trustedRoot else {
                    throw Refusal(verdict: .indeterminate, reason: "a keyless attestor without roots needs the Fulcio CAs: pass --trusted-root FILE")
                }
                return .keyless(try KeylessTrust(identity: keyless.identity, trustedRoot: trustedRoot, ignoreSCTs: keyless.ignoreSCT))
            } catch let refusal as Refusal {
                throw refusal
            } catch {
                throw Refusal(verdict: .indeterminate, reason: "keyless trust: \(error)")
            }
        case .certificate(let given):
            let key: PublicKey
            do { key = try given.certificate.publicKey } catch {
                throw Refusal(verdict: .failed, reason: "certificate \(given.certificate): \(error)")
            }
            if !given.chain.isEmpty {
                do {
                    let verifier = try KeylessCertificateVerifier(
                        roots: given.chain.filter(\.isSelfIssued), intermediates: given.chain.filter { !$0.isSelfIssued },
                        certificateTransparencyLogs: trustedRoot?.certificateTransparencyLogs ?? [], ignoreSCTs: given.ignoreSCT)
                    _ = try verifier.verify(leaf: given.certificate, at: given.certificate.notBefore)
                } catch {
                    throw Refusal(verdict: .failed, reason: "certificate \(given.certificate) does not chain to certChain: \(error)")
                }
            }
            return .certifiedKey(key)
        }
    }
}
