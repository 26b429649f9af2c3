#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
public import OCI
import RegistryClient

/// Blobs (manifests included) under `blobs/<alg>/<hex>` (image-spec image-layout.md#blobs).
///
/// A blob is written to a temporary file in its own directory, hashed on the way, and renamed to its name only
/// once digest and size match: a blob's name never holds a partial or wrong file. A blob already there is
/// trusted when its size matches, and re-hashed first with `verifyExistingBlobs`.
extension OCILayout {
    /// Where blob `digest` lives. A source may stream straight here (`ContentSource.fetchBlob` publishes only
    /// verified, complete files), saving a copy.
    public func blobPath(for digest: Digest) -> String {
        "\(path)/blobs/\(digest.algorithm.rawValue)/\(digest.hex)"
    }

    public func hasBlob(_ descriptor: Descriptor) throws(ContentError) -> Bool {
        try hasBlob(at: blobPath(for: descriptor.digest), size: descriptor.size, digest: descriptor.digest)
    }

    func hasBlob(at path: String, size: Int64, digest: Digest) throws(ContentError) -> Bool {
        guard try LocalFile.sizeIfPresent(path) == size else { return false }
        guard verifyExistingBlobs else { return true }
        return try LocalFile.matches(path, digest: digest)
    }

    /// Stores the blob `descriptor` names from the file at `path`, streamed and verified; on a mismatch nothing
    /// is left under the blob's name (an existing good copy stays).
    public func putBlob(from path: String, _ descriptor: Descriptor) throws(ContentError) {
        if let ingest = ingestState.withLock({ $0 }), ingest.holds(path) { return try moveStaged(path, descriptor) }
        try LocalFile.copyVerified(from: path, to: blobPath(for: descriptor.digest), expected: descriptor,
                                   what: "blob \(descriptor.digest) from \(path)")
    }

    /// Blobs are staged inside the layout (`LayoutIngest`), so `ContentSource.fetchBlob` can write them there
    /// and `putBlob` rename them into place.
    /// Nil (stage anywhere) for a layout opened read-only, or when the staging directory cannot be made.
    public var stagingDirectory: String? {
        guard writable else { return nil }
        return ingestState.withLock { ingest in
            if ingest == nil { ingest = try? LayoutIngest(layout: path) }
            return ingest?.directory
        }
    }

    /// Renames the staged file at `path` to the blob's name once its size and digest are checked.
    private func moveStaged(_ path: String, _ descriptor: Descriptor) throws(ContentError) {
        let what = "blob \(descriptor.digest) staged at \(path)"
        let size = try LocalFile.size(of: path)
        guard size == descriptor.size else { throw .invalidContent(what: what, problem: .sizeMismatch(expected: descriptor.size, actual: size)) }
        guard let actual = try LocalFile.digest(of: path, algorithm: descriptor.digest.algorithm) else { throw .notFound(what: what) }
        guard actual == descriptor.digest else { throw .invalidContent(what: what, problem: .digestMismatch(expected: descriptor.digest, actual: actual)) }
        let target = blobPath(for: descriptor.digest)
        let directory = String(target[..<target.lastIndex(of: "/")!])
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .io(path: directory, message: "cannot create the directory: \(error)")
        }
        guard rename(path, target) == 0 else { throw .io(path: target, message: "cannot move \(path) here: \(LocalFile.lastError())") }
    }

    /// Stores `bytes` as a blob (a manifest, a config) unless it is already there; returns its descriptor.
    @discardableResult
    public func putBlob(_ bytes: Data, mediaType: String = "application/octet-stream") throws(ContentError) -> Descriptor {
        let descriptor = Descriptor(mediaType: mediaType, bytes: Array(bytes))
        let target = blobPath(for: descriptor.digest)
        // Bytes in memory are small: an existing copy is re-hashed rather than trusted by size.
        if try LocalFile.sizeIfPresent(target) == descriptor.size, try LocalFile.matches(target, digest: descriptor.digest) {
            return descriptor
        }
        do { try AtomicFile.write(bytes, to: target) } catch { throw ContentError(error) }
        return descriptor
    }

    /// Copies the blob to `path`, verifying it on the way.
    public func fetchBlob(_ descriptor: Descriptor, to path: String, durable: Bool = true) throws(ContentError) {
        let source = blobPath(for: descriptor.digest)
        guard let size = try LocalFile.sizeIfPresent(source) else { throw .notFound(what: "blob \(descriptor.digest) in \(self)") }
        guard size == descriptor.size else {
            throw .invalidContent(what: "blob \(descriptor.digest) in \(self)", problem: .sizeMismatch(expected: descriptor.size, actual: size))
        }
        try LocalFile.copyVerified(from: source, to: path, expected: descriptor, what: "blob \(descriptor.digest) in \(self)", durable: durable)
    }

    /// A small blob in memory, verified against its digest and size.
    public func blob(_ descriptor: Descriptor) throws(ContentError) -> Data {
        let what = "blob \(descriptor.digest) in \(self)"
        guard descriptor.size <= Int64(smallBlobLimit) else {
            throw .invalidContent(what: what, problem: .contentTooLarge(limit: smallBlobLimit))
        }
        guard let bytes = try LocalFile.read(blobPath(for: descriptor.digest), limit: smallBlobLimit) else {
            throw .notFound(what: what)
        }
        guard Int64(bytes.count) == descriptor.size else {
            throw .invalidContent(what: what, problem: .sizeMismatch(expected: descriptor.size, actual: Int64(bytes.count)))
        }
        do { try descriptor.digest.verify(bytes) } catch { throw .invalidContent(what: what, problem: error) }
        return bytes
    }

    /// Removes temporary files (`.<name>.tmp-XXXXXX`) that killed writers left in the layout, if not modified
    /// for `age` — younger ones may belong to a writer still running. Returns the paths removed. They are
    /// never mistaken for content either way: no blob or index has such a name.
    @discardableResult
    public func removeStaleTemporaryFiles(olderThan age: Duration) -> [String] {
        let blobs = "\(path)/blobs"
        let algorithms = (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []
        let directories = [path, blobs] + algorithms.filter { !Self.isTemporaryName($0) }.map { "\(blobs)/\($0)" }
        let cutoff = time(nil) - time_t(age.components.seconds)
        var removed: [String] = []
        for directory in directories {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where Self.isTemporaryName(name) {
                let candidate = "\(directory)/\(name)"
                var info = stat()
                guard lstat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mtim.tv_sec <= cutoff else { continue }
                if unlink(candidate) == 0 { removed.append(candidate) }
            }
        }
        return removed
    }
}
