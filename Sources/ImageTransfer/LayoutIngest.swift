#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Where blobs on their way into a layout are staged: `.ingest/<run>/` beside `blobs/`. On the layout's own file
/// system, so a verified file is renamed into `blobs/<alg>/<hex>` rather than copied, and what a killed run
/// leaves stays inside the layout, where the next writer removes it.
///
/// Each writer has its own directory with a `lock` file it keeps locked (`flock`) while it lives. A directory
/// whose lock can be taken belongs to a writer that has ended — even by SIGKILL, which releases the lock — and
/// is removed when the layout is next opened for writing; a writer still running keeps its own.
final class LayoutIngest: Sendable {
    static let directoryName = ".ingest"
    static let lockName = "lock"
    static let preparingSuffix = ".new"
    /// A directory still being set up is left this long (its writer may have been killed while setting it up).
    static let preparingAge: time_t = 60

    /// This writer's staging directory.
    let directory: String
    private let lock: Int32

    /// Creates this writer's directory under `layout`'s `.ingest/`: under a `.new` name until its lock is held,
    /// so a sweeper never sees it unlocked.
    init(layout: String) throws(ContentError) {
        let root = "\(layout)/\(Self.directoryName)"
        directory = "\(root)/\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let preparing = directory + Self.preparingSuffix
        do { try FileManager.default.createDirectory(atPath: preparing, withIntermediateDirectories: true) } catch {
            throw .io(path: preparing, message: "cannot create the staging directory: \(error)")
        }
        let descriptor = open("\(preparing)/\(Self.lockName)", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0, rename(preparing, directory) == 0 else {
            let message = LocalFile.lastError()
            if descriptor >= 0 { close(descriptor) }
            try? FileManager.default.removeItem(atPath: preparing)
            throw .io(path: directory, message: "cannot set up the staging directory: \(message)")
        }
        lock = descriptor
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
        close(lock)
        rmdir(String(directory[..<directory.lastIndex(of: "/")!]))
    }

    /// Whether `path` was staged here.
    func holds(_ path: String) -> Bool { path.hasPrefix(directory + "/") }

    /// Removes the directories under `layout`'s `.ingest/` whose writer has ended, and `.ingest/` when it is left
    /// empty.
    static func removeAbandoned(inLayout layout: String) {
        let root = "\(layout)/\(directoryName)"
        defer { rmdir(root) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            let candidate = "\(root)/\(name)"
            if name.hasSuffix(preparingSuffix) {
                var info = stat()
                guard lstat(candidate, &info) == 0, info.st_mtim.tv_sec <= time(nil) - preparingAge else { continue }
            } else {
                let descriptor = open("\(candidate)/\(lockName)", O_RDWR | O_CLOEXEC)
                guard descriptor >= 0 || errno == ENOENT else { continue }
                defer { if descriptor >= 0 { close(descriptor) } }
                guard descriptor < 0 || flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            }
            try? FileManager.default.removeItem(atPath: candidate)
        }
    }
}
