import Archive
import Testing

@Suite("Round trip and determinism")
struct RoundTripTests {
    @Test("extract gives back what create was given", arguments: FileSet.all + [FileSet(name: "no files", files: [])])
    func roundTrip(set: FileSet) throws {
        let archive = try TarGzip.create(set.files)
        #expect(try TarGzip.extract(archive) == set.files.sortedByPath())
    }

    @Test("the same files in any order give the same bytes", arguments: FileSet.all)
    func determinism(set: FileSet) throws {
        let first = try TarGzip.create(set.files)
        #expect(try TarGzip.create(set.files) == first)
        #expect(try TarGzip.create(set.files.reversed()) == first)
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<5 {
            #expect(try TarGzip.create(set.files.shuffled(using: &generator)) == first)
        }
    }

    @Test("the gzip header has no time, no name, and OS 255")
    func gzipHeader() throws {
        let archive = try TarGzip.create(FileSet.bundle.files)
        // ID1 ID2 CM=8 FLG=0 MTIME=0 XFL=2 (level 9) OS=255
        #expect(Array(archive.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255])
    }

    @Test("the tar is padded to whole 10240-byte records")
    func recordPadding() throws {
        let archive = try TarGzip.create([ArchiveFile("a", "x")])
        let size = archive.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }  // ISIZE, little-endian
        #expect(size == 10240)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let files: [ArchiveFile]
        let expected: String
        var testDescription: String { files.map(\.path.debugDescription).joined(separator: ", ") }
        init(_ paths: [String], _ expected: String) {
            files = paths.map { ArchiveFile($0, "data") }
            self.expected = expected
        }
    }

    @Test("create refuses paths that are not canonical, relative and storable", arguments: [
        Refusal([""], "empty path"),
        Refusal(["/etc/passwd"], "is absolute"),
        Refusal([".."], "\"..\" component"),
        Refusal(["../evil"], "\"..\" component"),
        Refusal(["a/../../b"], "\"..\" component"),
        Refusal(["a//b"], "empty component"),
        Refusal(["a/"], "empty component"),
        Refusal(["./a"], "\".\" component"),
        Refusal(["a/./b"], "\".\" component"),
        Refusal(["."], "\".\" component"),
        Refusal(["a\u{0}b"], "NUL"),
        Refusal([String(repeating: "x", count: 101)], "cannot be stored in a ustar header"),
        Refusal([String(repeating: "p", count: 156) + "/name"], "cannot be stored in a ustar header"),
        Refusal([String(repeating: "p", count: 150) + "/" + String(repeating: "n", count: 101)], "cannot be stored"),
        Refusal(["same", "other", "same"], "duplicate path \"same\""),
        Refusal(["caf\u{e9}", "cafe\u{301}"], "duplicate path"),
        Refusal(["a", "a/b"], "\"a\" is a file, but \"a/b\" puts a file inside it"),
        Refusal(["a/b/c", "a-b", "a/b"], "\"a/b\" is a file, but \"a/b/c\""),
    ])
    func createRefuses(refusal: Refusal) {
        #expect {
            try TarGzip.create(refusal.files)
        } throws: { error in
            (error as? ArchiveError)?.message.contains(refusal.expected) == true
        }
    }

    @Test("a path of 256 bytes split at a slash is the longest that fits")
    func longestPath() throws {
        let path = String(repeating: "p", count: 155) + "/" + String(repeating: "n", count: 100)
        let files = [ArchiveFile(path, "longest")]
        #expect(try TarGzip.extract(TarGzip.create(files)) == files)
    }
}
