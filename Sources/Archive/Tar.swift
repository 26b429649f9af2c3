/// A regular file in an archive. (interface; being implemented)
public struct ArchiveFile: Sendable, Equatable {
    public let path: String
    public let contents: [UInt8]
    public init(path: String, contents: [UInt8]) { self.path = path; self.contents = contents }
}

public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

public enum TarGzip {
    /// Limits against hostile archives.
    public struct Limits: Sendable {
        public var maxFiles: Int
        public var maxFileSize: Int
        public var maxTotalSize: Int
        public init(maxFiles: Int = 1000, maxFileSize: Int = 4 << 20, maxTotalSize: Int = 64 << 20) {
            self.maxFiles = maxFiles; self.maxFileSize = maxFileSize; self.maxTotalSize = maxTotalSize
        }
    }

    /// Deterministic gzip'd tar of `files`. (interface; being implemented)
    public static func create(_ files: [ArchiveFile]) throws(ArchiveError) -> [UInt8] { throw ArchiveError("not implemented") }

    /// The regular files of a gzip'd tar, refusing anything unsafe. (interface; being implemented)
    public static func extract(_ archive: [UInt8], limits: Limits = Limits()) throws(ArchiveError) -> [ArchiveFile] { throw ArchiveError("not implemented") }
}
