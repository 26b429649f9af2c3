internal import CZlib

/// What the gzip inflater and deflater share about zlib.
enum Zlib {
    /// A 32 KiB window (the most deflate uses) with the gzip wrapper (+16): zlib writes and parses the
    /// RFC 1952 header and trailer itself, and refuses zlib- or raw-deflate data when reading.
    static let gzipWindowBits: Int32 = 15 + 16

    /// zlib's own message for a failed call, or the status code's meaning when it left none.
    static func message(_ stream: UnsafeMutablePointer<z_stream>, status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return switch status {
        case Z_STREAM_ERROR: "inconsistent stream state"
        case Z_DATA_ERROR: "invalid data"
        case Z_MEM_ERROR: "out of memory"
        case Z_BUF_ERROR: "no progress possible"
        case Z_VERSION_ERROR: "incompatible zlib version"
        case Z_NEED_DICT: "needs a preset dictionary"
        default: "status \(status)"
        }
    }

    /// A zeroed z_stream on the heap: zlib keeps a pointer back to it, so it must never move.
    static func allocateStream() -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        return stream
    }
}
