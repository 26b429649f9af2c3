import Foundation

/// What `TestRegistry.pushImage(repo:tag:layers:)` stored.
public struct SeededImage: Hashable, Sendable {
    public static let mediaType = "application/vnd.oci.image.manifest.v1+json"

    /// Digest of the manifest.
    public let digest: String
    /// The exact manifest bytes.
    public let manifest: Data
    public let configDigest: String
    public let layerDigests: [String]
}

/// A manifest as `TestRegistry.fetchManifest(repo:reference:)` read it.
public struct FetchedManifest: Hashable, Sendable {
    public let data: Data
    /// The Content-Type the registry answered.
    public let mediaType: String
    /// SHA-256 of `data`.
    public let digest: String
}
