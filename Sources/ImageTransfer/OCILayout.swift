#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import OCI
import RegistryClient
import Synchronization

/// An OCI image layout directory (image-spec image-layout.md): the `oci-layout` marker, blobs (manifests
/// included) under `blobs/<alg>/<hex>`, and `index.json` listing the top-level manifests, named by their
/// `org.opencontainers.image.ref.name` annotation.
///
/// Files appear complete or not at all: each is written to a temporary file in its own directory and renamed
/// once verified, and `index.json` is rewritten (the same way) only after the blobs it lists. Updates of
/// `index.json` are serialised within the process (and, through `flock`, between ocitool processes).
/// Methods do blocking file I/O on the calling thread. Facets live in `OCILayout+*.swift`.
public final class OCILayout: Sendable {
    /// The version this code writes, and the major version it reads.
    public static let layoutVersion = "1.0.0"
    static let markerName = "oci-layout"
    static let indexName = "index.json"
    /// Temporary files older than this, found when opening for writing, are left by killed writers.
    static let staleTemporaryAge: Duration = .seconds(3600)

    /// The directory, as given (less a trailing `/`).
    public let path: String
    /// Whether existing blobs are re-hashed before being trusted (otherwise a matching size suffices).
    public let verifyExistingBlobs: Bool
    /// Blobs up to this size may be read into memory (`blob(_:)`).
    public let smallBlobLimit: Int

    /// Serialises `index.json` updates across every `OCILayout` of this directory in the process.
    let indexLock: IndexLock
    /// What each manifest listed in `index.json` refers to, by digest (content never changes under a digest).
    let scannedManifests = Mutex<[Digest: ScannedManifest]>([:])
    /// Whether this layout was opened to write (`create`), and so may stage blobs in `ingest`.
    let writable: Bool
    /// Where blobs coming in are staged, created when first needed.
    let ingestState = Mutex<LayoutIngest?>(nil)

    /// Opens the layout at `path`. With `create`, a missing or empty directory becomes a new layout; without,
    /// it must already be one. A directory holding anything else is refused either way.
    public init(path: String, create: Bool = false, verifyExistingBlobs: Bool = false, smallBlobLimit: Int = 4 << 20) throws(ContentError) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.writable = create
        self.verifyExistingBlobs = verifyExistingBlobs
        self.smallBlobLimit = smallBlobLimit
        try Self.prepare(self.path, create: create)
        self.indexLock = IndexLock.forDirectory(self.path)
        if create {
            try Self.createMissing(self.path)
            LayoutIngest.removeAbandoned(inLayout: self.path)
            removeStaleTemporaryFiles(olderThan: Self.staleTemporaryAge)
        }
    }

    var indexPath: String { "\(path)/\(Self.indexName)" }

    /// Checks what is at `path` and creates a new layout there when allowed.
    private static func prepare(_ path: String, create: Bool) throws(ContentError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            guard errno == ENOENT else { throw .io(path: path, message: "cannot inspect: \(LocalFile.lastError())") }
            guard create else { throw .notALayout(path: path, reason: "no such directory") }
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw .io(path: path, message: "cannot create the directory: \(error)")
            }
            return try writeMarker(path)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notALayout(path: path, reason: "not a directory") }
        if try LocalFile.sizeIfPresent("\(path)/\(markerName)") != nil {
            return try checkMarker(path)
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw .io(path: path, message: "cannot list: \(error)")
        }
        // A create killed before the marker was renamed into place leaves at most its temporary file.
        let found = entries.filter { !isTemporaryName($0) }.sorted()
        guard found.isEmpty else {
            let shown = found.prefix(3).joined(separator: ", ") + (found.count > 3 ? ", …" : "")
            throw .notALayout(path: path, reason: "it holds \(shown) but no \(markerName) file")
        }
        guard create else { throw .notALayout(path: path, reason: "empty directory, no \(markerName) file") }
        try writeMarker(path)
    }

    /// The marker goes first: a directory with it is a layout, whatever else a killed run left.
    private static func writeMarker(_ path: String) throws(ContentError) {
        do { try AtomicFile.write(Data("{\"imageLayoutVersion\":\"\(layoutVersion)\"}".utf8), to: "\(path)/\(markerName)") } catch {
            throw ContentError(error)
        }
    }

    private static func checkMarker(_ path: String) throws(ContentError) {
        let markerPath = "\(path)/\(markerName)"
        guard let bytes = try LocalFile.read(markerPath, limit: 64 << 10) else {
            throw .notALayout(path: path, reason: "\(markerName) vanished while opening")
        }
        guard let marker = try? JSONDecoder().decode(JSONValue.self, from: bytes), marker.objectValue != nil else {
            throw .invalidLayout(path: markerPath, reason: "not a JSON object")
        }
        guard let version = marker["imageLayoutVersion"]?.stringValue else {
            throw .invalidLayout(path: markerPath, reason: "no imageLayoutVersion")
        }
        guard version.split(separator: ".").first == layoutVersion.split(separator: ".").first else {
            throw .notALayout(path: path, reason: "imageLayoutVersion \(version) is not supported (\(layoutVersion) is)")
        }
    }

    /// `blobs/` and an empty `index.json`, when missing (a new layout, or one whose creator was killed early).
    private static func createMissing(_ path: String) throws(ContentError) {
        do { try FileManager.default.createDirectory(atPath: "\(path)/blobs", withIntermediateDirectories: true) } catch {
            throw .io(path: "\(path)/blobs", message: "cannot create the directory: \(error)")
        }
        let indexPath = "\(path)/\(indexName)"
        if try LocalFile.sizeIfPresent(indexPath) == nil {
            let empty = try LayoutIndex.encode(ImageIndex(manifests: []), path: indexPath)
            do { try AtomicFile.write(empty, to: indexPath) } catch { throw ContentError(error) }
        }
    }

    /// Names of `AtomicFile` temporaries (`.<name>.tmp-XXXXXX`): never a blob, never the index.
    static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }
}

extension OCILayout: CustomStringConvertible {
    public var description: String { "oci:\(path)" }
}

/// Runs `body` holding an advisory `flock` on the directory `path`, so ocitool processes updating one layout's
/// `index.json` take turns as well. Best effort: where directories cannot be locked (some network file systems)
/// `body` runs under the in-process lock alone.
func withDirectoryLock<Result>(_ path: String, _ body: () throws(ContentError) -> Result) throws(ContentError) -> Result {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    defer { if descriptor >= 0 { close(descriptor) } }  // closing releases the lock
    if descriptor >= 0 {
        while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
    }
    return try body()
}

/// One lock per layout directory for the whole process, so two `OCILayout` values opened on the same directory
/// (a mirror's parallel images) still update `index.json` one at a time.
final class IndexLock: Sendable {
    let mutex = Mutex<Void>(())

    private static let locks = Mutex<[String: IndexLock]>([:])

    static func forDirectory(_ path: String) -> IndexLock {
        let key = canonical(path)
        return locks.withLock { locks in
            if let lock = locks[key] { return lock }
            let lock = IndexLock()
            locks[key] = lock
            return lock
        }
    }

    private static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
