#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Feeds a request body to curl's read callback, chunk by chunk, and rewinds it when curl asks
/// (a retried connection, an HTTP/2 stream reset, a 307/308 replay on a new exchange).
///
/// Files are read with `pread` through a descriptor opened up front, so a missing or short file fails
/// before anything is sent, and the file is never loaded whole.
final class RequestBodySource {
    private enum Storage {
        case data(Data)
        case file(descriptor: Int32, start: Int64, path: String)
    }

    private let storage: Storage
    let length: Int64
    private(set) var position: Int64 = 0
    /// Set when a read fails mid-transfer; the exchange reports it instead of curl's generic abort.
    private(set) var failure: TransportError?

    init(_ body: HTTPRequestBody) throws(TransportError) {
        length = body.length
        switch body {
        case .empty:
            storage = .data(Data())
        case .data(let data):
            storage = .data(data)
        case .file(let path, let offset, let length):
            storage = .file(descriptor: try Self.openFile(path, offset: offset, length: length), start: offset, path: path)
        }
    }

    deinit {
        if case .file(let descriptor, _, _) = storage { close(descriptor) }
    }

    /// Copies up to `buffer.count` bytes of what is left; 0 at the end; nil after a read error.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        let wanted = Int(min(Int64(buffer.count), length - position))
        guard wanted > 0, let base = buffer.baseAddress else { return 0 }
        switch storage {
        case .data(let data):
            let start = data.startIndex + Int(position)
            data.copyBytes(to: base.assumingMemoryBound(to: UInt8.self), from: start..<(start + wanted))
            position += Int64(wanted)
            return wanted
        case .file(let descriptor, let start, let path):
            var count: Int
            repeat {
                count = pread(descriptor, base, wanted, off_t(start + position))
            } while count < 0 && errno == EINTR
            guard count > 0 else {
                let reason = count < 0 ? String(cString: strerror(errno)) : "file ended before the declared length"
                failure = .fileUnreadable(path: path, message: reason)
                return nil
            }
            position += Int64(count)
            return count
        }
    }

    /// Moves to `offset` bytes from the start of the body; false when out of range.
    func seek(to offset: Int64) -> Bool {
        guard offset >= 0, offset <= length else { return false }
        position = offset
        return true
    }

    private static func openFile(_ path: String, offset: Int64, length: Int64) throws(TransportError) -> Int32 {
        guard offset >= 0, length >= 0 else {
            throw .fileUnreadable(path: path, message: "negative offset or length")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .fileUnreadable(path: path, message: String(cString: strerror(errno)))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw .fileUnreadable(path: path, message: message)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) >= offset + length else {
            close(descriptor)
            throw .fileUnreadable(path: path, message: "not a regular file of at least \(offset + length) bytes")
        }
        return descriptor
    }
}
