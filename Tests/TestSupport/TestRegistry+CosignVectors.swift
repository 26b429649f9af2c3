import Foundation

/// Putting cosign's own signatures (containers/image fixtures, stored as `StoredCosignLayer`s) into a test
/// registry the way cosign left them: the signed manifest, and a `sha256-<hex>.<suffix>` tag manifest
/// whose layers are the signature layers.
extension TestRegistry {
    /// A layer of a hand-made cosign tag manifest.
    public struct CosignLayer: Sendable {
        public var mediaType: String
        public var blob: Data
        public var annotations: [String: String]

        public init(mediaType: String, blob: Data, annotations: [String: String] = [:]) {
            self.mediaType = mediaType
            self.blob = blob
            self.annotations = annotations
        }
    }

    /// Pushes `layers`' blobs, a config and an OCI manifest holding them, tagged `<alg>-<hex>.<suffix>` of
    /// `subject` (`sha256:<hex>`) — what cosign writes for signatures (`sig`) and attestations (`att`).
    /// Returns its digest.
    @discardableResult
    public func pushCosignTag(repo: String, subject: String, suffix: String, layers: [CosignLayer]) async throws -> String {
        var descriptors: [[String: Any]] = []
        for layer in layers {
            let digest = try await pushBlob(repo: repo, data: layer.blob)
            var descriptor: [String: Any] = ["mediaType": layer.mediaType, "digest": digest, "size": layer.blob.count]
            if !layer.annotations.isEmpty { descriptor["annotations"] = layer.annotations }
            descriptors.append(descriptor)
        }
        let config = Self.json(["architecture": "", "os": "", "config": [String: Any](),
                                "rootfs": ["type": "layers", "diff_ids": descriptors.map { $0["digest"]! }]])
        let configDigest = try await pushBlob(repo: repo, data: config)
        let manifestType = "application/vnd.oci.image.manifest.v1+json"
        let manifest = Self.json(["schemaVersion": 2, "mediaType": manifestType,
                                  "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": configDigest, "size": config.count],
                                  "layers": descriptors])
        let tag = String(subject.replacingOccurrences(of: ":", with: "-").prefix(128)) + "." + suffix
        return try await pushManifest(repo: repo, reference: tag, data: manifest, mediaType: manifestType)
    }

    /// Pushes the containers/image fixture `folder` (under `containers-image/signature/fixtures/`): its
    /// `manifest.json` tagged `tag`, and its `signature-N` files as the `.sig` layers. The image's own blobs
    /// are not in the vectors, so the registry must not insist on them (the lax fake). Returns the digest.
    public func pushCosignVector(_ folder: String, repo: String, tag: String = "v1") async throws -> String {
        let fixtures = "containers-image/signature/fixtures/"
        let manifest = try Vectors.data(fixtures + folder + "/manifest.json")
        guard let object = try JSONSerialization.jsonObject(with: manifest) as? [String: Any],
              let mediaType = object["mediaType"] as? String else {
            throw TestSupportError.badResponse(url: fixtures + folder, reason: "manifest.json has no mediaType")
        }
        let digest = try await pushManifest(repo: repo, reference: tag, data: manifest, mediaType: mediaType)
        let layers = try Vectors.names(in: fixtures + folder, prefix: "signature-").map { name in
            let stored = try StoredCosignLayer(vector: fixtures + folder + "/" + name)
            return CosignLayer(mediaType: stored.mimeType, blob: stored.payload, annotations: stored.annotations)
        }
        try await pushCosignTag(repo: repo, subject: digest, suffix: "sig", layers: layers)
        return digest
    }

    static func json(_ object: Any) -> Data {
        // Only called with literal dictionaries of JSON types.
        try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
