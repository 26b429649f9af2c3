/// Media types ocitool reads and writes (image-spec media-types.md; Docker image manifest v2 schema 2).
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerTar = "application/vnd.oci.image.layer.v1.tar"
    public static let ociEmpty = "application/vnd.oci.empty.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifestV1 = "application/vnd.docker.distribution.manifest.v1+json"
    public static let dockerManifestV1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerTarGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"

    /// Single-image manifests: OCI and Docker schema 2.
    public static let imageManifests: Set<String> = [ociManifest, dockerManifest]
    /// Multi-platform indexes: OCI index and Docker manifest list.
    public static let indexes: Set<String> = [ociIndex, dockerManifestList]
    /// Everything a registry may serve from `/manifests/`, for the `Accept` header.
    public static let acceptedManifests: [String] = [ociIndex, dockerManifestList, ociManifest, dockerManifest]
}

/// Well-known annotation keys.
public enum AnnotationKey {
    public static let created = "org.opencontainers.image.created"
    public static let refName = "org.opencontainers.image.ref.name"
}
