#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Crypto

/// A signing certificate found trustworthy at the signing time.
public struct VerifiedChain: Sendable {
    /// leaf → root (the trust anchor).
    public let certificates: [Certificate]
    /// The trusted root's CA the chain ends in; nil for `--ca-roots` trust.
    public let authority: CertificateAuthority?
    /// The embedded SCT that verified; nil when SCTs were not checked.
    public let signedCertificateTimestamp: SignedCertificateTimestamp?

    public var leaf: Certificate { certificates[0] }
}

/// Decides whether a keyless (Fulcio-style) signing certificate is trusted at the time it signed:
///
/// 1. the CAs considered are those whose `validFor` contains the signing time (end inclusive);
/// 2. certificates the signature brought along (a bundle's chain, cosign's chain annotation) only help build
///    the path: copies of trust-material certificates are dropped, and any other self-issued certificate is
///    refused, since it would be the signer bringing its own root (sigstore-conformance `bundle-with-root-cert_fail`);
/// 3. the chain from the leaf to one CA's anchor (the last certificate of its chain) verifies, every certificate
///    valid at the signing time (`CertificateChainVerifier`);
/// 4. the leaf may sign code: its extended key usage names code signing (as Fulcio's do), or it has none
///    (Go's rule, which cosign applies to private-PKI certificates);
/// 5. unless SCTs are ignored, one SCT embedded in the leaf verifies with a CT log of the trust material.
///
/// Identity (SAN, OIDC issuer extensions) is policy, checked by the caller on `VerifiedChain.leaf`.
public struct KeylessCertificateVerifier: Sendable {
    struct Authority: Sendable {
        let verifier: CertificateChainVerifier
        let validFor: TimeRange
        let source: CertificateAuthority?
    }

    let authorities: [Authority]
    let logs: [CertificateTransparencyLogKey]
    public let ignoresSCTs: Bool

    /// Trust in the certificate authorities and CT logs of a sigstore trusted root.
    public init(trustedRoot: TrustedRoot, ignoreSCTs: Bool = false) throws(SigstoreError) {
        var authorities: [Authority] = []
        for (index, authority) in trustedRoot.certificateAuthorities.enumerated() {
            let chain = try Self.certificates(authority.certificates, "certificateAuthorities[\(index)]")
            authorities.append(Authority(verifier: CertificateChainVerifier(roots: [chain.last!], intermediates: Array(chain.dropLast())),
                                         validFor: authority.validFor, source: authority))
        }
        self.authorities = authorities
        logs = trustedRoot.certificateTransparencyLogs.compactMap(Self.logKey)
        ignoresSCTs = ignoreSCTs
    }

    /// Trust in a private PKI (`--ca-roots`, `--ca-intermediates`): every root is an anchor at any time.
    /// SCTs are checked against `certificateTransparencyLogs` (none by default: pass `ignoreSCTs` then).
    public init(roots: [Certificate], intermediates: [Certificate] = [],
                certificateTransparencyLogs: [CertificateTransparencyLog] = [], ignoreSCTs: Bool = false) throws(SigstoreError) {
        guard !roots.isEmpty else { throw .invalidTrustMaterial(reason: "no root certificate was given") }
        authorities = [Authority(verifier: CertificateChainVerifier(roots: roots, intermediates: intermediates),
                                 validFor: .always, source: nil)]
        logs = certificateTransparencyLogs.compactMap(Self.logKey)
        ignoresSCTs = ignoreSCTs
    }

