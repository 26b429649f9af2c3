import Foundation
import HTTPTransport
import ImageTransfer
import Mirror
import OCI
import RegistryClient
import TestSupport

/// A RegistryClient speaking plain HTTP to `registries` on loopback, with fast retries (a `Retry-After` of up
/// to a second is honoured: the resilience tests send one).
func makeClient(_ registries: [TestRegistry]) -> RegistryClient {
    loopbackClient(registries, maxDelay: .milliseconds(50), maxRetryAfter: .seconds(1))
}

/// Content pushed through `RegistryClient` (which maintains the referrers fallback tag on registries without the API).
struct Seeder {
    let client: RegistryClient
    let repository: Repository

    static let amd64 = Platform(os: "linux", architecture: "amd64")
    static let arm64 = Platform(os: "linux", architecture: "arm64")
    static let bundleType = "application/vnd.dev.sigstore.bundle.v0.3+json"

    func blob(_ text: String, _ mediaType: String) async throws -> Descriptor {
        let data = Data(text.utf8)
        _ = try await client.pushBlobIfAbsent(data, to: repository)
        return Descriptor(mediaType: mediaType, bytes: Array(data))
    }

    @discardableResult
    func manifest<Content: Encodable>(_ content: Content, tag: String? = nil) async throws -> ManifestDocument {
        let document = try ManifestDocument(bytes: try JSONEncoder.stable.encode(content))
        try await client.putManifest(document, to: Reference(repository: repository, tag: tag, digest: tag == nil ? document.digest : nil))
        return document
    }

    /// A two-platform index tagged `tag`; every blob unique to the repository and tag except one shared layer.
    func index(tag: String, size: Int = 64) async throws -> ManifestDocument {
        var entries: [Descriptor] = []
        for platform in [Self.amd64, Self.arm64] {
            let layer = try await blob(String(repeating: "\(platform.architecture) \(repository.path) \(tag) ", count: size), MediaType.ociLayerTar)
            let shared = try await blob("shared layer", MediaType.ociLayerTar)
            let config = try await blob(#"{"architecture":"\#(platform.architecture)","os":"linux","tag":"\#(tag)"}"#, MediaType.ociConfig)
            let image = try await manifest(ImageManifest(config: config, layers: [shared, layer]))
            var entry = image.descriptor
            entry.platform = platform
            entries.append(entry)
        }
        return try await manifest(ImageIndex(manifests: entries), tag: tag)
    }

    /// A cosign classic tag manifest (`sha256-<hex>.sig` / `.att`) for `subject`.
    @discardableResult
    func cosignTag(_ suffix: String, of subject: Digest, layerType: String) async throws -> ManifestDocument {
        var layer = try await blob(#"{"payload for":"\#(subject)","kind":"\#(suffix)"}"#, layerType)
        layer.annotations = ["dev.cosignproject.cosign/signature": "MEUCIQDtest"]
        let config = try await blob(#"{"architecture":"","os":"","rootfs":{"type":"layers","diff_ids":["\#(layer.digest)"]}}"#, MediaType.ociConfig)
        return try await manifest(ImageManifest(config: config, layers: [layer]), tag: subject.fallbackTag + suffix)
    }

    /// An OCI 1.1 referrer of `subject` with `artifactType`, an empty config and one layer of `layerType`.
    @discardableResult
    func referrer(of subject: ManifestDocument, artifactType: String, layerType: String? = nil, note: String,
                  annotations: [String: String] = [:]) async throws -> ManifestDocument {
        let empty = try await blob("{}", MediaType.ociEmpty)
        let layer = try await blob(#"{"note":"\#(note)"}"#, layerType ?? artifactType)
        var subjectDescriptor = subject.descriptor
        subjectDescriptor.annotations = nil
        subjectDescriptor.artifactType = nil
        return try await manifest(ImageManifest(artifactType: artifactType, config: empty, layers: [layer], subject: subjectDescriptor,
                                                annotations: annotations.merging(["note": note]) { $1 }))
    }
}

/// Whether `repository` holds the manifest `digest`, byte for byte.
func holds(_ client: RegistryClient, _ repository: Repository, _ digest: Digest) async throws -> Bool {
    try await client.manifestDescriptor(Reference(repository: repository, digest: digest)) != nil
}
