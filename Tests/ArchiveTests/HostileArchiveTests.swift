import Archive
import Testing
import TestSupport

/// Archives a hostile producer could publish; each must be refused with a message naming the problem.
@Suite("Hostile archives")
struct HostileArchiveTests {
    /// Builds the archive named by argv[1] with Python's tarfile (format argv[2]) into argv[3].
    static let pythonBuilder = """
        import io, sys, tarfile
        def add(archive, name, data=b"", kind=tarfile.REGTYPE, link=""):
            info = tarfile.TarInfo(name)
            info.type, info.linkname, info.mode = kind, link, 0o644
            info.size = len(data) if kind == tarfile.REGTYPE else 0
            if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                info.devmajor, info.devminor = 1, 3
            archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
        long = "x" * 120
        cases = {
            "dotdot": lambda a: add(a, "../evil", b"owned"),
            "absolute": lambda a: add(a, "/etc/passwd", b"root::0:0::/:/bin/sh\\n"),
            "nested-dotdot": lambda a: add(a, "a/../../b", b"x"),
            "long-dotdot": lambda a: add(a, "../" + long, b"x"),
            "symlink": lambda a: (add(a, "ok.yaml", b"x"), add(a, "link", kind=tarfile.SYMTYPE, link="/etc/passwd")),
            "hardlink": lambda a: (add(a, "ok.yaml", b"x"), add(a, "hard", kind=tarfile.LNKTYPE, link="ok.yaml")),
            "chardev": lambda a: add(a, "null", kind=tarfile.CHRTYPE),
            "blockdev": lambda a: add(a, "sda", kind=tarfile.BLKTYPE),
            "fifo": lambda a: add(a, "pipe", kind=tarfile.FIFOTYPE),
            "duplicate": lambda a: (add(a, "policy.yaml", b"first"), add(a, "policy.yaml", b"second")),
            "duplicate-dotslash": lambda a: (add(a, "policy.yaml", b"first"), add(a, "./policy.yaml", b"second")),
            "file-as-directory": lambda a: (add(a, "a", b"file"), add(a, "a/b", b"inside a file")),
            "oversize": lambda a: add(a, "big", b"z" * 5000),
            "many": lambda a: [add(a, "f%d" % i, b"x") for i in range(5)],
            "empty-component": lambda a: add(a, "a//b", b"x"),
            "dot-only": lambda a: add(a, ".", b"x"),
        }
        with tarfile.open(sys.argv[3], "w:gz", format=getattr(tarfile, sys.argv[2])) as archive:
            cases[sys.argv[1]](archive)
        """

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let format: String
        let limits: TarGzip.Limits
        let expected: String
        var testDescription: String { "\(name) (\(format))" }
        init(_ name: String, _ expected: String, format: String = "PAX_FORMAT",
             limits: TarGzip.Limits = TarGzip.Limits()) {
            self.name = name; self.expected = expected; self.format = format; self.limits = limits
        }
    }

    @Test("Python-built hostile archives are refused", arguments: [
        Case("dotdot", "\"../evil\" has a \"..\" component"),
        Case("dotdot", "\"../evil\" has a \"..\" component", format: "GNU_FORMAT"),
        Case("absolute", "\"/etc/passwd\" is absolute"),
        Case("nested-dotdot", "\"a/../../b\" has a \"..\" component"),
        Case("long-dotdot", "has a \"..\" component", format: "GNU_FORMAT"),  // via a GNU long name
        Case("long-dotdot", "has a \"..\" component", format: "PAX_FORMAT"),  // via a pax path
        Case("symlink", "\"link\" at offset 1024 is a symbolic link"),
        Case("hardlink", "\"hard\" at offset 1024 is a hard link"),
        Case("chardev", "\"null\" at offset 0 is a character device"),
        Case("blockdev", "\"sda\" at offset 0 is a block device"),
        Case("fifo", "\"pipe\" at offset 0 is a FIFO"),
        Case("duplicate", "duplicate path \"policy.yaml\""),
        Case("duplicate-dotslash", "duplicate path \"policy.yaml\""),
        Case("file-as-directory", "\"a\" is a file, but \"a/b\" puts a file inside it"),
        Case("oversize", "5000 bytes exceed the 4096-byte limit for one file (maxFileSize)",
             limits: TarGzip.Limits(maxFileSize: 4096)),
        Case("oversize", "past the 4000-byte limit (maxTotalSize)", limits: TarGzip.Limits(maxTotalSize: 4000)),
        Case("many", "more than 4 files (maxFiles)", limits: TarGzip.Limits(maxFiles: 4)),
        Case("empty-component", "\"a//b\" has an empty component"),
        Case("dot-only", "\".\" names no file"),
    ])
    func pythonBuilt(hostile: Case) throws {
        let scratch = try TemporaryDirectory()
        try runPython(Self.pythonBuilder, [hostile.name, hostile.format, scratch.file("hostile.tgz")])
        let archive = try scratch.bytes("hostile.tgz")
        #expect {
            try TarGzip.extract(archive, limits: hostile.limits)
        } throws: { error in
            (error as? ArchiveError)?.message.contains(hostile.expected) == true
        }
    }

    @Test("the limits are inclusive: exactly maxFiles files of exactly maxFileSize bytes pass")
    func limitsInclusive() throws {
        let files = (0..<4).map { ArchiveFile(path: "f\($0)", contents: randomBytes(4096, seed: UInt64($0))) }
        let archive = try TarGzip.create(files)
        #expect(try TarGzip.extract(archive, limits: TarGzip.Limits(maxFiles: 4, maxFileSize: 4096)) == files)
        #expect(throws: ArchiveError.self) { try TarGzip.extract(archive, limits: TarGzip.Limits(maxFiles: 3)) }
        #expect(throws: ArchiveError.self) { try TarGzip.extract(archive, limits: TarGzip.Limits(maxFileSize: 4095)) }
        // Four files take 4 × (512 + 4096) bytes plus the end marker and record padding: 20480 bytes.
        #expect(try TarGzip.extract(archive, limits: TarGzip.Limits(maxTotalSize: 20480)) == files)
        #expect(throws: ArchiveError.self) { try TarGzip.extract(archive, limits: TarGzip.Limits(maxTotalSize: 20479)) }
    }
}
