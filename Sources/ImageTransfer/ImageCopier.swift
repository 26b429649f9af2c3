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
/// exactly as fetched, so every digest is preserved. Blobs move in parallel (bounded by `jobs`) as `mirror` moves
/// them (`ContentDestination.receive`): mounted across repositories of one registry, skipped when the destination
/// has them, otherwise streamed through a verified temporary file.
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

    /// Blob by blob, the way `mirror` moves them (`ContentDestination.receive`): mounted, found, or copied.
    private func copyBlobs(_ blobs: [Descriptor], from source: Repository, to destination: Repository) async throws(RegistryError) -> [BlobTransfer: Int] {
        let from = RegistryContent(client: client, repository: source)
        let to = RegistryContent(client: client, repository: destination)
        let results = try await boundedMap(blobs, limit: jobs) { blob throws(RegistryError) -> BlobTransfer in
            do throws(ContentError) {
                switch try await to.receive(blob, from: from, temporaryDirectory: temporaryDirectory, attempts: 1) {
                case .copied: return .uploaded
                case .mounted: return .mounted
                case .present: return .alreadyPresent
                }
            } catch {
                throw RegistryError(error)
            }
        }
        return results.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
