internal import CZlib

/// Compresses bytes written to it into one gzip member whose header carries no time, no file name and
/// the OS byte 255 ("unknown"), so the output depends only on the input and zlib's deflate (zlib picks
/// the header's XFL byte from the level).
final class GzipDeflater: ByteSink {
    private static let chunkSize = 64 << 10
    /// RFC 1952's "unknown" operating system; zlib would otherwise write the build platform's code.
    static let operatingSystem: Int32 = 255

    /// Owned for the object's lifetime; zlib keeps pointers to both until the stream ends.
    private let stream = Zlib.allocateStream()
    private let header = UnsafeMutablePointer<gz_header>.allocate(capacity: 1)
    private let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
    private var isInitialised = false
    private var compressed: [UInt8] = []

    init(level: Int32 = 9) throws(ArchiveError) {
        header.initialize(to: gz_header())
        header.pointee.os = Self.operatingSystem
        let status = ocitool_deflateInit2(stream, level, Zlib.gzipWindowBits)
        guard status == Z_OK else {
            throw ArchiveError("cannot start gzip compression: \(Zlib.message(stream, status: status))")
        }
        isInitialised = true
        let headerStatus = deflateSetHeader(stream, header)
        guard headerStatus == Z_OK else {
            throw ArchiveError("cannot set the gzip header: \(Zlib.message(stream, status: headerStatus))")
        }
    }

    deinit {
        if isInitialised { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        header.deinitialize(count: 1)
        header.deallocate()
        buffer.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError) {
        try deflate(bytes, flush: Z_NO_FLUSH)
    }

    /// Ends the member (compressed data, CRC-32 and length trailer) and returns the whole gzip stream.
    func finish() throws(ArchiveError) -> [UInt8] {
        try deflate(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        return compressed
    }

    private func deflate(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws(ArchiveError) {
        var handedOver = 0
        repeat {
            let count = min(bytes.count - handedOver, Int(UInt32.max))
            stream.pointee.next_in = bytes.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self) + handedOver) }
            stream.pointee.avail_in = UInt32(count)
            handedOver += count
            let sliceFlush = handedOver == bytes.count ? flush : Z_NO_FLUSH
            while true {
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = UInt32(buffer.count)
                let status = CZlib.deflate(stream, sliceFlush)
                compressed.append(contentsOf: buffer[..<(buffer.count - Int(stream.pointee.avail_out))])
                guard status == Z_OK || status == Z_BUF_ERROR || status == Z_STREAM_END else {
                    throw ArchiveError("gzip compression failed: \(Zlib.message(stream, status: status))")
                }
                // Without Z_FINISH, room left over means all input was taken; with it, run to the end.
                if sliceFlush == Z_FINISH ? status == Z_STREAM_END : stream.pointee.avail_out != 0 { break }
            }
        } while handedOver < bytes.count
    }
}
