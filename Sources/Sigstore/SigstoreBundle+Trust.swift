extension SigstoreBundle {
    /// Why the bundle's certificates cannot be used with `trust`, or nil.
    ///
    /// A v0.1–0.2 `x509CertificateChain` may repeat certificates of a trusted CA (sigstore-go's bundles carry
    /// the Fulcio intermediate and root), but a self-signed root that `trust` does not hold is the bundle
    /// bringing its own trust anchor, and is refused (sigstore-conformance `bundle-with-root-cert_fail`).
    /// This is not chain verification, which checks every signature and validity window.
    public func certificateChainViolation(trustedBy trust: TrustedRoot) -> String? {
        let certificates: [[UInt8]]
        switch verificationMaterial.signingMaterial {
        case .publicKey: return nil
        case .certificate(let der): certificates = [der]
        case .certificateChain(let chain): certificates = chain
        }
        let anchors = Set(trust.certificateAuthorities.flatMap(\.certificates))
        for (index, der) in certificates.enumerated() {
            guard let names = CertificateNames(der: der) else { return "certificate \(index) is not X.509 DER" }
            if names.isSelfIssued, !anchors.contains(der) {
                return "the bundle's certificates include a root certificate the trusted root does not hold (certificate \(index))"
            }
        }
        return nil
    }
}
