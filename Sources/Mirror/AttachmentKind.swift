import OCI

/// What an artifact attached to an image is, for the mirror's counts and its choice of what travels.
public enum AttachmentKind: String, Sendable, Codable, CaseIterable {
    case signature, attestation, sbom, other

    static let bundlePrefix = "application/vnd.dev.sigstore.bundle"
    static let cosignSignature = "application/vnd.dev.cosign.artifact.sig.v1+json"
    static let notarySignature = "application/vnd.cncf.notary.signature"
    static let dsseEnvelope = "application/vnd.dsse.envelope.v1+json"
    static let inToto = "application/vnd.in-toto+json"
    /// The predicate of `cosign sign` v3 bundles: a signature, not an attestation (FORMATS.md).
    static let cosignSignPredicate = "https://sigstore.dev/cosign/sign/v1"
    static let bundlePredicateAnnotation = "dev.sigstore.bundle.predicateType"

    /// SBOM media types (SPDX, CycloneDX, syft), as artifact types of referrers and of cosign `.sbom` layers.
    public static let sbomTypes: Set<String> = [
        "text/spdx", "text/spdx+json", "text/spdx+xml", "application/spdx+json",
        "application/vnd.cyclonedx", "application/vnd.cyclonedx+json", "application/vnd.cyclonedx+xml",
        "application/vnd.syft+json",
    ]

    public static func isSBOMType(_ type: String) -> Bool {
        sbomTypes.contains(type) || type.contains("spdx") || type.contains("cyclonedx")
    }

    /// The kind an artifact type announces; bundles are attestations unless their predicate is cosign's
    /// signature predicate (or not given).
    static func of(artifactType type: String, annotations: [String: String]?) -> AttachmentKind {
        if type.hasPrefix(bundlePrefix) {
            let predicate = annotations?[bundlePredicateAnnotation]
            return predicate == nil || predicate == cosignSignPredicate ? .signature : .attestation
        }
        switch type {
        case cosignSignature, notarySignature: return .signature
        case dsseEnvelope, inToto: return .attestation
        default: return isSBOMType(type) ? .sbom : .other
        }
    }

    /// The kind of a fetched referrer, from what it says it is: its `artifactType`, else its config type, and for
    /// the empty config (cosign v3.0.4 labels) its single layer's type.
    static func of(_ document: ManifestDocument) -> AttachmentKind {
        of(artifactType: effectiveType(of: document), annotations: document.annotations)
    }

    static func effectiveType(of document: ManifestDocument) -> String {
        guard case .image(let manifest) = document.content else { return document.artifactType ?? "" }
        let declared = manifest.artifactType ?? manifest.config.mediaType
        if declared == MediaType.ociEmpty, manifest.layers.count == 1 { return manifest.layers[0].mediaType }
        return declared
    }

    /// The cosign tag suffix (`sha256-<hex>.sig`) for this kind, when cosign's classic layout has one.
    var cosignSuffix: String? {
        switch self {
        case .signature: ".sig"
        case .attestation: ".att"
        case .sbom: ".sbom"
        case .other: nil
        }
    }
}
