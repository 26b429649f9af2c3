import Foundation
import OCI
import TestSupport

/// Media types and annotation keys spelled out here, so hand-made evidence does not depend on the code under test.
enum Wire {
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let ociConfig = "application/vnd.oci.image.config.v1+json"
    static let ociEmpty = "application/vnd.oci.empty.v1+json"
    static let simpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
    static let dsse = "application/vnd.dsse.envelope.v1+json"
    static let inToto = "application/vnd.in-toto+json"
    static let bundleV03 = "application/vnd.dev.sigstore.bundle.v0.3+json"
    static let bundleV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1"
    static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    static let bundleAnnotation = "dev.sigstore.cosign/bundle"
    static let cosignSign = "https://sigstore.dev/cosign/sign/v1"
}

/// A layer of a hand-made cosign tag manifest or referrer.
struct RawLayer: Sendable {
    var mediaType: String
    var blob: Data
    var annotations: [String: String] = [:]
}

/// Sorted-key JSON of a JSONSerialization value.
func jsonData(_ object: Any) -> Data {
    // Only called with literal dictionaries and arrays of JSON types.
    try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
}

func jsonObject(_ data: Data) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw RawContentError("not a JSON object: \(String(decoding: data.prefix(200), as: UTF8.self))")
    }
    return object
}

struct RawContentError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestRegistry {
    /// Pushes `layers`' blobs, a config and an OCI manifest holding them, tagged `<alg>-<hex>.<suffix>` of
    /// `subject` — what cosign writes for signatures (`sig`) and attestations (`att`). Returns its digest.
    @discardableResult
    func pushCosignTag(repo: String, subject: Digest, suffix: String, layers: [RawLayer]) async throws -> String {
        try await pushCosignTag(repo: repo, subject: subject.description, suffix: suffix,
                                layers: layers.map { CosignLayer(mediaType: $0.mediaType, blob: $0.blob, annotations: $0.annotations) })
    }

    /// The descriptor (`mediaType`, `digest`, `size`) of manifest `digest` of `repo`, for a `subject` field.
    func manifestDescriptor(repo: String, digest: Digest) async throws -> [String: Any] {
        guard let fetched = try await fetchManifest(repo: repo, reference: digest.description) else {
            throw RawContentError("manifest \(digest) is not in \(repo)")
        }
        return ["mediaType": fetched.mediaType, "digest": fetched.digest, "size": fetched.data.count]
    }

    /// Pushes an OCI 1.1 artifact: an empty config, one layer, `subject` = manifest `subject` of `repo`.
    /// Stored by digest; a registry with the referrers API lists it. Returns its digest.
    @discardableResult
    func pushReferrer(repo: String, subject: Digest, artifactType: String?, layer: RawLayer,
                      annotations: [String: String] = [:]) async throws -> String {
        let empty = Data("{}".utf8)
        let emptyDigest = try await pushBlob(repo: repo, data: empty)
        let layerDigest = try await pushBlob(repo: repo, data: layer.blob)
        var layerDescriptor: [String: Any] = ["mediaType": layer.mediaType, "digest": layerDigest, "size": layer.blob.count]
        if !layer.annotations.isEmpty { layerDescriptor["annotations"] = layer.annotations }
        var manifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": Wire.ociManifest,
            "config": ["mediaType": Wire.ociEmpty, "digest": emptyDigest, "size": empty.count],
            "layers": [layerDescriptor],
            "subject": try await manifestDescriptor(repo: repo, digest: subject),
        ]
        if let artifactType { manifest["artifactType"] = artifactType }
        if !annotations.isEmpty { manifest["annotations"] = annotations }
        let bytes = jsonData(manifest)
        return try await pushManifest(repo: repo, reference: sha256Digest(bytes), data: bytes, mediaType: Wire.ociManifest)
    }

    /// Pushes a sigstore bundle as cosign v3 does: an artifact of type `mediaType` whose one layer is the bundle.
    @discardableResult
    func pushBundle(repo: String, subject: Digest, bundle: Data, mediaType: String = Wire.bundleV03,
                    predicateType: String = Wire.cosignSign) async throws -> String {
        try await pushReferrer(repo: repo, subject: subject, artifactType: mediaType,
                               layer: RawLayer(mediaType: mediaType, blob: bundle),
                               annotations: ["dev.sigstore.bundle.content": "dsse-envelope",
                                             "dev.sigstore.bundle.predicateType": predicateType])
    }

    /// The layers of the cosign tag manifest `<alg>-<hex>.<suffix>` of `subject`, with their blobs.
    func cosignLayers(repo: String, subject: Digest, suffix: String) async throws -> [RawLayer] {
        guard let fetched = try await fetchManifest(repo: repo, reference: "\(subject.fallbackTag).\(suffix)") else {
            throw RawContentError("no \(subject.fallbackTag).\(suffix) in \(repo)")
        }
        let layers = try jsonObject(fetched.data)["layers"] as? [[String: Any]] ?? []
        var found: [RawLayer] = []
        for layer in layers {
            let digest = layer["digest"] as? String ?? ""
            guard let blob = try await fetchBlob(repo: repo, digest: digest) else { throw RawContentError("blob \(digest) missing") }
            found.append(RawLayer(mediaType: layer["mediaType"] as? String ?? "", blob: blob,
                                  annotations: layer["annotations"] as? [String: String] ?? [:]))
        }
        return found
    }
}

/// A multi-platform image pushed with raw requests: one small image per platform and an OCI index over them.
struct TestIndex {
    let registry: TestRegistry
    let repo: String
    let digest: Digest
    /// Platform (`os/arch`) to manifest digest, for every entry of the index.
    let platforms: [String: Digest]

    var reference: Reference { try! Reference(parsing: registry.reference(repo, "v1")) }

    func reference(_ digest: Digest) -> Reference { try! Reference(parsing: registry.reference(repo, digest.description)) }

    static func push(_ registry: TestRegistry, _ prefix: String,
                     platforms: [String] = ["linux/amd64", "linux/arm64"]) async throws -> TestIndex {
        let repo = uniqueRepository(prefix)
        var entries: [[String: Any]] = [], digests: [String: Digest] = [:]
        for platform in platforms {
            let image = try await registry.pushImage(repo: repo, tag: nil, layers: [Data("\(platform) of \(repo)".utf8)])
            let parts = platform.split(separator: "/").map(String.init)
            var annotations: [String: String] = [:]
            if parts[0] == "unknown" {  // how BuildKit lists its attestation manifests
                annotations = ["vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": digests.values.first?.description ?? ""]
            }
            var entry: [String: Any] = ["mediaType": SeededImage.mediaType, "digest": image.digest, "size": image.manifest.count,
                                        "platform": ["os": parts[0], "architecture": parts[1]]]
            if !annotations.isEmpty { entry["annotations"] = annotations }
            entries.append(entry)
            digests[platform] = try Digest(parsing: image.digest)
        }
        let index = jsonData(["schemaVersion": 2, "mediaType": Wire.ociIndex, "manifests": entries])
        let digest = try await registry.pushManifest(repo: repo, reference: "v1", data: index, mediaType: Wire.ociIndex)
        return TestIndex(registry: registry, repo: repo, digest: try Digest(parsing: digest), platforms: digests)
    }
}
