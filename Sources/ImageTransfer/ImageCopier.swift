#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI
public import RegistryClient
import HTTPTransport

/// What a copy did.
public struct CopyReport: Sendable {
    public let digest: Digest
    public let manifests: Int
    public let blobsUploaded: Int
    public let blobsMounted: Int
    public let blobsSkipped: Int
}

/// Copies an image or a whole index (every platform) between repositories, byte for byte: manifests are pushed
/// exactly as fetched, so every digest is preserved. Blobs move in parallel (bounded by `jobs`): skipped when the
/// destination has them, mounted across repositories of one registry, otherwise streamed through a verified
/// temporary file.
public struct ImageCopier: Sendable {
    public let client: RegistryClient
    public let jobs: Int
    public let temporaryDirectory: String

    public init(client: RegistryClient, jobs: Int = 8, temporaryDirectory: String? = nil) {
        self.client = client
        self.jobs = max(1, jobs)
        self.temporaryDirectory = temporaryDirectory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    }

    /// Copies what `source` names to `destination`. A destination without tag or digest takes the source's tag
    /// (or digest); a destination digest must equal the source's.
    public func copy(from source: Reference, to destination: Reference) async throws(RegistryError) -> CopyReport {
        let root = try await client.manifest(source)
        if let pinned = destination.digest, pinned != root.digest {
            throw .invalidContent(what: "copy to \(destination)", problem: .digestMismatch(expected: pinned, actual: root.digest))
        }
        let target = destination.tag != nil || destination.digest != nil ? destination
            : source.tag.map { destination.withTag($0) } ?? destination.withDigest(root.digest)
        let tree = try await ManifestTree.load(root: root, repository: source.repository, client: client, jobs: jobs)
        let counts = try await copyBlobs(tree.blobs, from: source.repository, to: target.repository)
        // Children before parents: a registry refuses an index whose manifests it does not have.
        for level in tree.levelsBottomUp.dropLast() {
            try await boundedForEach(level, limit: jobs) { document throws(RegistryError) in
                try await client.putManifest(document, to: Reference(repository: target.repository, digest: document.digest))
            }
        }
        try await client.putManifest(root, to: target)
        return CopyReport(digest: root.digest, manifests: tree.count, blobsUploaded: counts[.uploaded, default: 0],
                          blobsMounted: counts[.mounted, default: 0], blobsSkipped: counts[.alreadyPresent, default: 0])
    }

    private func copyBlobs(_ blobs: [Descriptor], from source: Repository, to destination: Repository) async throws(RegistryError) -> [BlobTransfer: Int] {
        let results = try await boundedMap(blobs, limit: jobs) { blob throws(RegistryError) in
            try await copyBlob(blob, from: source, to: destination)
        }
        return results.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    private func copyBlob(_ blob: Descriptor, from source: Repository, to destination: Repository) async throws(RegistryError) -> BlobTransfer {
        if source.registry == destination.registry {
            if source == destination { return .alreadyPresent }
            // One request: a mount succeeds whenever the source has the blob, and also when the destination does.
            if try await client.mountBlob(blob.digest, from: source, to: destination) { return .mounted }
        } else if let size = try await client.blobSize(blob.digest, in: destination), size == blob.size || size < 0 {
            return .alreadyPresent
        }
        if blob.size <= Int64(client.configuration.smallBlobLimit) {
            let data = try await client.blob(blob, in: source)
            return try await client.uploadBlob(blob.digest, size: blob.size, body: .data(data), to: destination)
        }
        let path = "\(temporaryDirectory)/ocitool-blob-\(blob.digest.hex)-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await client.downloadBlob(blob.digest, size: blob.size, in: source, to: path)
        return try await client.uploadBlob(blob.digest, size: blob.size, body: .file(path: path, offset: 0, length: blob.size), to: destination)
    }
}
