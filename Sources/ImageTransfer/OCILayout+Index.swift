#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI
import RegistryClient

/// `index.json` (image-spec image-layout.md#indexjson-file): an image index whose entries are the layout's
/// top-level manifests, named by `org.opencontainers.image.ref.name`.
extension OCILayout {
    /// The layout's `index.json` as it is on disk now (empty when it has none yet).
    public func index() throws(ContentError) -> ImageIndex {
        guard let bytes = try LocalFile.read(indexPath, limit: LayoutIndex.maxSize) else { return ImageIndex(manifests: []) }
        return try LayoutIndex.decode(bytes, path: indexPath)
    }

    /// The `index.json` entry for `document`: its media type, digest and size, its own `artifactType` when it
    /// declares one, and `name` as `org.opencontainers.image.ref.name`.
    public static func indexEntry(for document: ManifestDocument, name: String?) -> Descriptor {
        let declared: String? = switch document.content {
        case .image(let manifest): manifest.artifactType
        case .index(let index): index.artifactType
        }
        return Descriptor(mediaType: document.mediaType, digest: document.digest, size: Int64(document.bytes.count),
                          annotations: name.map { [AnnotationKey.refName: $0] }, artifactType: declared)
    }

    /// Adds `entries` to `index.json` in one atomic rewrite: an entry with a ref.name replaces the entry holding
    /// that name (in place), an entry without one is listed once per digest; every other entry is kept.
    ///
    /// Each entry's manifest must already be stored (the index is written last, after what it lists). Calls
    /// for one directory are serialised within the process; batch a whole image (its root, signatures,
    /// referrers) into one call.
    public func addToIndex(_ entries: [Descriptor]) throws(ContentError) {
        guard !entries.isEmpty else { return }
        for entry in entries {
            guard try hasBlob(at: blobPath(for: entry.digest), size: entry.size, digest: entry.digest) else {
                throw .notFound(what: "manifest \(entry.digest) (\(entry.size) bytes) in \(self), to list in \(Self.indexName)")
            }
        }
        try indexLock.mutex.withLock { _ throws(ContentError) in
            try withDirectoryLock(path) { () throws(ContentError) in
                var index = try index()
                index.schemaVersion = 2
                index.mediaType = index.mediaType ?? MediaType.ociIndex
                index.manifests = LayoutIndex.merge(entries, into: index.manifests)
                let bytes = try LayoutIndex.encode(index, path: indexPath)
                do throws(RegistryError) { try AtomicFile.write(bytes, to: indexPath) } catch { throw ContentError(error) }
            }
        }
    }
}

/// Encoding, decoding and merging of `index.json`.
enum LayoutIndex {
    /// Generous: a mirror of thousands of images with their signatures stays far below.
    static let maxSize = 64 << 20

    static func encode(_ index: ImageIndex, path: String) throws(ContentError) -> Data {
        do { return try JSONEncoder.stable.encode(index) } catch {
            throw .invalidLayout(path: path, reason: "cannot encode the index: \(error)")
        }
    }

    static func decode(_ bytes: Data, path: String) throws(ContentError) -> ImageIndex {
        let index: ImageIndex
        do { index = try JSONDecoder().decode(ImageIndex.self, from: bytes) } catch {
            throw .invalidLayout(path: path, reason: "not an OCI image index (\(summary(of: error)))")
        }
        guard index.schemaVersion == 2 else {
            throw .invalidLayout(path: path, reason: "schemaVersion must be 2, got \(index.schemaVersion)")
        }
        return index
    }

    /// `manifests` with `entries` added in order: a named entry takes the place of the entry holding its name
    /// (further duplicates of the name are dropped); an unnamed one replaces the unnamed entry of its digest.
    static func merge(_ entries: [Descriptor], into manifests: [Descriptor]) -> [Descriptor] {
        var merged = manifests
        for entry in entries {
            let name = entry.refName
            let sameSlot: (Descriptor) -> Bool = { existing in
                name != nil ? existing.refName == name : existing.refName == nil && existing.digest == entry.digest
            }
            guard let first = merged.firstIndex(where: sameSlot) else {
                merged.append(entry)
                continue
            }
            merged[first] = entry
            var position = merged.index(after: first)
            while position < merged.endIndex {
                if sameSlot(merged[position]) { merged.remove(at: position) } else { position += 1 }
            }
        }
        return merged
    }

    private static func summary(of error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context.codingPath))"
        @unknown default: return "invalid JSON"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "top level" : keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

extension Descriptor {
    /// `org.opencontainers.image.ref.name`, the name of an `index.json` entry (an empty one is no name).
    var refName: String? { annotations?[AnnotationKey.refName].flatMap { $0.isEmpty ? nil : $0 } }
}
