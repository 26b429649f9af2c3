#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A file that appears at its final path complete or not at all: written to a hidden temporary file in the
/// same directory, flushed, then renamed over the destination. Abandoned files are removed in `deinit`.
public final class AtomicFile: @unchecked Sendable {
    // One writer at a time (the transport's I/O thread while streaming, then the owner): the fd is not shared.
    public let path: String
    let temporaryPath: String
    private var descriptor: Int32
    private var committed = false

    /// Creates the temporary file (and missing parent directories) for `path`.
    public init(path: String, permissions: mode_t = 0o644) throws(RegistryError) {
        self.path = path
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw .io(path: directory, message: "cannot create directory: \(error)")
            }
        }
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(name).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .io(path: path, message: "cannot create a file here: \(String(cString: strerror(errno)))") }
        fchmod(fd, permissions)
        descriptor = fd
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed { unlink(temporaryPath) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(RegistryError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, message: "write failed: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Drops everything written so far.
    public func truncate() throws(RegistryError) {
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw .io(path: path, message: "cannot truncate: \(String(cString: strerror(errno)))")
        }
    }

    /// Flushes and moves the file into place. Not `durable`: moved without waiting for the disk (a staging file,
    /// useless after a crash anyway).
    public func commit(durable: Bool = true) throws(RegistryError) {
        guard !durable || fsync(descriptor) == 0 else { throw .io(path: path, message: "flush failed: \(String(cString: strerror(errno)))") }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            throw .io(path: path, message: "cannot move into place: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Removes the temporary file now (after a failure) instead of when the last reference goes away, which
    /// may be after the process has exited. Nothing happens once committed.
    public func discard() {
        guard !committed else { return }
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }

    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String, permissions: mode_t = 0o644) throws(RegistryError) {
        let file = try AtomicFile(path: path, permissions: permissions)
        var failure: RegistryError?
        data.withUnsafeBytes { bytes in
            do throws(RegistryError) { try file.write(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
        try file.commit()
    }
}
