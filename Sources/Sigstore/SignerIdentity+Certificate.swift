public import Crypto

extension SignerIdentity {
    /// What `certificate` says about its holder: e-mail and URI SANs, the OIDC issuer (v2 extension first,
    /// then the raw v1 one) and the GitHub claims. Trusted only once the chain verified.
    public init(certificate: Certificate) {
        let identities = certificate.subjectAlternativeNames.compactMap { name -> String? in
            switch name {
            case .email(let value), .uri(let value): value
            default: nil
            }
        }
        let issuer = certificate.extensionString(oid: FulcioExtension.issuerV2) ?? certificate.extensionString(oid: FulcioExtension.issuerV1)
        var claims: [String: String] = [:]
        for oid in FulcioExtension.claimOIDs { claims[oid] = certificate.extensionString(oid: oid) }
        self.init(identities: identities, issuer: issuer, claims: claims, certificateSHA256: certificate.sha256Fingerprint)
    }
}
