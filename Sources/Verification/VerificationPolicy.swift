public import Crypto
public import OCI
public import Sigstore


/// What must hold for an image to be verified.
public struct VerificationPolicy: Sendable {
    public enum SignedScope: String, Sendable {
        /// A signature on the index, or on the selected platform's manifest, is enough.
        case index
        /// Every platform manifest of an index must carry its own valid signature.
        case eachPlatform = "each-platform"
    }

    /// Who may sign: any one of some keys, or a keyless identity.
    public var signers: SignerRequirement
    /// Predicate type URIs that must each be attested.
    public var attestations: [String]
    /// Transparency-log trust material; nil means entries are not checked ("unchecked").
    public var logTrust: TrustedRoot?
    public var platform: Platform?
    public var scope: SignedScope
    /// Enforce `critical.identity.docker-reference` == the image's repository.
    public var checkReference: Bool
    /// Seconds since 1970: "now" for integrated-time checks.
    public var now: Int64

    public init(signers: SignerRequirement, attestations: [String] = [], logTrust: TrustedRoot? = nil, platform: Platform? = nil,
                scope: SignedScope = .index, checkReference: Bool = false, now: Int64) {
        self.signers = signers
        self.attestations = attestations
        self.logTrust = logTrust
        self.platform = platform
        self.scope = scope
        self.checkReference = checkReference
        self.now = now
    }

    /// Key-based: any one of `keys` may sign.
    public init(keys: [PublicKey], attestations: [String] = [], logTrust: TrustedRoot? = nil, platform: Platform? = nil,
                scope: SignedScope = .index, checkReference: Bool = false, now: Int64) {
        self.init(signers: .keys(keys), attestations: attestations, logTrust: logTrust, platform: platform, scope: scope,
                  checkReference: checkReference, now: now)
    }
}
