import Foundation
import OCI
import TestSupport

/// A multi-platform index seeded with the harness's raw pushes (independent of the code under test).
struct SeededIndex {
    let digest: Digest
    let bytes: Data
    let children: [SeededImage]
}

extension TestRegistry {
    /// Pushes one small image per platform and an OCI index over them, tagged `tag`.
    func pushIndex(repo: String, tag: String, platforms: [String] = ["linux/amd64", "linux/arm64"]) async throws -> SeededIndex {
        var children: [SeededImage] = []
        var entries: [String] = []
        for platform in platforms {
            let image = try await pushImage(repo: repo, tag: nil, layers: [Data("shared layer".utf8), Data("layer for \(platform) \(repo)".utf8)])
            children.append(image)
            let parts = platform.split(separator: "/")
            let variant = parts.count > 2 ? ",\"variant\":\"\(parts[2])\"" : ""
            entries.append("{\"mediaType\":\"\(SeededImage.mediaType)\",\"digest\":\"\(image.digest)\",\"size\":\(image.manifest.count),"
                + "\"platform\":{\"architecture\":\"\(parts[1])\",\"os\":\"\(parts[0])\"\(variant)}}")
        }
        let bytes = Data("{\"schemaVersion\":2,\"mediaType\":\"\(MediaType.ociIndex)\",\"manifests\":[\(entries.joined(separator: ","))]}".utf8)
        let digest = try await pushManifest(repo: repo, reference: tag, data: bytes, mediaType: MediaType.ociIndex)
        return SeededIndex(digest: try Digest(parsing: digest), bytes: bytes, children: children)
    }
}

/// An artifact manifest (a stand-in for a signature) whose subject is `subject`, with its empty config pushed.
func artifactManifest(subject: Descriptor, artifactType: String, note: String) -> ManifestDocument {
    let empty = Descriptor(mediaType: MediaType.ociEmpty, bytes: Array("{}".utf8))
    let layer = Descriptor(mediaType: MediaType.ociEmpty, bytes: Array("{}".utf8))
    let manifest = ImageManifest(artifactType: artifactType, config: empty, layers: [layer], subject: subject,
                                 annotations: ["note": note])
    let bytes = try! JSONEncoder.stable.encode(manifest)
    return try! ManifestDocument(bytes: bytes, contentType: MediaType.ociManifest)
}
