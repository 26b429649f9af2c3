import OCI

/// Which artifacts attached to an image travel with it: cosign's classic tag manifests (`sha256-<hex>.sig`,
/// `.att`, `.sbom`) and OCI 1.1 referrers, chosen by artifact type.
///
/// By default signatures and attestations travel (sigstore bundles, cosign and notation signatures, DSSE and
/// in-toto envelopes, and entries labelled with the empty config type, as cosign v3.0.4 wrote them); SBOMs and
/// other artifacts only when their type is named, or with `all`.
public struct ReferrerSelection: Sendable, Hashable {
    /// Signatures and attestations travel.
    public var signatures: Bool
    /// Referrers of these artifact types travel too (an SBOM type also brings cosign `.sbom` tags).
    public var artifactTypes: Set<String>
    /// Every referrer and every cosign tag travels.
    public var all: Bool

    public init(signatures: Bool = true, artifactTypes: Set<String> = [], all: Bool = false) {
        self.signatures = signatures
        self.artifactTypes = artifactTypes
        self.all = all
    }

    /// Whether anything is looked for at all.
    var looksForAnything: Bool { signatures || all || !artifactTypes.isEmpty }

    /// The cosign classic tags looked up for each manifest.
    var cosignKinds: [AttachmentKind] {
        var kinds: [AttachmentKind] = []
        if signatures || all { kinds += [.signature, .attestation] }
        if all || artifactTypes.contains(where: AttachmentKind.isSBOMType) { kinds.append(.sbom) }
        return kinds
    }

    /// Whether a referrer listed with `label` (its `artifactType` in the referrers index) may travel and so must be
    /// opened. Labels are hints: missing ones, and the empty config type, are decided on the manifest itself.
    func isCandidate(label: String?) -> Bool {
        guard let label, label != MediaType.ociEmpty else { return looksForAnything }
        return accepts(label, annotations: nil)
    }

    /// Whether the fetched referrer `document`, listed with `label`, travels.
    func keeps(_ document: ManifestDocument, label: String?) -> Bool {
        if all { return true }
        if let label, label != MediaType.ociEmpty, accepts(label, annotations: document.annotations) { return true }
        if signatures, label == MediaType.ociEmpty { return true }
        return accepts(AttachmentKind.effectiveType(of: document), annotations: document.annotations)
    }

    private func accepts(_ type: String, annotations: [String: String]?) -> Bool {
        if all || artifactTypes.contains(type) { return true }
        guard signatures else { return false }
        let kind = AttachmentKind.of(artifactType: type, annotations: annotations)
        return kind == .signature || kind == .attestation
    }
}
