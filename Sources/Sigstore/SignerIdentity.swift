/// Who a keyless certificate says signed: its SAN identities, its OIDC issuer and the Fulcio claims it
/// carries. Read from the certificate, trusted only once its chain has verified.
public struct SignerIdentity: Codable, Sendable, Hashable {
    /// The SAN values that can name a signer: e-mail addresses and URIs, in certificate order.
    public let identities: [String]
    /// The OIDC issuer: Fulcio extension 1.3.6.1.4.1.57264.1.8 (DER UTF8String) or, for older
    /// certificates, 1.3.6.1.4.1.57264.1.1 (raw bytes). nil when the certificate has neither (a private PKI).
    public let issuer: String?
    /// Fulcio extension values by OID (GitHub workflow claims and their v2 counterparts).
    public let claims: [String: String]
    /// SHA-256 of the certificate's DER, lowercase hex.
    public let certificateSHA256: String

    public init(identities: [String], issuer: String?, claims: [String: String] = [:], certificateSHA256: String) {
        self.identities = identities
        self.issuer = issuer
        self.claims = claims
        self.certificateSHA256 = certificateSHA256
    }

    /// The identity to show: the first SAN, or nothing when the certificate names none.
    public var identity: String? { identities.first }
}

/// Fulcio's certificate extension OIDs (fulcio docs/oid-info.md).
public enum FulcioExtension {
    /// OIDC issuer, raw string value (deprecated, still in older certificates).
    public static let issuerV1 = "1.3.6.1.4.1.57264.1.1"
    /// OIDC issuer, DER UTF8String.
    public static let issuerV2 = "1.3.6.1.4.1.57264.1.8"

    /// Every OID a `SignerIdentity.claims` map may hold.
    public static var claimOIDs: [String] { GitHubClaim.allCases.flatMap { [$0.legacyOID] + ($0.v2OID.map { [$0] } ?? []) } }
}

/// A GitHub Actions claim cosign lets a verifier pin (`--certificate-github-workflow-*`). Fulcio wrote them
/// in deprecated extensions .1.2–.1.6 and now writes their generic v2 counterparts (.1.12–.1.20); a
/// certificate may hold either, so both are read.
public enum GitHubClaim: String, CaseIterable, Sendable, Hashable, Codable {
    case trigger, sha, name, repository, ref

    /// The deprecated GitHub-specific extension.
    public var legacyOID: String {
        switch self {
        case .trigger: "1.3.6.1.4.1.57264.1.2"
        case .sha: "1.3.6.1.4.1.57264.1.3"
        case .name: "1.3.6.1.4.1.57264.1.4"
        case .repository: "1.3.6.1.4.1.57264.1.5"
        case .ref: "1.3.6.1.4.1.57264.1.6"
        }
    }

    /// The v2 extension carrying the same claim: Build Trigger, Source Repository Digest, Source Repository
    /// URI (`https://github.com/OWNER/REPO`, compared by its path) and Source Repository Ref. The workflow
    /// name has no v2 counterpart.
    public var v2OID: String? {
        switch self {
        case .trigger: "1.3.6.1.4.1.57264.1.20"
        case .sha: "1.3.6.1.4.1.57264.1.13"
        case .name: nil
        case .repository: "1.3.6.1.4.1.57264.1.12"
        case .ref: "1.3.6.1.4.1.57264.1.14"
        }
    }

    /// The command-line option that pins it.
    public var option: String { "--certificate-github-workflow-\(rawValue)" }

    /// Whether `identity` carries this claim with a value `value` accepts.
    func isSatisfied(by identity: SignerIdentity, value: CertificateIdentityPolicy.Matcher) -> Bool {
        if let legacy = identity.claims[legacyOID], value.matches(legacy) { return true }
        guard let v2OID, let v2 = identity.claims[v2OID] else { return false }
        if self == .repository { return Self.repositoryPath(ofURI: v2).map(value.matches) == true }
        return value.matches(v2)
    }

    /// `https://github.com/OWNER/REPO` → `OWNER/REPO`.
    private static func repositoryPath(ofURI uri: String) -> String? {
        let parts = uri.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // ["https:", "", "github.com", "OWNER/REPO"]
        guard parts.count == 4, parts[0].hasSuffix(":"), parts[1].isEmpty else { return nil }
        return String(parts[3])
    }
}