    /// Verifies `leaf` at `signingTime` (seconds since 1970: the log's integrated time or a verified RFC 3161
    /// timestamp). `bundleChain`: the certificates that came with the signature besides the leaf (a leading
    /// copy of the leaf is skipped). Throws `.verificationFailed` naming what failed.
    public func verify(leaf: Certificate, bundleChain: [Certificate] = [], at signingTime: Int64) throws(SigstoreError) -> VerifiedChain {
        let time = Date(timeIntervalSince1970: Double(signingTime))
        let current = authorities.filter { $0.validFor.contains(time) }
        guard !current.isEmpty else {
            throw .verificationFailed(reason: "certificate chain: no trusted certificate authority was valid at \(UnixTime.text(signingTime))")
        }
        let untrusted = try pathMaterial(bundleChain.first == leaf ? Array(bundleChain.dropFirst()) : bundleChain)
        var reasons: [String] = []
        var verified: (chain: [Certificate], authority: Authority)?
        for authority in current {
            do {
                verified = (try authority.verifier.verify(leaf: leaf, untrusted: untrusted, at: signingTime), authority)
                break
            } catch {
                reasons.append(error.description)
            }
        }
        guard let verified else {
            throw .verificationFailed(reason: reasons.count == 1 ? reasons[0] : reasons.joined(separator: "; "))
        }
        guard leaf.permitsCodeSigning else {
            throw .verificationFailed(reason: "certificate: the extended key usage of \(leaf) does not include code signing")
        }
        var timestamp: SignedCertificateTimestamp?
        if !ignoresSCTs {
            guard verified.chain.count >= 2 else {
                throw .verificationFailed(reason: "SCT: \(leaf) is its own trust anchor, so its SCTs have no issuer to check against")
            }
            guard !logs.isEmpty else {
                throw .verificationFailed(reason: "SCT: the trust material holds no CT log to check \(leaf)'s SCTs against")
            }
            do {
                timestamp = try SignedCertificateTimestamp.verifyEmbedded(in: leaf, issuer: verified.chain[1], logs: logs)
            } catch {
                throw .verificationFailed(reason: error.description)
            }
        }
        return VerifiedChain(certificates: verified.chain, authority: verified.authority.source, signedCertificateTimestamp: timestamp)
    }

    /// `chain` without the trust material's own certificates; a self-issued certificate the trust material
    /// does not hold is refused.
    private func pathMaterial(_ chain: [Certificate]) throws(SigstoreError) -> [Certificate] {
        let known = Set(authorities.flatMap { $0.verifier.roots + $0.verifier.intermediates })
        var material: [Certificate] = []
        for (index, certificate) in chain.enumerated() where !known.contains(certificate) {
            if certificate.isSelfIssued {
                throw .verificationFailed(reason: "certificate chain: the signature's chain includes a root certificate "
                    + "(\(certificate), position \(index + 1)) that the trust material does not hold")
            }
            material.append(certificate)
        }
        return material
    }

    static func certificates(_ ders: [[UInt8]], _ field: String) throws(SigstoreError) -> [Certificate] {
        var certificates: [Certificate] = []
        for (index, der) in ders.enumerated() {
            do { certificates.append(try Certificate(der: der)) } catch {
                throw .invalidTrustMaterial(reason: "\(field).certChain.certificates[\(index)]: \(error)")
            }
        }
        guard !certificates.isEmpty else { throw .invalidTrustMaterial(reason: "\(field) holds no certificate") }
        return certificates
    }

    /// The log's key as given (SubjectPublicKeyInfo, or PKCS#1 for `PKCS1_RSA_*` keys); nil when unusable,
    /// so its SCTs are simply not trusted.
    static func logKey(_ log: CertificateTransparencyLog) -> CertificateTransparencyLogKey? {
        let key = (try? PublicKey(der: log.publicKeyDER)) ?? (try? PublicKey(pkcs1RSAPublicKeyDER: log.publicKeyDER))
        guard let key else { return nil }
        return CertificateTransparencyLogKey(logID: log.logID, key: key, validity: log.validFor.seconds, name: log.baseURL)
    }
}

extension TimeRange {
    /// The window in whole seconds since 1970, open ends unbounded.
    var seconds: ClosedRange<Int64> {
        let lower = start.map { Int64($0.timeIntervalSince1970.rounded(.up)) } ?? Int64.min
        let upper = end.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? Int64.max
        return lower...max(lower, upper)
    }
}
