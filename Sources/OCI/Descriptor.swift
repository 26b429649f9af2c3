/// A content descriptor (image-spec descriptor.md): what a blob or manifest is, where to find it, how to check it.
public struct Descriptor: Sendable, Hashable, Codable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var urls: [String]?
    public var annotations: [String: String]?
    /// Embedded content (base64), rarely used.
    public var data: String?
    public var platform: Platform?
    public var artifactType: String?

    public init(mediaType: String, digest: Digest, size: Int64, annotations: [String: String]? = nil,
                platform: Platform? = nil, artifactType: String? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.platform = platform
        self.artifactType = artifactType
    }

    /// The descriptor of `bytes` stored under `mediaType`.
    public init(mediaType: String, bytes: [UInt8], annotations: [String: String]? = nil, artifactType: String? = nil) {
        self.init(mediaType: mediaType, digest: Digest(of: bytes), size: Int64(bytes.count),
                  annotations: annotations, artifactType: artifactType)
    }

    /// Whether this descriptor points at a manifest or index (as opposed to a blob).
    public var isManifest: Bool { MediaType.imageManifests.contains(mediaType) || MediaType.indexes.contains(mediaType) }
    public var isIndex: Bool { MediaType.indexes.contains(mediaType) }
}
