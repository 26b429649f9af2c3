#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OCI
import RegistryClient

/// Writes signatures and attestations where cosign keeps them: layers of the manifest tagged
/// `sha256-<hex>.sig` / `.att` in the image's repository (cosign: pkg/oci/static, pkg/oci/remote). An existing
/// manifest is read and extended, never replaced, so earlier signatures survive.
struct CosignAttachmentWriter: Sendable {
    enum Kind: String { case signature = "sig", attestation = "att" }

    let client: RegistryClient

    /// Appends a layer holding `blob` (with `mediaType` and `annotations`) to `subject`'s `kind` manifest and
    /// returns that manifest's new digest. A layer identical to one already there is not added twice.
    func append(blob: Data, mediaType: String, annotations: [String: String], kind: Kind, subject: Digest,
                in repository: Repository) async throws(RegistryError) -> Digest {
        let tag = Reference(repository: repository, tag: "\(subject.fallbackTag).\(kind.rawValue)")
        var layers: [Descriptor] = []
        let existing = try await client.manifestIfPresent(tag)
        if let existing {
            guard case .image(let manifest) = existing.content else {
                throw .invalidContent(what: "\(tag)", problem: .malformedManifest(reason: "expected an image manifest holding cosign layers, found an index"))
            }
            layers = manifest.layers
        }
        let layer = Descriptor(mediaType: mediaType, bytes: Array(blob), annotations: annotations)
        if let existing, layers.contains(where: { $0.digest == layer.digest && $0.annotations == layer.annotations }) {
            return existing.digest
        }
        layers.append(layer)
        try await client.pushBlobIfAbsent(blob, to: repository)
        let config = try Self.config(for: layers)
        try await client.pushBlobIfAbsent(config, to: repository)
        let manifest = ImageManifest(config: Descriptor(mediaType: MediaType.ociConfig, bytes: Array(config)), layers: layers)
        let document: ManifestDocument
        do { document = try ManifestDocument(bytes: try JSONEncoder.stable.encode(manifest), contentType: MediaType.ociManifest) } catch {
            throw .protocolViolation(what: "\(tag)", detail: "cannot encode the manifest: \(error)")
        }
        return try await client.putManifest(document, to: tag).digest
    }

    /// The image config cosign writes for signature images.
    static func config(for layers: [Descriptor]) throws(RegistryError) -> Data {
        do { return try JSONEncoder.stable.encode(ArtifactConfig.empty(layers: layers)) } catch {
            throw .protocolViolation(what: "signature config", detail: "\(error)")
        }
    }
}
