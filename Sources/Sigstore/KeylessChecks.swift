#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

/// The keyless checks that rest on X.509: the certificate chain at a signing time, signed timestamps,
/// and what the certificate says about its holder.
enum KeylessChecks {
    struct Failure: Error { let reason: String }

    /// The times of the RFC 3161 timestamps, each verified against the trusted TSAs over `signature`.
    static func timestampTimes(_ tokens: [[UInt8]], signature: [UInt8], trust: TrustedRoot) -> Result<[Date], Failure> {
        tokens.isEmpty ? .success([]) : .failure(Failure(reason: "RFC 3161 timestamps are not supported yet"))
    }

    /// nil when the chain leads to a trusted CA at `time`; otherwise why not.
    static func chainFailure(_ artifact: SignedArtifact, keyless: KeylessTrust, trust: TrustedRoot?, at time: Date) -> String? {
        "certificate chains are not supported yet"
    }
}

extension SignerIdentity {
    init(certificate: Certificate) {
        self.init(identities: [], issuer: nil, certificateSHA256: Hasher.hash(certificate.der, using: .sha256).hexString)
    }
}
