#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

/// A signed time that verified: when, and which timestamp authority of the trust material said so.
public struct VerifiedTimestamp: Sendable {
    /// `genTime`, seconds since 1970.
    public let time: Int64
    public let authority: CertificateAuthority
}

/// Checks RFC 3161 timestamps against a trusted root's `timestampAuthorities[]`: the token verifies with
/// one authority's chain at its `genTime` (`TimestampToken.verify`), its message imprint is over the
/// signature, and `genTime` lies inside that authority's `validFor` (end inclusive). The signing
/// certificate's own validity at that time is the chain check's business (`KeylessCertificateVerifier`).
public struct TimestampVerifier: Sendable {
    let authorities: [(source: CertificateAuthority, chain: [Certificate])]

    public init(trustedRoot: TrustedRoot) throws(SigstoreError) {
        try self.init(authorities: trustedRoot.timestampAuthorities)
    }

    public init(authorities: [CertificateAuthority]) throws(SigstoreError) {
        var parsed: [(CertificateAuthority, [Certificate])] = []
        for (index, authority) in authorities.enumerated() {
            parsed.append((authority, try KeylessCertificateVerifier.certificates(authority.certificates, "timestampAuthorities[\(index)]")))
        }
        self.authorities = parsed
    }

    /// Whether the trust material has any timestamp authority.
    public var isEmpty: Bool { authorities.isEmpty }

    /// Verifies `signedTimestamp` (DER TimeStampResp or TimeStampToken, as a bundle's `signedTimestamp`
    /// decodes to) over `signature` (the bundle's signature bytes). `.malformed` when the bytes are not a
    /// timestamp; `.verificationFailed("RFC 3161 timestamp: …")` with each authority's reason otherwise.
    public func verify(signedTimestamp: [UInt8], signature: [UInt8]) throws(SigstoreError) -> VerifiedTimestamp {
        let token: TimestampToken
        do { token = try TimestampToken(der: signedTimestamp) } catch {
            throw .malformed(document: "RFC 3161 timestamp", reason: error.detail)
        }
        guard !authorities.isEmpty else {
            throw .verificationFailed(reason: "RFC 3161 timestamp: the trust material holds no timestamp authority")
        }
        var reasons: [String] = []
        for authority in authorities {
            let name = authority.source.commonName.map { "\"\($0)\"" } ?? authority.chain[0].description
            do {
                let time = try token.verify(signature: signature, authority: authority.chain)
                guard authority.source.validFor.contains(Date(timeIntervalSince1970: Double(time))) else {
                    reasons.append("\(name) was not trusted at \(UnixTime.text(time)) (outside its validFor)")
                    continue
                }
                return VerifiedTimestamp(time: time, authority: authority.source)
            } catch {
                reasons.append("\(name): " + error.description.replacing("RFC 3161 timestamp: ", with: "", maxReplacements: 1))
            }
        }
        throw .verificationFailed(reason: "RFC 3161 timestamp: no trusted timestamp authority verifies it (\(reasons.joined(separator: "; ")))")
    }
}
