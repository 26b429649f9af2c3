import Foundation
import HTTPTransport
import ImageTransfer
import OCI
import RegistryClient
import TestSupport

/// A RegistryClient for `registry`: real libcurl transport, plain HTTP on loopback, fast retries.
func makeClient(_ registry: TestRegistry) -> RegistryClient {
    let statistics = TransportStatistics()
    let transport = CurlTransport(configuration: TransportConfiguration(insecureHosts: [registry.host]), statistics: statistics)
    let configuration = RegistryClientConfiguration(
        insecureRegistries: [registry.host],
        retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), maxRetryAfter: .seconds(2)))
    return RegistryClient(http: transport, configuration: configuration, statistics: RegistryStatistics(transport: statistics))
}

/// The smallest mirror the protocols allow, written against them alone (the shape the real mirror will take):
/// every manifest under `name`, the blobs they need (through a scratch file), then the manifests children
/// first, in one batch, the root kept as `placement`. Returns the root.
@discardableResult
func mirror(_ name: String, from source: some ContentSource, to destination: some ContentDestination,
            as placement: ManifestPlacement, scratch: TemporaryDirectory) async throws -> ManifestDocument {
    let root = try await source.resolve(name)
    var children: [ManifestDocument] = []
    for child in root.children {
        children.append(try await source.manifest(child.digest))
    }
    var seen: Set<Digest> = []
    for blob in ([root] + children).flatMap(\.blobs) where seen.insert(blob.digest).inserted {
        guard try await !destination.hasBlob(blob) else { continue }
        let path = scratch.file("blob-\(blob.digest.hex)")
        try await source.fetchBlob(blob, to: path, durable: false)
        try await destination.putBlob(from: path, blob)
        try FileManager.default.removeItem(atPath: path)
    }
    try await destination.putManifests(children.map { PlacedManifest($0, .content) } + [PlacedManifest(root, placement)])
    return root
}

/// A multi-platform index seeded with the harness's raw pushes (independent of the code under test).
struct SeededIndex {
    let digest: Digest
    let bytes: Data
    let children: [SeededImage]
}

extension TestRegistry {
    /// Pushes one small image per platform and an OCI index over them, tagged `tag`.
    func pushIndex(repo: String, tag: String, platforms: [Platform] = [Fixtures.amd64, Fixtures.arm64]) async throws -> SeededIndex {
        var children: [SeededImage] = []
        var entries: [Descriptor] = []
        for platform in platforms {
            let image = try await pushImage(repo: repo, tag: nil, layers: [Data("shared layer".utf8), Data("layer for \(platform) \(repo)".utf8)])
            children.append(image)
            entries.append(Descriptor(mediaType: SeededImage.mediaType, digest: try Digest(parsing: image.digest),
                                      size: Int64(image.manifest.count), platform: platform))
        }
        let bytes = try JSONEncoder.stable.encode(ImageIndex(manifests: entries))
        let digest = try await pushManifest(repo: repo, reference: tag, data: bytes, mediaType: MediaType.ociIndex)
        return SeededIndex(digest: try Digest(parsing: digest), bytes: bytes, children: children)
    }
}
