/// A push parser for tar streams: the inflater hands it decompressed chunks as they come, so it can refuse
/// an entry (and stop decompression) as soon as its header is read.
///
/// Entries become `ArchiveFile`s only for regular files; GNU long names and pax records apply to the
/// entry that follows them; anything else is refused with the entry's name.
struct TarReader {
    /// Largest GNU long-name or pax header payload accepted (they are buffered whole).
    static let maxMetadataSize = 1 << 20

    private enum Payload {
        case file(path: String)
        case longName
        case paxExtended
        case paxGlobal
    }

    private enum State {
        /// Collecting a header block into `block`.
        case header
        /// Collecting `remaining` bytes of an entry's data into `data`, then skipping `padding` bytes.
        case payload(Payload, remaining: Int, padding: Int)
        case padding(remaining: Int)
        /// After the first zero block: only zeros may follow.
        case endOfArchive
    }

    private let limits: TarGzip.Limits
    private var state = State.header
    /// Bytes of tar stream consumed so far.
    private var offset = 0
    private var block: [UInt8] = []
    private var data: [UInt8] = []
    /// Where the entry whose data is in `data` (or the last header) started, for messages.
    private var entryOffset = 0
    private var longName: [UInt8]?
    private var pax: PAXRecords?
    private var files: [ArchiveFile] = []

    init(limits: TarGzip.Limits) {
        self.limits = limits
        block.reserveCapacity(TarHeader.blockSize)
    }

    mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>) throws(ArchiveError) {
        var rest = chunk
        while !rest.isEmpty {
            switch state {
            case .header:
                let taken = min(TarHeader.blockSize - block.count, rest.count)
                block.append(contentsOf: UnsafeBufferPointer(rebasing: rest[..<taken]))
                rest = UnsafeBufferPointer(rebasing: rest[taken...])
                offset += taken
                if block.count == TarHeader.blockSize {
                    entryOffset = offset - TarHeader.blockSize
                    try readHeader()
                    block.removeAll(keepingCapacity: true)
                }
            case .payload(let payload, let remaining, let padding):
                let taken = min(remaining, rest.count)
                data.append(contentsOf: UnsafeBufferPointer(rebasing: rest[..<taken]))
                rest = UnsafeBufferPointer(rebasing: rest[taken...])
                offset += taken
                if taken == remaining {
                    try complete(payload, padding: padding)
                } else {
                    state = .payload(payload, remaining: remaining - taken, padding: padding)
                }
            case .padding(let remaining):
                let skipped = min(remaining, rest.count)
                rest = UnsafeBufferPointer(rebasing: rest[skipped...])
                offset += skipped
                state = skipped == remaining ? .header : .padding(remaining: remaining - skipped)
            case .endOfArchive:
                if let nonZero = Self.firstNonZero(in: rest) {
                    throw ArchiveError("unexpected data at offset \(offset + nonZero) after the tar end-of-archive marker")
                }
                offset += rest.count
                rest = UnsafeBufferPointer(rebasing: rest[rest.count...])
            }
        }
    }

    /// The files read, once the whole stream has been consumed.
    func finish() throws(ArchiveError) -> [ArchiveFile] {
        switch state {
        case .endOfArchive:
            try ArchivePath.checkNoClashes(files.map(\.path))
            return files
        case .header where offset == 0:
            throw ArchiveError("not a tar archive: the gzip stream is empty")
        case .header where block.isEmpty:
            throw ArchiveError("truncated tar: no end-of-archive marker after \(offset) bytes")
        case .header:
            throw ArchiveError("truncated tar: the stream ends inside the header at offset \(offset - block.count)")
        case .payload(let payload, let remaining, _):
            throw ArchiveError("truncated tar: \(describe(payload)) at offset \(entryOffset) is missing \(remaining) bytes of data")
        case .padding:
            throw ArchiveError("truncated tar: the stream ends in the padding of the entry at offset \(entryOffset)")
        }
    }

    private mutating func readHeader() throws(ArchiveError) {
        if block.allSatisfy({ $0 == 0 }) {
            guard longName == nil, pax == nil else {
                throw ArchiveError("tar: an extended header is followed by the end-of-archive marker at offset \(entryOffset)")
            }
            state = .endOfArchive
            return
        }
        let header = try TarHeader(parsing: block, at: entryOffset)
        switch TarEntryKind(typeflag: header.typeflag) {
        case .gnuLongName:
            guard longName == nil else { throw refusal("two GNU long names in a row") }
            try beginMetadata(.longName, size: header.size)
        case .paxExtended:
            guard pax == nil else { throw refusal("two pax extended headers in a row") }
            try beginMetadata(.paxExtended, size: header.size)
        case .paxGlobal:
            try beginMetadata(.paxGlobal, size: header.size)
        case .regularFile, .directory:
            let name = pax?.path ?? longName ?? header.name
            let size = pax?.size ?? header.size
            longName = nil
            pax = nil
            let isDirectory = header.typeflag == UInt8(ascii: "5") || name.last == UInt8(ascii: "/")
            if isDirectory {
                try readDirectory(name: name, size: size)
            } else {
                try beginFile(name: name, size: size)
            }
        case .refused(let what):
            let name = pax?.path ?? longName ?? header.name
            throw ArchiveError("tar entry \(ArchivePath.quoted(name)) at offset \(entryOffset) is \(what); only regular files and directories are allowed")
        }
    }

    private mutating func readDirectory(name: [UInt8], size: Int) throws(ArchiveError) {
        _ = try normalised(name, isDirectory: true)
        guard size == 0 else {
            throw ArchiveError("tar directory entry \(ArchivePath.quoted(name)) at offset \(entryOffset) claims \(size) bytes of data")
        }
        state = .header
    }

    private mutating func beginFile(name: [UInt8], size: Int) throws(ArchiveError) {
        let path = try normalised(name, isDirectory: false)
        func refuse(_ problem: String) -> ArchiveError {
            ArchiveError("tar entry \(path.debugDescription) at offset \(entryOffset): \(problem)")
        }
        guard files.count < limits.maxFiles else {
            throw refuse("the archive holds more than \(limits.maxFiles) files (maxFiles)")
        }
        guard size <= limits.maxFileSize else {
            throw refuse("its \(size) bytes exceed the \(limits.maxFileSize)-byte limit for one file (maxFileSize)")
        }
        guard offset <= limits.maxTotalSize, size <= limits.maxTotalSize - offset else {
            throw refuse("its \(size) bytes would take the archive past the \(limits.maxTotalSize)-byte limit (maxTotalSize)")
        }
        data = []
        data.reserveCapacity(size)
        try begin(.file(path: path), size: size)
    }

    private mutating func beginMetadata(_ payload: Payload, size: Int) throws(ArchiveError) {
        guard size <= Self.maxMetadataSize else {
            throw refusal("\(describe(payload)) of \(size) bytes is larger than the \(Self.maxMetadataSize)-byte limit")
        }
        data = []
        try begin(payload, size: size)
    }

    private mutating func begin(_ payload: Payload, size: Int) throws(ArchiveError) {
        let padding = (TarHeader.blockSize - size % TarHeader.blockSize) % TarHeader.blockSize
        if size == 0 {
            try complete(payload, padding: padding)
        } else {
            state = .payload(payload, remaining: size, padding: padding)
        }
    }

    private mutating func complete(_ payload: Payload, padding: Int) throws(ArchiveError) {
        state = padding > 0 ? .padding(remaining: padding) : .header
        switch payload {
        case .file(let path):
            files.append(ArchiveFile(path: path, contents: data))
        case .longName:
            // GNU tar stores the name with a terminating NUL.
            var name = data[...]
            while name.last == 0 { name.removeLast() }
            longName = Array(name)
        case .paxExtended:
            pax = try PAXRecords(parsing: data, at: entryOffset)
        case .paxGlobal:
            if try PAXRecords(parsing: data, at: entryOffset).setsPathOrSize {
                throw refusal("a global pax header sets path or size")
            }
        }
        data = []
    }

    private func normalised(_ name: [UInt8], isDirectory: Bool) throws(ArchiveError) -> String {
        do {
            return try ArchivePath.normalisedForExtraction(name, isDirectory: isDirectory)
        } catch {
            throw ArchiveError("tar entry at offset \(entryOffset): \(error.message)")
        }
    }

    private func refusal(_ problem: String) -> ArchiveError {
        ArchiveError("tar: refusing the entry at offset \(entryOffset): \(problem)")
    }

    private func describe(_ payload: Payload) -> String {
        switch payload {
        case .file(let path): "entry \(path.debugDescription)"
        case .longName: "GNU long name"
        case .paxExtended: "pax extended header"
        case .paxGlobal: "pax global header"
        }
    }

    /// Where the first non-zero byte is, checking 32 bytes at a time: this runs over every byte a bomb
    /// of zeros expands to (up to the limit).
    static func firstNonZero(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let raw = UnsafeRawBufferPointer(bytes)
        let stride = 4 * MemoryLayout<UInt64>.size
        var index = 0
        while index + stride <= raw.count {
            let words = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            if words != 0 { break }
            index += stride
        }
        while index < raw.count {
            if raw[index] != 0 { return index }
            index += 1
        }
        return nil
    }
}
