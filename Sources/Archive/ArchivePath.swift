/// Path rules shared by the writer (canonical relative paths only) and the reader (which also accepts
/// "./" prefixes and "." components, and drops them).
enum ArchivePath {
    /// Longest path the reader accepts, in bytes (Linux's PATH_MAX).
    static let maxLength = 4096

    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// The UTF-8 bytes of `path` if it is a canonical relative path.
    static func validatedForCreation(_ path: String) throws(ArchiveError) -> [UInt8] {
        let bytes = Array(path.utf8)
        _ = try components(of: bytes, droppingDots: false)
        return bytes
    }

    /// The path a tar entry names, with "./" prefixes and "." components dropped (and, for a directory,
    /// trailing slashes). A directory naming the archive's root ("./") gives "".
    static func normalisedForExtraction(_ raw: [UInt8], isDirectory: Bool) throws(ArchiveError) -> String {
        guard raw.count <= maxLength else {
            throw ArchiveError("path \(quoted(raw)) is longer than \(maxLength) bytes")
        }
        var bytes = raw[...]
        if isDirectory {
            while bytes.count > 1, bytes.last == slash { bytes.removeLast() }
        }
        let parts = try components(of: Array(bytes), droppingDots: true)
        if parts.isEmpty {
            if isDirectory { return "" }
            throw ArchiveError("path \(quoted(raw)) names no file")
        }
        let joined = Array(parts.joined(separator: [slash]))
        guard let path = String(validating: joined, as: UTF8.self) else {
            throw ArchiveError("path \(quoted(raw)) is not valid UTF-8")
        }
        return path
    }

    /// Refuses two files with one path (Unicode-equivalent paths count as one: they collide on file
    /// systems that normalise names) and a file whose path is a directory of another's ("a" and "a/b").
    static func checkNoClashes(_ paths: [String]) throws(ArchiveError) {
        var seen = Set<String>(minimumCapacity: paths.count)
        for path in paths where !seen.insert(path).inserted {
            throw ArchiveError("duplicate path \(path.debugDescription)")
        }
        // Sorted with "/" below every other byte (paths hold no NUL), a path's descendants come right
        // after it, so comparing neighbours finds every file that is also used as a directory.
        let keyed = paths.map { path in (key: path.utf8.map { $0 == slash ? 0 : $0 }, path: path) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        for (parent, child) in zip(keyed, keyed.dropFirst())
        where child.key.count > parent.key.count && child.key[parent.key.count] == 0 && child.key.starts(with: parent.key) {
            throw ArchiveError("path \(parent.path.debugDescription) is a file, but \(child.path.debugDescription) puts a file inside it")
        }
    }

    /// `bytes` quoted and escaped for an error message (hostile names may hold control characters),
    /// shortened when long.
    static func quoted(_ bytes: some Collection<UInt8>) -> String {
        let limit = 200
        let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return text.debugDescription + (bytes.count > limit ? "…" : "")
    }

    private static func components(of bytes: [UInt8], droppingDots: Bool) throws(ArchiveError) -> [ArraySlice<UInt8>] {
        func refuse(_ problem: String) -> ArchiveError { ArchiveError("path \(quoted(bytes)) \(problem)") }
        guard !bytes.isEmpty else { throw ArchiveError("empty path") }
        guard !bytes.contains(0) else { throw refuse("contains a NUL byte") }
        guard bytes.first != slash else { throw refuse("is absolute") }
        var kept: [ArraySlice<UInt8>] = []
        for component in bytes.split(separator: slash, omittingEmptySubsequences: false) {
            if component.isEmpty { throw refuse("has an empty component") }
            if component.elementsEqual([dot, dot]) { throw refuse("has a \"..\" component") }
            if component.elementsEqual([dot]) {
                if droppingDots { continue }
                throw refuse("has a \".\" component")
            }
            kept.append(component)
        }
        return kept
    }
}
