/// Attestation predicate types, with cosign's short names (cosign: pkg/cosign/attestation, `--type`).
public enum PredicateType {
    public static let cosignSign = "https://sigstore.dev/cosign/sign/v1"

    static let shortNames: [String: String] = [
        "slsaprovenance": "https://slsa.dev/provenance/v0.2",
        "slsaprovenance02": "https://slsa.dev/provenance/v0.2",
        "slsaprovenance1": "https://slsa.dev/provenance/v1",
        "spdx": "https://spdx.dev/Document",
        "spdxjson": "https://spdx.dev/Document",
        "cyclonedx": "https://cyclonedx.org/bom",
        "vuln": "https://cosign.sigstore.dev/attestation/vuln/v1",
        "openvex": "https://openvex.dev/ns",
        "custom": "https://cosign.sigstore.dev/attestation/v1",
    ]

    /// The predicate URI for a short name or URI; nil for anything else.
    public static func resolve(_ name: String) -> String? {
        if let uri = shortNames[name.lowercased()] { return uri }
        return name.contains("://") ? name : nil
    }

    public static var knownShortNames: [String] { shortNames.keys.sorted() }
}
