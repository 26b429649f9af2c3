#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A manifest exactly as a registry served it: the bytes (so the digest stays exact), the media type,
/// the digest, and the parsed content.
public struct ManifestDocument: Sendable, Hashable {
    /// The distribution spec asks registries to accept manifests of at least 4 MiB; larger ones are refused.
    public static let maxSize = 4 << 20
    /// Bound on index entries and layers, against hostile registries.
    public static let maxEntries = 10_000

    public enum Content: Sendable, Hashable {
        case image(ImageManifest)
        case index(ImageIndex)
    }

    public let bytes: Data
    public let mediaType: String
    public let digest: Digest
    public let content: Content

    /// Parses `bytes`; `contentType` is the registry's `Content-Type`, used when the JSON has no `mediaType`.
    /// With `expected`, the bytes must hash to it (with its algorithm).
    public init(bytes: Data, contentType: String? = nil, expected: Digest? = nil) throws(OCIError) {
        guard bytes.count <= Self.maxSize else { throw .manifestTooLarge(size: bytes.count, limit: Self.maxSize) }
        let digest = Digest(of: bytes, algorithm: expected?.algorithm ?? .sha256)
        if let expected, expected != digest { throw .digestMismatch(expected: expected, actual: digest) }

        let probe: Probe
        do { probe = try JSONDecoder().decode(Probe.self, from: bytes) } catch {
            throw .malformedManifest(reason: "not a JSON manifest (\(Self.summarize(error)))")
        }
        if probe.schemaVersion == 1 { throw .unsupportedManifest(mediaType: MediaType.dockerManifestV1) }
        guard probe.schemaVersion == 2 else {
            throw .malformedManifest(reason: "schemaVersion must be 2, got \(probe.schemaVersion.map(String.init) ?? "none")")
        }
        let declared = probe.mediaType ?? contentType.map(Self.stripParameters)
        let isIndex: Bool
        switch declared {
        case let type? where MediaType.indexes.contains(type): isIndex = true
        case let type? where MediaType.imageManifests.contains(type): isIndex = false
        case nil, "application/json"?, "text/plain"?, "application/octet-stream"?:
            // No usable type: infer from the shape, as the image-spec allows for OCI content.
            guard probe.hasManifests != probe.hasConfig else {
                throw .malformedManifest(reason: "cannot tell whether it is an index or a manifest (no mediaType)")
            }
            isIndex = probe.hasManifests
        case let type?:
            throw .unsupportedManifest(mediaType: type)
        }
        let content: Content
        do {
            if isIndex {
                let index = try JSONDecoder().decode(ImageIndex.self, from: bytes)
                guard index.manifests.count <= Self.maxEntries else {
                    throw OCIError.malformedManifest(reason: "index has \(index.manifests.count) entries (limit \(Self.maxEntries))")
                }
                content = .index(index)
            } else {
                let manifest = try JSONDecoder().decode(ImageManifest.self, from: bytes)
                guard manifest.layers.count <= Self.maxEntries else {
                    throw OCIError.malformedManifest(reason: "manifest has \(manifest.layers.count) layers (limit \(Self.maxEntries))")
                }
                content = .image(manifest)
            }
        } catch let error as OCIError {
            throw error
        } catch {
            throw .malformedManifest(reason: Self.summarize(error))
        }
        self.bytes = bytes
        self.digest = digest
        self.content = content
        // A generic Content-Type (application/json…) names no manifest type: use the one the shape showed.
        let known = declared.flatMap { MediaType.indexes.contains($0) || MediaType.imageManifests.contains($0) ? $0 : nil }
        self.mediaType = known ?? (isIndex ? MediaType.ociIndex : MediaType.ociManifest)
    }

    /// A descriptor pointing at this manifest.
    public var descriptor: Descriptor {
        var descriptor = Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
        descriptor.artifactType = artifactType
        descriptor.annotations = annotations
        return descriptor
    }

    public var isIndex: Bool {
        if case .index = content { return true }
        return false
    }

    public var subject: Descriptor? {
        switch content {
        case .image(let manifest): manifest.subject
        case .index(let index): index.subject
        }
    }

    public var annotations: [String: String]? {
        switch content {
        case .image(let manifest): manifest.annotations
        case .index(let index): index.annotations
        }
    }

    /// The manifest's `artifactType`, or for image manifests the config media type as the referrers API reports it.
    public var artifactType: String? {
        switch content {
        case .image(let manifest): manifest.artifactType ?? manifest.config.mediaType
        case .index(let index): index.artifactType
        }
    }

    /// Blobs this manifest needs (config and layers); empty for an index.
    public var blobs: [Descriptor] {
        switch content {
        case .image(let manifest): [manifest.config] + manifest.layers
        case .index: []
        }
    }

    /// Manifests an index lists; empty for an image manifest.
    public var children: [Descriptor] {
        switch content {
        case .image: []
        case .index(let index): index.manifests
        }
    }

    /// A media type without parameters (`application/json; charset=utf-8` → `application/json`).
    public static func stripParameters(_ contentType: String) -> String {
        String(contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces()
    }

    /// DecodingError descriptions are long; keep the gist and the JSON path.
    static func summarize(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        let path: ([any CodingKey]) -> String = { keys in keys.isEmpty ? "top level" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") }
        switch error {
        case .dataCorrupted(let context): return context.codingPath.isEmpty ? "invalid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context.codingPath))"
        case .valueNotFound(_, let context): return "missing value at \(path(context.codingPath))"
        @unknown default: return "invalid JSON"
        }
    }

    /// Just enough of the JSON to decide what kind of manifest it is.
    private struct Probe: Decodable {
        var schemaVersion: Int?
        var mediaType: String?
        var hasManifests: Bool
        var hasConfig: Bool

        enum CodingKeys: String, CodingKey { case schemaVersion, mediaType, manifests, config }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            schemaVersion = try container.decodeIfPresent(Int.self, forKey: .schemaVersion)
            mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType)
            hasManifests = container.contains(.manifests)
            hasConfig = container.contains(.config)
        }
    }
}

extension StringProtocol {
    /// Leading and trailing spaces and tabs removed (FoundationEssentials has no `trimmingCharacters`).
    public func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" || first == "\n" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" || last == "\n" { slice.removeLast() }
        return String(slice)
    }
}
