extension TarGzip {
    /// Limits against hostile archives, checked while the archive is being decompressed.
    public struct Limits: Sendable {
        /// Most regular files an archive may hold (directory entries are skipped and not counted).
        public var maxFiles: Int
        /// Largest size of one file, in bytes.
        public var maxFileSize: Int
        /// Most bytes the whole archive may decompress to: the tar stream, headers and padding included.
        public var maxTotalSize: Int
        public init(maxFiles: Int = 1000, maxFileSize: Int = 4 << 20, maxTotalSize: Int = 64 << 20) {
            self.maxFiles = maxFiles; self.maxFileSize = maxFileSize; self.maxTotalSize = maxTotalSize
        }
    }
}
