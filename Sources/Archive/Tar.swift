/// A regular file in an archive: a relative path ("policies/require-labels.yaml") and its bytes.
public struct ArchiveFile: Sendable, Equatable {
    public let path: String
    public let contents: [UInt8]
    public init(path: String, contents: [UInt8]) { self.path = path; self.contents = contents }
}

/// Why an archive could not be created or was refused; `message` names the entry and the problem.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Gzip-compressed POSIX ustar archives of regular files: a deterministic writer and a reader that
/// refuses anything unsafe to hand to a file system (links, devices, escaping or duplicate paths) and
/// stops decompressing as soon as a limit is crossed.
///
/// Formats: ustar per POSIX.1-2017 `pax` "ustar Interchange Format"
/// (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06), gzip per RFC 1952.
public enum TarGzip {
    /// Deterministic gzip'd tar of `files`: the same files, in any order, give the same bytes.
    ///
    /// Entries are sorted by the UTF-8 bytes of their paths and written as ustar regular files with
    /// mode 0644, uid/gid 0, empty user and group names, mtime 0; paths longer than 100 bytes are split
    /// into ustar's prefix and name fields, so a path must fit that split (at most 256 bytes). The tar is
    /// padded to 10240-byte records like tar(1) does, then compressed at zlib level 9 into one gzip member
    /// whose header has mtime 0, no file name and OS 255 ("unknown", so the bytes do not depend on the
    /// platform that wrote them). Paths must be canonical relative paths: not empty, no leading or trailing
    /// "/", no empty, "." or ".." components, no NUL; two files may not share a path, nor may a file's
    /// path be a directory of another's.
    public static func create(_ files: [ArchiveFile]) throws(ArchiveError) -> [UInt8] {
        var entries: [(name: [UInt8], file: ArchiveFile)] = []
        entries.reserveCapacity(files.count)
        for file in files {
            entries.append((try ArchivePath.validatedForCreation(file.path), file))
        }
        entries.sort { $0.name.lexicographicallyPrecedes($1.name) }
        try ArchivePath.checkNoClashes(entries.map(\.file.path))

        var writer = TarWriter(sink: try GzipDeflater())
        for entry in entries {
            try writer.appendFile(path: entry.name, contents: entry.file.contents)
        }
        return try writer.finish().finish()
    }

    /// The regular files of a gzip'd tar, in archive order, refusing anything unsafe.
    ///
    /// The gzip stream is inflated in small chunks straight into a tar parser, so `limits` are enforced
    /// while decompressing: a bomb stops at `maxTotalSize` decompressed bytes. Concatenated gzip members
    /// are read as one stream (RFC 1952 §2.2, like gzip(1)); any other bytes after a member are refused.
    /// Reads ustar, GNU and v7 headers (checksums checked), GNU long names (`L`) and pax extended headers
    /// (`x`: `path` and `size` honoured, other keys ignored; `g` ignored unless it sets `path` or `size`).
    /// Only regular files and directories are allowed; directories are skipped. Paths: a leading "./" and
    /// "." components are dropped; absolute paths, ".." components, empty components, NUL, invalid UTF-8
    /// and paths over 4096 bytes are refused, as are duplicates and a file whose path is a directory of
    /// another file's. The end-of-archive marker is required, and only zeros may follow it.
    public static func extract(_ archive: [UInt8], limits: Limits = Limits()) throws(ArchiveError) -> [ArchiveFile] {
        guard !archive.isEmpty else { throw ArchiveError("not a gzip'd tar: the input is empty") }
        var reader = TarReader(limits: limits)
        var decompressed = 0
        try GzipInflater().inflate(archive) { (chunk: UnsafeBufferPointer<UInt8>) throws(ArchiveError) in
            // The reader sees the part within the limit first, so it can name the entry that crosses it.
            let allowed = min(chunk.count, max(0, limits.maxTotalSize - decompressed))
            try reader.consume(UnsafeBufferPointer(rebasing: chunk[..<allowed]))
            decompressed += chunk.count
            guard decompressed <= limits.maxTotalSize else {
                throw ArchiveError("archive decompresses to more than the \(limits.maxTotalSize)-byte limit (maxTotalSize); refusing it")
            }
        }
        return try reader.finish()
    }
}
