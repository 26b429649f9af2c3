#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Crypto
import OCI
import RegistryClient

/// Local files read in chunks with POSIX calls: blobs can be far larger than memory, and a file is only ever
/// published through `AtomicFile` (temporary file in the same directory, renamed once verified).
enum LocalFile {
    static let chunkSize = 1 << 20

    /// The size of the regular file at `path`; nil when there is nothing there.
    static func sizeIfPresent(_ path: String) throws(ContentError) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .io(path: path, message: "cannot inspect: \(lastError())")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .io(path: path, message: "not a regular file") }
        return Int64(info.st_size)
    }

    static func size(of path: String) throws(ContentError) -> Int64 {
        guard let size = try sizeIfPresent(path) else { throw .io(path: path, message: "no such file") }
        return size
    }

    /// The whole file, refusing one larger than `limit`; nil when it does not exist.
    static func read(_ path: String, limit: Int) throws(ContentError) -> Data? {
        guard let descriptor = try open(path) else { return nil }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: min(chunkSize, limit + 1))
        while true {
            let count = try readChunk(descriptor, into: &buffer, path: path)
            if count == 0 { return data }
            data.append(contentsOf: buffer[..<count])
            guard data.count <= limit else { throw .invalidContent(what: path, problem: .contentTooLarge(limit: limit)) }
        }
    }

    /// Whether the file at `path` hashes to `digest` (false when missing).
    static func matches(_ path: String, digest: Digest) throws(ContentError) -> Bool {
        try self.digest(of: path, algorithm: digest.algorithm) == digest
    }

    /// The digest of the file at `path` (nil when missing).
    static func digest(of path: String, algorithm: HashAlgorithm) throws(ContentError) -> Digest? {
        guard let descriptor = try open(path) else { return nil }
        defer { close(descriptor) }
        let hasher = Hasher(algorithm)
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            guard !Task.isCancelled else { throw .cancelled }
            let count = try readChunk(descriptor, into: &buffer, path: path)
            if count == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
        return Digest(finishing: hasher)
    }

    /// Copies `source` to `destination`, hashing on the way: `destination` appears only if the bytes match
    /// `expected`'s digest and size. `what` names the content in errors.
    static func copyVerified(from source: String, to destination: String, expected: Descriptor, what: String,
                             durable: Bool = true) throws(ContentError) {
        guard let input = try open(source) else { throw .notFound(what: "\(what) (\(source))") }
        defer { close(input) }
        let output: AtomicFile
        do { output = try AtomicFile(path: destination) } catch { throw ContentError(error) }
        do throws(ContentError) {
            let hasher = Hasher(expected.digest.algorithm)
            var total: Int64 = 0
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            while true {
                guard !Task.isCancelled else { throw .cancelled }
                let count = try readChunk(input, into: &buffer, path: source)
                if count == 0 { break }
                total += Int64(count)
                guard total <= expected.size else {
                    throw .invalidContent(what: what, problem: .sizeMismatch(expected: expected.size, actual: total))
                }
                var failure: RegistryError?
                buffer.withUnsafeBytes { bytes in
                    let chunk = UnsafeRawBufferPointer(rebasing: bytes[..<count])
                    hasher.update(chunk)
                    do throws(RegistryError) { try output.write(chunk) } catch { failure = error }
                }
                if let failure { throw ContentError(failure) }
            }
            guard total == expected.size else {
                throw .invalidContent(what: what, problem: .sizeMismatch(expected: expected.size, actual: total))
            }
            let actual = Digest(finishing: hasher)
            guard actual == expected.digest else {
                throw .invalidContent(what: what, problem: .digestMismatch(expected: expected.digest, actual: actual))
            }
            do { try output.commit(durable: durable) } catch { throw ContentError(error) }
        } catch {
            output.discard()
            throw error
        }
    }

    /// A read-only descriptor for `path`, or nil when it does not exist.
    private static func open(_ path: String) throws(ContentError) -> Int32? {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .io(path: path, message: "cannot open: \(lastError())")
        }
        return descriptor
    }

    private static func readChunk(_ descriptor: Int32, into buffer: inout [UInt8], path: String) throws(ContentError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return count }
            if errno != EINTR { throw .io(path: path, message: "read failed: \(lastError())") }
        }
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
