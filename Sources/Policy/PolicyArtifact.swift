/// The OCI layout of Kyverno policy artifacts (kyverno: cmd/cli/kubectl-kyverno/commands/oci; the KDP
/// "Store Kyverno Policies in OCI Registries").
public enum PolicyArtifact {
    public static let configMediaType = "application/vnd.cncf.kyverno.config.v1+json"
    /// One policy per layer, as `kyverno oci push` writes.
    public static let yamlLayerMediaType = "application/vnd.cncf.kyverno.policy.layer.v1+yaml"
    public static let jsonLayerMediaType = "application/vnd.cncf.kyverno.policy.layer.v1+json"
    /// All files in one gzip'd tar layer (the design proposal's bundle).
    public static let bundleLayerMediaType = "application/vnd.cncf.kyverno.policy.layer.v1.tar+gzip"

    static let kindAnnotation = "io.kyverno.image.kind"
    static let nameAnnotation = "io.kyverno.image.name"
    static let apiVersionAnnotation = "io.kyverno.image.apiVersion"

    static let layerMediaTypes: Set<String> = [yamlLayerMediaType, jsonLayerMediaType, bundleLayerMediaType]
}
