import Archive
import Crypto
import Foundation
import HTTPTransport
import OCI
import Policy
import RegistryClient
import Testing
import TestSupport
import Verification

/// One layer of an artifact pushed by hand.
struct RawLayer: Sendable {
    var mediaType: String
    var data: Data
    var annotations: [String: String]?

    init(_ mediaType: String, _ data: Data, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.data = data
        self.annotations = annotations
    }

    init(_ mediaType: String, _ text: String, annotations: [String: String]? = nil) {
        self.init(mediaType, Data(text.utf8), annotations: annotations)
    }

    /// A layer as `kyverno oci push` writes it: the policy's YAML and the three io.kyverno annotations.
    static func kyverno(_ yaml: String, kind: String, name: String, apiVersion: String = "kyverno.io/v1") -> RawLayer {
        RawLayer(Wire.yamlLayer, yaml, annotations: [Wire.kind: kind, Wire.name: name, Wire.apiVersion: apiVersion])
    }
}

/// An artifact pushed with raw distribution-API calls, without the code under test: any config, any layers.
struct RawArtifact: Sendable {
    var configMediaType = Wire.config
    var config = Data("{}".utf8)
    var layers: [RawLayer]
    var annotations: [String: String]?
    var artifactType: String?

    init(configMediaType: String = Wire.config, config: Data = Data("{}".utf8), layers: [RawLayer],
         annotations: [String: String]? = nil, artifactType: String? = nil) {
        self.configMediaType = configMediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
        self.artifactType = artifactType
    }

    /// The config go-containerregistry's `empty.Image` gets once layers are appended (kyverno's push).
    static func containerRegistryConfig(layers: [RawLayer]) -> Data {
        let diffIDs = layers.map { "\"\(sha256Digest($0.data))\"" }.joined(separator: ",")
        let history = layers.map { _ in #"{"created":"0001-01-01T00:00:00Z"}"# }.joined(separator: ",")
        return Data(#"{"architecture":"","created":"0001-01-01T00:00:00Z","history":[\#(history)],"os":"","rootfs":{"type":"layers","diff_ids":[\#(diffIDs)]},"config":{}}"#.utf8)
    }

    var manifest: Data {
        func descriptor(_ mediaType: String, _ data: Data, _ annotations: [String: String]?) -> [String: Any] {
            var object: [String: Any] = ["mediaType": mediaType, "digest": sha256Digest(data), "size": data.count]
            if let annotations { object["annotations"] = annotations }
            return object
        }
        var object: [String: Any] = [
            "schemaVersion": 2, "mediaType": Wire.ociManifest,
            "config": descriptor(configMediaType, config, nil),
            "layers": layers.map { descriptor($0.mediaType, $0.data, $0.annotations) },
        ]
        if let annotations { object["annotations"] = annotations }
        if let artifactType { object["artifactType"] = artifactType }
        return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}

/// Where a hand-pushed artifact is.
struct PushedArtifact: Sendable {
    let registry: TestRegistry
    let repo: String
    let tag: String
    let digest: String
    let manifest: Data

    var reference: Reference { try! Reference(parsing: registry.reference(repo, tag)) }
    var pinned: Reference { try! Reference(parsing: registry.reference(repo, digest)) }
}

extension TestRegistry {
    /// Pushes `artifact`'s blobs and manifest into a fresh repository named after `prefix`, tagged `tag`.
    func push(_ artifact: RawArtifact, prefix: String, tag: String = "v1") async throws -> PushedArtifact {
        try await push(artifact, repo: uniqueRepository(prefix), tag: tag)
    }

    func push(_ artifact: RawArtifact, repo: String, tag: String = "v1") async throws -> PushedArtifact {
        try await pushBlob(repo: repo, data: artifact.config)
        for layer in artifact.layers { try await pushBlob(repo: repo, data: layer.data) }
        let manifest = artifact.manifest
        let digest = try await pushManifest(repo: repo, reference: tag, data: manifest, mediaType: Wire.ociManifest)
        return PushedArtifact(registry: self, repo: repo, tag: tag, digest: digest, manifest: manifest)
    }

    /// The manifest `reference` names, as a JSON object.
    func manifestObject(repo: String, reference: String) async throws -> [String: Any] {
        let fetched = try await fetchManifest(repo: repo, reference: reference)
        return try #require(fetched.flatMap { (try? JSONSerialization.jsonObject(with: $0.data)) as? [String: Any] })
    }
}

/// Pulls `reference` into `directory` with a fresh client for `registry`; with `keys`, the artifact must be
/// signed by one of them (as `policy pull --key` checks it).
@discardableResult
func pull(_ reference: Reference, from registry: TestRegistry, into directory: String, force: Bool = false,
          keys: [PublicKey]? = nil, limits: TarGzip.Limits = TarGzip.Limits()) async throws(PolicyError) -> PolicyPull.Result {
    let client = loopbackClient([registry])
    let verifier = keys.map { ImageVerifier(client: client, policy: VerificationPolicy(keys: $0, now: Int64(Date().timeIntervalSince1970))) }
    return try await PolicyPull(client: client, verifier: verifier, limits: limits).pull(reference, into: directory, force: force)
}
