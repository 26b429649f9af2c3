import Archive
import Testing

/// Tar streams built block by block: malformed or unsafe ones are refused, odd but valid ones are read.
@Suite("Hand-built tar streams")
struct MalformedTarTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let tar: [UInt8]
        let expected: String
        var testDescription: String { name }
        init(_ name: String, _ expected: String, _ build: (inout RawTar) -> Void) {
            var tar = RawTar()
            build(&tar)
            self.name = name; self.tar = tar.bytes; self.expected = expected
        }
        init(_ name: String, _ expected: String, bytes: [UInt8]) {
            self.name = name; self.tar = bytes; self.expected = expected
        }
    }

    static let oneFile: RawTar = {
        var tar = RawTar()
        tar.entry("a.yaml", data: randomBytes(1000, seed: 9))
        tar.end()
        return tar
    }()

    @Test("malformed and unsafe tar streams are refused", arguments: [
        Case("bad checksum", "tar header at offset 0 has a bad checksum") { $0.entry("a", data: text("x"), checksumDelta: 1); $0.end() },
        Case("bad checksum on a later entry", "tar header at offset 1024 has a bad checksum") {
            $0.entry("a", data: text("x")); $0.entry("b", data: text("y"), checksumDelta: -3); $0.end()
        },
        Case("random bytes", "bad checksum", bytes: randomBytes(2048, seed: 4)),
        Case("text, not tar", "ends inside the header at offset 0", bytes: text("hello, world\n")),
        Case("empty stream", "the gzip stream is empty", bytes: []),
        Case("truncated in a file's data", "entry \"a.yaml\" at offset 0 is missing 700 bytes of data",
             bytes: Array(oneFile.bytes.prefix(512 + 300))),
        Case("truncated in a file's padding", "ends in the padding", bytes: Array(oneFile.bytes.prefix(1512 + 10))),
        Case("truncated in a header", "ends inside the header at offset 1536", bytes: Array(oneFile.bytes.prefix(1536 + 100))),
        Case("no end-of-archive marker", "no end-of-archive marker after 1536 bytes", bytes: Array(oneFile.bytes.prefix(1536))),
        Case("size beyond the remaining data", "entry \"a\" at offset 0 is missing") {
            $0.entry("a", data: text("short"), size: 1_000_000); $0.end()
        },
        Case("data after the end-of-archive marker", "unexpected data at offset 2048 after the tar end-of-archive marker") {
            $0.entry("a", data: text("x")); $0.end(); $0.entry("hidden", data: text("smuggled"))
        },
        Case("an entry after a lone zero block", "after the tar end-of-archive marker") {
            $0.entry("a", data: text("x")); $0.end(zeroBlocks: 1); $0.entry("hidden", data: text("smuggled")); $0.end()
        },
        Case("directory with data", "directory entry \"d/\" at offset 0 claims 4 bytes") {
            $0.entry("d/", type: "5", data: text("data")); $0.end()
        },
        Case("v7 directory with data", "directory entry \"d/\" at offset 0 claims 4 bytes") {
            $0.entry("d/", data: text("data"), magic: .v7); $0.end()
        },
        Case("size field not octal", "invalid size field") { $0.entry("a", sizeField: text("00000000009\u{0}")); $0.end() },
        Case("size field with junk after the number", "invalid size field") { $0.entry("a", sizeField: text("0000001 x\u{0}")); $0.end() },
        Case("negative base-256 size", "invalid size field") { $0.entry("a", sizeField: [UInt8](repeating: 0xff, count: 12)); $0.end() },
        Case("huge base-256 size", "exceed the 4194304-byte limit") {
            $0.entry("a", sizeField: [0x80] + [UInt8](repeating: 0, count: 6) + [0x7f, 0xff, 0xff, 0xff, 0xff]); $0.end()
        },
        Case("base-256 size beyond Int", "invalid size field") {
            $0.entry("a", sizeField: [0x80] + [UInt8](repeating: 0xff, count: 11)); $0.end()
        },
        Case("symbolic link", "tar entry \"evil\" at offset 0 is a symbolic link") {
            $0.entry("evil", type: "2", linkName: "/etc/shadow"); $0.end()
        },
        Case("v7 symbolic link", "is a symbolic link") { $0.entry("evil", type: "2", linkName: "/", magic: .v7); $0.end() },
        Case("hard link named by a pax path", "tar entry \"policies/evil\" at offset 1024 is a hard link") {
            $0.pax([("path", text("policies/evil"))]); $0.entry("x", type: "1", linkName: "/etc/passwd"); $0.end()
        },
        Case("contiguous file", "is a contiguous file") { $0.entry("c", type: "7", data: text("x")); $0.end() },
        Case("GNU long link name", "is a GNU long link name") { $0.entry("././@LongLink", type: "K", data: text("x\u{0}")); $0.end() },
        Case("unknown type", "of unsupported type 'Z'") { $0.entry("z", type: "Z"); $0.end() },
        Case("control-character type", "of unsupported type 1") { $0.entry("z", type: "\u{1}"); $0.end() },
        Case("GNU long name then the end", "an extended header is followed by the end-of-archive marker") {
            $0.gnuLongName(text("name")); $0.end()
        },
        Case("two GNU long names", "two GNU long names in a row") {
            $0.gnuLongName(text("one")); $0.gnuLongName(text("two")); $0.entry("x", data: text("x")); $0.end()
        },
        Case("two pax headers", "two pax extended headers in a row") {
            $0.pax([("path", text("a"))]); $0.pax([("path", text("b"))]); $0.entry("x"); $0.end()
        },
        Case("GNU long name escaping", "has a \"..\" component") {
            $0.gnuLongName(text("ok/../../" + String(repeating: "e", count: 200))); $0.entry("x", data: text("x")); $0.end()
        },
        Case("pax path with NUL", "contains a NUL byte") { $0.pax([("path", text("a\u{0}b"))]); $0.entry("x"); $0.end() },
        Case("pax path absolute", "is absolute") { $0.pax([("path", text("/root/.ssh/authorized_keys"))]); $0.entry("x"); $0.end() },
        Case("pax path over 4096 bytes", "is longer than 4096 bytes") {
            $0.pax([("path", text(String(repeating: "a/", count: 2100)))]); $0.entry("x"); $0.end()
        },
        Case("global pax header setting a path", "a global pax header sets path or size") {
            $0.pax([("path", text("everything"))], global: true); $0.entry("x"); $0.end()
        },
        Case("pax size not decimal", "size \"12a\" is not a decimal number") { $0.pax([("size", text("12a"))]); $0.entry("x"); $0.end() },
        Case("pax size beyond the file limit", "exceed the 4194304-byte limit") {
            $0.pax([("size", text("99999999999999999"))]); $0.entry("x"); $0.end()
        },
        Case("pax record without newline", "record does not end in a newline") {
            $0.entry("p", type: "x", data: text("12 path=abc!")); $0.entry("x"); $0.end()
        },
        Case("pax record length too long", "bad record length") { $0.entry("p", type: "x", data: text("99 path=a\n")); $0.entry("x"); $0.end() },
        Case("pax record length zero", "bad record length") { $0.entry("p", type: "x", data: text("0 path=a\n")); $0.entry("x"); $0.end() },
        Case("pax record without keyword", "record has no keyword") { $0.entry("p", type: "x", data: text("6 =ab\n")); $0.entry("x"); $0.end() },
        Case("pax header over 1 MiB", "pax extended header of 2097152 bytes is larger than the 1048576-byte limit") {
            $0.entry("p", type: "x", size: 2 << 20); $0.end()
        },
        Case("name not UTF-8", "is not valid UTF-8") { $0.entry(rawName: [0x66, 0xff, 0xfe], data: text("x")); $0.end() },
        Case("file named by a trailing-slash-free root", "names no file") { $0.entry("./", type: "0"); $0.entry("./.", type: "0"); $0.end() },
        Case("file at the root", "names no file") { $0.entry("./.", type: "0", data: text("x")); $0.end() },
    ])
    func refused(malformed: Case) {
        #expect {
            try TarGzip.extract(gzip(malformed.tar))
        } throws: { error in
            (error as? ArchiveError)?.message.contains(malformed.expected) == true
        }
    }

    struct Accepted: Sendable, CustomTestStringConvertible {
        let name: String
        let tar: [UInt8]
        let files: [ArchiveFile]
        var testDescription: String { name }
        init(_ name: String, _ files: [ArchiveFile], _ build: (inout RawTar) -> Void) {
            var tar = RawTar()
            build(&tar)
            self.name = name; self.tar = tar.bytes; self.files = files
        }
    }

    @Test("odd but valid tar streams are read", arguments: [
        Accepted("only the end marker", []) { $0.end() },
        Accepted("one zero block, then zero padding", [ArchiveFile("a", "x")]) {
            $0.entry("a", data: text("x")); $0.end(zeroBlocks: 1); $0.append([UInt8](repeating: 0, count: 9000))
        },
        Accepted("v7 headers and a v7 directory", [ArchiveFile("d/a.yaml", "v7")]) {
            $0.entry("d/", magic: .v7); $0.entry("d/a.yaml", data: text("v7"), magic: .v7); $0.end()
        },
        Accepted("typeflag NUL is a regular file", [ArchiveFile("old", "file")]) {
            $0.entry("old", type: "\u{0}", data: text("file")); $0.end()
        },
        Accepted("ustar prefix", [ArchiveFile("some/dir/leaf", "p")]) { $0.entry("leaf", data: text("p"), prefix: "some/dir"); $0.end() },
        Accepted("GNU header: the prefix area is not a prefix", [ArchiveFile("leaf", "g")]) {
            $0.entry("leaf", data: text("g"), prefix: "not-a-prefix", magic: .gnu); $0.end()
        },
        Accepted("./ prefixes and . components", [ArchiveFile("a/b", "dots"), ArchiveFile("c", "more")]) {
            $0.entry("./", type: "5"); $0.entry("././a/./b", data: text("dots")); $0.entry("./c", data: text("more"))
            $0.end()
        },
        Accepted("pax path and size override the header", [ArchiveFile("real/name.yaml", "12345")]) {
            $0.pax([("mtime", text("1700000000.5")), ("path", text("real/name.yaml")), ("size", text("5")),
                    ("SCHILY.xattr.user.note", [0, 1, 2])])
            $0.entry("ignored", data: text("12345"), size: 0)
            $0.end()
        },
        Accepted("pax path wins over a GNU long name", [ArchiveFile("pax", "x")]) {
            $0.gnuLongName(text("gnu")); $0.pax([("path", text("pax"))]); $0.entry("header", data: text("x")); $0.end()
        },
        Accepted("an empty pax value means the header's field", [ArchiveFile("header", "x")]) {
            $0.pax([("path", text("pax")), ("path", [])]); $0.entry("header", data: text("x")); $0.end()
        },
        Accepted("a global pax header without path or size", [ArchiveFile("a", "x")]) {
            $0.pax([("comment", text("made by git archive"))], global: true); $0.entry("a", data: text("x")); $0.end()
        },
        Accepted("GNU long name", [ArchiveFile(String(repeating: "n", count: 300), "long")]) {
            $0.gnuLongName(text(String(repeating: "n", count: 300))); $0.entry("truncated", data: text("long")); $0.end()
        },
        Accepted("base-256 size", [ArchiveFile("b", "12345")]) {
            $0.entry("b", data: text("12345"), sizeField: [0x80] + [UInt8](repeating: 0, count: 10) + [5]); $0.end()
        },
        Accepted("octal with spaces", [ArchiveFile("s", "twelve bytes")]) {
            $0.entry("s", data: text("twelve bytes"), sizeField: text("        14 ")); $0.end()
        },
        Accepted("signed checksum", [ArchiveFile("été", "signed")]) {
            // Historic tars summed header bytes as signed chars: each of the 4 bytes ≥ 0x80 counts 256 less.
            $0.entry("été", data: text("signed"), checksumDelta: -4 * 256); $0.end()
        },
        Accepted("empty files", [ArchiveFile("e1", ""), ArchiveFile("e2", "")]) { $0.entry("e1"); $0.entry("e2"); $0.end() },
    ])
    func accepted(valid: Accepted) throws {
        #expect(try TarGzip.extract(gzip(valid.tar)) == valid.files)
    }
}
