import Foundation
import TestSupport

/// Media types the seeded content uses, spelled out so the tests do not depend on the code under test.
enum MediaTypes {
    static let manifest = SeededImage.mediaType
    static let index = "application/vnd.oci.image.index.v1+json"
    static let empty = "application/vnd.oci.empty.v1+json"
}

/// A manifest as a descriptor would name it.
struct Described: Hashable, Sendable {
    let mediaType: String
    let digest: String
    let bytes: Data

    var size: Int { bytes.count }

    /// `{"mediaType":…,"digest":…,"size":…}` plus `extra` members (already JSON, comma-separated).
    func descriptorJSON(_ extra: String = "") -> String {
        #"{"mediaType":"\#(mediaType)","digest":"\#(digest)","size":\#(size)\#(extra.isEmpty ? "" : "," + extra)}"#
    }
}

/// A multi-platform index seeded with raw pushes.
struct SeededIndex: Sendable {
    let digest: String
    let bytes: Data
    /// One image per platform, in index order.
    let children: [SeededImage]
    let platforms: [String]

    /// The distinct blobs (configs and layers) of every child.
    var blobDigests: Set<String> {
        Set(children.flatMap { [$0.configDigest] + $0.layerDigests })
    }
}

extension TestRegistry {
    /// Pushes one small image per platform (`os/arch[/variant]`; every image shares one layer) and an OCI
    /// index over them, tagged `tag` (or stored by digest when nil).
    func pushIndex(repo: String, tag: String?, platforms: [String] = ["linux/amd64", "linux/arm64"]) async throws -> SeededIndex {
        var children: [SeededImage] = []
        var entries: [String] = []
        for platform in platforms {
            let image = try await pushImage(repo: repo, tag: nil,
                                            layers: [Data("shared layer".utf8), Data("layer for \(platform) in \(repo)".utf8)])
            children.append(image)
            let parts = platform.split(separator: "/")
            let variant = parts.count > 2 ? #","variant":"\#(parts[2])""# : ""
            let described = Described(mediaType: MediaTypes.manifest, digest: image.digest, bytes: image.manifest)
            entries.append(described.descriptorJSON(#""platform":{"architecture":"\#(parts[1])","os":"\#(parts[0])"\#(variant)}"#))
        }
        let bytes = Data(#"{"schemaVersion":2,"mediaType":"\#(MediaTypes.index)","manifests":[\#(entries.joined(separator: ","))]}"#.utf8)
        let digest = sha256Digest(bytes)
        try await pushManifest(repo: repo, reference: tag ?? digest, data: bytes, mediaType: MediaTypes.index)
        return SeededIndex(digest: digest, bytes: bytes, children: children, platforms: platforms)
    }

    /// Pushes an artifact manifest (a stand-in for a signature or SBOM) whose `subject` is `subject`, by digest.
    /// Its one layer is the empty blob, or `layer` (a sigstore bundle, say) when given.
    func pushReferrer(repo: String, subject: Described, artifactType: String, note: String,
                      layer: (mediaType: String, data: Data)? = nil) async throws -> SeededReferrer {
        let empty = try await pushBlob(repo: repo, data: Data("{}".utf8))
        let emptyDescriptor = #"{"mediaType":"\#(MediaTypes.empty)","digest":"\#(empty)","size":2}"#
        var layerDescriptor = emptyDescriptor
        if let layer {
            let digest = try await pushBlob(repo: repo, data: layer.data)
            layerDescriptor = #"{"mediaType":"\#(layer.mediaType)","digest":"\#(digest)","size":\#(layer.data.count)}"#
        }
        let bytes = Data("""
            {"schemaVersion":2,"mediaType":"\(MediaTypes.manifest)","artifactType":"\(artifactType)",\
            "config":\(emptyDescriptor),"layers":[\(layerDescriptor)],"subject":\(subject.descriptorJSON()),\
            "annotations":{"note":"\(note)"}}
            """.utf8)
        let digest = try await pushManifest(repo: repo, reference: sha256Digest(bytes), data: bytes, mediaType: MediaTypes.manifest)
        return SeededReferrer(manifest: Described(mediaType: MediaTypes.manifest, digest: digest, bytes: bytes),
                              artifactType: artifactType)
    }

    /// Writes the referrers tag schema's fallback index (`sha256-<hex>` of `subject`) listing `referrers`,
    /// as a client of a registry without the referrers API would.
    /// https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#referrers-tag-schema
    func pushFallbackIndex(repo: String, subject: String, referrers: [SeededReferrer]) async throws {
        let entries = referrers.map { $0.manifest.descriptorJSON(#""artifactType":"\#($0.artifactType)""#) }
        let bytes = Data(#"{"schemaVersion":2,"mediaType":"\#(MediaTypes.index)","manifests":[\#(entries.joined(separator: ","))]}"#.utf8)
        try await pushManifest(repo: repo, reference: "sha256-" + subject.dropFirst("sha256:".count), data: bytes,
                               mediaType: MediaTypes.index)
    }
}

/// An artifact manifest with a `subject`.
struct SeededReferrer: Sendable {
    let manifest: Described
    let artifactType: String
    var digest: String { manifest.digest }
}

extension SeededImage {
    var described: Described { Described(mediaType: MediaTypes.manifest, digest: digest, bytes: manifest) }
}

extension SeededIndex {
    var described: Described { Described(mediaType: MediaTypes.index, digest: digest, bytes: bytes) }
}

/// Deterministic bytes that differ per `seed`, for blobs.
func sampleBytes(_ count: Int, seed: String) -> Data {
    var state = UInt64(truncatingIfNeeded: seed.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })
    var bytes = [UInt8](repeating: 0, count: count)
    for index in bytes.indices {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
    }
    return Data(bytes)
}

/// The JSON object in `data`, or nil.
func jsonObject(_ data: Data) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
}
