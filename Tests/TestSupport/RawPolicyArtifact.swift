import Foundation

/// Kyverno policy-artifact media types and annotation keys, spelled out so the tests do not read them from
/// the code under test.
public enum PolicyWire {
    public static let config = "application/vnd.cncf.kyverno.config.v1+json"
    public static let yamlLayer = "application/vnd.cncf.kyverno.policy.layer.v1+yaml"
    public static let jsonLayer = "application/vnd.cncf.kyverno.policy.layer.v1+json"
    public static let bundleLayer = "application/vnd.cncf.kyverno.policy.layer.v1.tar+gzip"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let kind = "io.kyverno.image.kind"
    public static let name = "io.kyverno.image.name"
    public static let apiVersion = "io.kyverno.image.apiVersion"
    public static let created = "org.opencontainers.image.created"
}

/// One layer of a policy artifact pushed by hand.
public struct PolicyLayer: Sendable {
    public var mediaType: String
    public var data: Data
    public var annotations: [String: String]?

    public init(_ mediaType: String, _ data: Data, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.data = data
        self.annotations = annotations
    }

    public init(_ mediaType: String, _ text: String, annotations: [String: String]? = nil) {
        self.init(mediaType, Data(text.utf8), annotations: annotations)
    }

    /// A layer as `kyverno oci push` writes it: the policy's YAML and the three io.kyverno annotations.
    public static func kyverno(_ yaml: String, kind: String, name: String, apiVersion: String = "kyverno.io/v1") -> PolicyLayer {
        PolicyLayer(PolicyWire.yamlLayer, yaml, annotations: [PolicyWire.kind: kind, PolicyWire.name: name, PolicyWire.apiVersion: apiVersion])
    }
}

/// A policy artifact pushed with raw distribution-API calls, without the code under test: any config, any
/// layers, an OCI manifest.
public struct RawPolicyArtifact: Sendable {
    public var configMediaType: String
    public var config: Data
    public var layers: [PolicyLayer]
    public var annotations: [String: String]?
    public var artifactType: String?

    public init(configMediaType: String = PolicyWire.config, config: Data = Data("{}".utf8), layers: [PolicyLayer],
                annotations: [String: String]? = nil, artifactType: String? = nil) {
        self.configMediaType = configMediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
        self.artifactType = artifactType
    }

    /// The config go-containerregistry's `empty.Image` gets once layers are appended (kyverno's push).
    public static func containerRegistryConfig(layers: [PolicyLayer]) -> Data {
        let diffIDs = layers.map { "\"\(sha256Digest($0.data))\"" }.joined(separator: ",")
        let history = layers.map { _ in #"{"created":"0001-01-01T00:00:00Z"}"# }.joined(separator: ",")
        return Data(#"{"architecture":"","created":"0001-01-01T00:00:00Z","history":[\#(history)],"os":"","rootfs":{"type":"layers","diff_ids":[\#(diffIDs)]},"config":{}}"#.utf8)
    }

    public var manifest: Data {
        func descriptor(_ mediaType: String, _ data: Data, _ annotations: [String: String]?) -> [String: Any] {
            var object: [String: Any] = ["mediaType": mediaType, "digest": sha256Digest(data), "size": data.count]
            if let annotations { object["annotations"] = annotations }
            return object
        }
        var object: [String: Any] = [
            "schemaVersion": 2, "mediaType": PolicyWire.ociManifest,
            "config": descriptor(configMediaType, config, nil),
            "layers": layers.map { descriptor($0.mediaType, $0.data, $0.annotations) },
        ]
        if let annotations { object["annotations"] = annotations }
        if let artifactType { object["artifactType"] = artifactType }
        return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}

extension TestRegistry {
    /// Pushes `artifact`'s config, layers and manifest (tagged `tag`) into `repo`; returns the manifest's digest.
    @discardableResult
    public func pushPolicyArtifact(_ artifact: RawPolicyArtifact, repo: String, tag: String = "v1") async throws -> String {
        try await pushBlob(repo: repo, data: artifact.config)
        for layer in artifact.layers { try await pushBlob(repo: repo, data: layer.data) }
        return try await pushManifest(repo: repo, reference: tag, data: artifact.manifest, mediaType: PolicyWire.ociManifest)
    }
}
