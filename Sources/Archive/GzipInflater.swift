internal import CZlib

/// Decompresses gzip data into a closure in fixed-size chunks, so memory stays bounded whatever the data
/// expands to, and the consumer can stop decompression at any chunk by throwing.
///
/// Concatenated members are read as one stream (RFC 1952 §2.2, as gzip(1) does); bytes after a member
/// that do not start another member are refused, as is a stream that ends before its trailer.
final class GzipInflater {
    static let chunkSize = 64 << 10
    private static let magic: [UInt8] = [0x1f, 0x8b]

    /// Owned for the object's lifetime; zlib's state is freed in `deinit`.
    private let stream = Zlib.allocateStream()
    private let output = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
    private var isInitialised = false

    init() throws(ArchiveError) {
        let status = ocitool_inflateInit2(stream, Zlib.gzipWindowBits)
        guard status == Z_OK else {
            throw ArchiveError("cannot start gzip decompression: \(Zlib.message(stream, status: status))")
        }
        isInitialised = true
    }

    deinit {
        if isInitialised { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    /// Inflates all of `input`, handing each decompressed chunk to `sink` (valid only during the call).
    func inflate(_ input: [UInt8], into sink: (UnsafeBufferPointer<UInt8>) throws(ArchiveError) -> Void) throws(ArchiveError) {
        guard input.starts(with: Self.magic) else {
            throw ArchiveError("not gzip data: the input does not start with the gzip magic number")
        }
        try input.withUnsafeBufferPointer { (bytes: UnsafeBufferPointer<UInt8>) throws(ArchiveError) in
            guard let base = bytes.baseAddress else { return }
            var handedOver = 0  // input bytes given to zlib so far (avail_in is 32-bit)
            var member = 1
            while true {
                if stream.pointee.avail_in == 0, handedOver < bytes.count {
                    let count = min(bytes.count - handedOver, Int(UInt32.max))
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: base + handedOver)
                    stream.pointee.avail_in = UInt32(count)
                    handedOver += count
                }
                stream.pointee.next_out = output.baseAddress
                stream.pointee.avail_out = UInt32(output.count)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                let produced = output.count - Int(stream.pointee.avail_out)
                if produced > 0 {
                    try sink(UnsafeBufferPointer(rebasing: output[..<produced]))
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let unread = Int(stream.pointee.avail_in) + bytes.count - handedOver
                    if unread == 0 { return }
                    let next = bytes[(bytes.count - unread)...]
                    guard next.starts(with: Self.magic) else {
                        throw ArchiveError("\(unread) bytes of trailing data after gzip member \(member) are not another gzip member")
                    }
                    member += 1
                    inflateReset(stream)
                case Z_BUF_ERROR where stream.pointee.avail_in == 0 && handedOver == bytes.count:
                    throw ArchiveError("truncated gzip data: the input ends inside gzip member \(member)")
                case Z_MEM_ERROR:
                    throw ArchiveError("out of memory while decompressing gzip member \(member)")
                default:
                    throw ArchiveError("corrupt gzip data in member \(member): \(Zlib.message(stream, status: status))")
                }
            }
        }
    }
}
