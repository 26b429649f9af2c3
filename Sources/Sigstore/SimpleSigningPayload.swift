public import OCI

/// The payload of a classic cosign signature (`application/vnd.dev.cosign.simplesigning.v1+json`):
/// `{"critical": {"identity": {"docker-reference"}, "image": {"docker-manifest-digest"}, "type"}, "optional"}`.
///
/// The signature is over `bytes` exactly as stored in the layer; parsing never changes what is verified.
/// (sigstore/cosign: pkg/oci/static/signature.go, containers/image: signature/internal/sigstore_payload.go.)
public struct SimpleSigningPayload: Codable, Sendable, Hashable {
    /// The only `critical.type` cosign writes and accepts.
    public static let cosignSignatureType = "cosign container image signature"

    public let dockerReference: String
    public let manifestDigest: Digest
    public let type: String
    /// Free-form annotations; null or an object.
    public let optional: JSONValue?
    /// The exact payload bytes.
    public let bytes: [UInt8]

    public init(bytes: some Sequence<UInt8>) throws(SigstoreError) {
        let bytes = Array(bytes)
        let decoded = try JSONFields.decode(Self.self, from: bytes, document: "simple signing payload")
        self.init(dockerReference: decoded.dockerReference, manifestDigest: decoded.manifestDigest, type: decoded.type,
                  optional: decoded.optional, bytes: bytes)
    }

    private init(dockerReference: String, manifestDigest: Digest, type: String, optional: JSONValue?, bytes: [UInt8]) {
        self.dockerReference = dockerReference
        self.manifestDigest = manifestDigest
        self.type = type
        self.optional = optional
        self.bytes = bytes
    }

    private enum Keys: String, CodingKey {
        case critical, optional, identity, image, type
        case dockerReference = "docker-reference"
        case manifestDigest = "docker-manifest-digest"
    }

    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: Keys.self)
        let critical = try root.nestedContainer(keyedBy: Keys.self, forKey: .critical)
        let identity = try critical.nestedContainer(keyedBy: Keys.self, forKey: .identity)
        let image = try critical.nestedContainer(keyedBy: Keys.self, forKey: .image)
        let type = try critical.decode(String.self, forKey: .type)
        guard type == Self.cosignSignatureType else {
            throw critical.failure(.type, "\"\(type)\" is not \"\(Self.cosignSignatureType)\"")
        }
        let optional = try root.decodeIfPresent(JSONValue.self, forKey: .optional)
        if let optional, optional.objectValue == nil {
            throw root.failure(.optional, "must be null or an object")
        }
        self.init(dockerReference: try identity.decode(String.self, forKey: .dockerReference),
                  manifestDigest: try image.decode(Digest.self, forKey: .manifestDigest),
                  type: type, optional: optional, bytes: [])
        self = Self(dockerReference: dockerReference, manifestDigest: manifestDigest, type: type, optional: optional,
                    bytes: JSONFields.encode(self))
    }

    public func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        var critical = root.nestedContainer(keyedBy: Keys.self, forKey: .critical)
        var identity = critical.nestedContainer(keyedBy: Keys.self, forKey: .identity)
        try identity.encode(dockerReference, forKey: .dockerReference)
        var image = critical.nestedContainer(keyedBy: Keys.self, forKey: .image)
        try image.encode(manifestDigest, forKey: .manifestDigest)
        try critical.encode(type, forKey: .type)
        try root.encode(optional ?? .null, forKey: .optional)
    }
}
