/// Where a `TarWriter` puts its bytes (the gzip deflater), so the tar format knows nothing of compression.
protocol ByteSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(ArchiveError)
}

/// Writes ustar regular-file entries with fixed metadata (mode 0644, uid/gid 0, empty owner names,
/// mtime 0), then the end-of-archive marker and padding to a whole 10240-byte record.
struct TarWriter<Sink: ByteSink> {
    private var sink: Sink
    private var written = 0

    init(sink: Sink) { self.sink = sink }

    /// Appends a regular file; `path` must already be a valid relative path.
    mutating func appendFile(path: [UInt8], contents: [UInt8]) throws(ArchiveError) {
        try write(try Self.header(path: path, size: contents.count))
        try write(contents)
        try writeZeros(count: (TarHeader.blockSize - contents.count % TarHeader.blockSize) % TarHeader.blockSize)
    }

    /// Writes two zero blocks and pads to a whole record; returns the sink.
    mutating func finish() throws(ArchiveError) -> Sink {
        try writeZeros(count: 2 * TarHeader.blockSize)
        try writeZeros(count: (TarHeader.recordSize - written % TarHeader.recordSize) % TarHeader.recordSize)
        return sink
    }

    /// A ustar header block for a regular file.
    static func header(path: [UInt8], size: Int) throws(ArchiveError) -> [UInt8] {
        let (prefix, name) = try splitName(path)
        guard let sizeField = TarHeader.octal(size, width: TarHeader.Field.size.count) else {
            throw ArchiveError("file \(ArchivePath.quoted(path)) is too large for a ustar archive (\(size) bytes; at most 8 GiB - 1)")
        }
        var block = [UInt8](repeating: 0, count: TarHeader.blockSize)
        func put(_ bytes: some Collection<UInt8>, at offset: Int) {
            block.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        }
        let zero = TarHeader.octal(0, width: 8)!
        put(name, at: TarHeader.Field.name.lowerBound)
        put(TarHeader.octal(0o644, width: 8)!, at: TarHeader.Field.mode.lowerBound)
        put(zero, at: TarHeader.Field.uid.lowerBound)
        put(zero, at: TarHeader.Field.gid.lowerBound)
        put(sizeField, at: TarHeader.Field.size.lowerBound)
        put(TarHeader.octal(0, width: 12)!, at: TarHeader.Field.mtime.lowerBound)
        block[TarHeader.Field.typeflag] = UInt8(ascii: "0")
        put(TarHeader.ustarMagic, at: TarHeader.Field.magic.lowerBound)
        put(TarHeader.ustarVersion, at: TarHeader.Field.version.lowerBound)
        put(zero, at: TarHeader.Field.devmajor.lowerBound)
        put(zero, at: TarHeader.Field.devminor.lowerBound)
        put(prefix, at: TarHeader.Field.prefix.lowerBound)
        // Six octal digits, NUL, space: the form tar(1) writes. The sum is at most 512 * 255.
        let checksum = TarHeader.checksums(of: block)[0]
        put(TarHeader.octal(checksum, width: 7)! + [UInt8(ascii: " ")], at: TarHeader.Field.checksum.lowerBound)
        return block
    }

    /// ustar's split of a path into prefix (up to 155 bytes) and name (up to 100 bytes) at a "/"; the reader
    /// joins them with "/". Like GNU tar, the split is at the last "/" the prefix can reach, so the name
    /// is as short as it can be (and the header byte-identical to GNU tar's).
    static func splitName(_ path: [UInt8]) throws(ArchiveError) -> (prefix: ArraySlice<UInt8>, name: ArraySlice<UInt8>) {
        let nameLength = TarHeader.Field.name.count, prefixLength = TarHeader.Field.prefix.count
        if path.count <= nameLength { return ([], path[...]) }
        if let slash = path.prefix(prefixLength + 1).lastIndex(of: UInt8(ascii: "/")) {
            let prefix = path[..<slash], name = path[(slash + 1)...]
            if !prefix.isEmpty, !name.isEmpty, name.count <= nameLength { return (prefix, name) }
        }
        throw ArchiveError("path \(ArchivePath.quoted(path)) (\(path.count) bytes) cannot be stored in a ustar header: it must split at a \"/\" into at most 155 + 100 bytes")
    }

    private mutating func write(_ bytes: [UInt8]) throws(ArchiveError) {
        try bytes.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(ArchiveError) in
            try sink.write(UnsafeRawBufferPointer(buffer))
        }
        written += bytes.count
    }

    private mutating func writeZeros(count: Int) throws(ArchiveError) {
        if count > 0 { try write([UInt8](repeating: 0, count: count)) }
    }
}
