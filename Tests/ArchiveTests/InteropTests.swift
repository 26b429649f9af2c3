import Archive
import Testing
import TestSupport

/// GNU tar and Python's tarfile read what `create` writes, and `extract` reads what they write.
@Suite("Interoperability with GNU tar and Python's tarfile")
struct InteropTests {
    @Test("GNU tar lists our entries as root-owned 0644 files from 1970, in byte order", arguments: FileSet.all)
    func gnuTarLists(set: FileSet) throws {
        let scratch = try TemporaryDirectory()
        try scratch.write(try TarGzip.create(set.files), to: "ours.tgz")
        let listing = try runTool("tar", ["--utc", "--quoting-style=literal", "-tzvf", scratch.file("ours.tgz")])
        let lines = listing.split(separator: "\n").map(String.init)
        let expected = set.files.sortedByPath()
        try #require(lines.count == expected.count)
        for (line, file) in zip(lines, expected) {
            let columns = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true).map(String.init)
            #expect(columns == ["-rw-r--r--", "0/0", "\(file.contents.count)", "1970-01-01", "00:00", file.path])
        }
    }

    @Test("GNU tar extracts our archives to the same files", arguments: FileSet.all)
    func gnuTarExtracts(set: FileSet) throws {
        let scratch = try TemporaryDirectory()
        try scratch.write(try TarGzip.create(set.files), to: "ours.tgz")
        try runTool("mkdir", [scratch.file("out")])
        try runTool("tar", ["-xzf", scratch.file("ours.tgz"), "-C", scratch.file("out")])
        #expect(try scratch.regularFiles(below: "out") == set.files.sorted { $0.path < $1.path })
        // gzip(1) agrees the stream is sound.
        try runTool("gzip", ["-t", scratch.file("ours.tgz")])
    }

    @Test("Python's tarfile reads our archives as ustar", arguments: FileSet.all)
    func pythonReads(set: FileSet) throws {
        let scratch = try TemporaryDirectory()
        try scratch.write(try TarGzip.create(set.files), to: "ours.tgz")
        let report = try runPython("""
            import sys, tarfile
            with tarfile.open(sys.argv[1], "r:gz") as archive:
                for member in archive.getmembers():
                    assert member.isreg() and member.mode == 0o644 and member.mtime == 0, member
                    assert member.uname == "" and member.gname == "" and member.uid == 0 and member.gid == 0
                    print(member.size, member.name)
            """, [scratch.file("ours.tgz")])
        let expected = set.files.sortedByPath().map { "\($0.contents.count) \($0.path)" }
        #expect(report.split(separator: "\n").map(String.init) == expected)
    }

    @Test("our tar stream is byte-for-byte what GNU tar writes in ustar format with our metadata",
          arguments: FileSet.all)
    func sameBytesAsGNUTar(set: FileSet) throws {
        let scratch = try TemporaryDirectory()
        try scratch.write(try TarGzip.create(set.files), to: "ours.tgz")
        try runTool("gzip", ["-d", scratch.file("ours.tgz")])  // leaves ours.tar
        let source = try scratch.populate("source", with: set.files)
        try runTool("tar", ["--format=ustar", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "--mode=0644",
                            "-cf", scratch.file("gnu.tar"), "-C", source, "--"] + set.files.sortedByPath().map(\.path))
        #expect(try scratch.bytes("ours.tar") == scratch.bytes("gnu.tar"))
    }

    struct Producer: Sendable, CustomTestStringConvertible {
        let name: String
        /// Makes `archive` from the directory `source`; `arguments` are (source, archive).
        let run: @Sendable (String, String) throws -> Void
        let handlesLongNames: Bool
        var testDescription: String { name }

        static func gnuTar(_ format: String, longNames: Bool) -> Producer {
            Producer(name: "GNU tar --format=\(format)", run: { source, archive in
                try runTool("tar", ["--format=\(format)", "-czf", archive, "-C", source, "."])
            }, handlesLongNames: longNames)
        }

        static func python(_ format: String) -> Producer {
            Producer(name: "Python tarfile \(format)", run: { source, archive in
                try runPython("""
                    import sys, tarfile
                    with tarfile.open(sys.argv[2], "w:gz", format=getattr(tarfile, sys.argv[3])) as archive:
                        archive.add(sys.argv[1], arcname=".")
                    """, [source, archive, format])
            }, handlesLongNames: format != "USTAR_FORMAT")
        }

        static let all: [Producer] = [
            gnuTar("gnu", longNames: true), gnuTar("oldgnu", longNames: true), gnuTar("posix", longNames: true),
            gnuTar("ustar", longNames: false), gnuTar("v7", longNames: false),
            python("PAX_FORMAT"), python("GNU_FORMAT"), python("USTAR_FORMAT"),
        ]
    }

    /// Files for the producers: long names (> 100 and > 255 bytes) only for formats that can hold them.
    static func files(for producer: Producer) -> [ArchiveFile] {
        var files = FileSet.bundle.files + FileSet.binary.files
        if producer.handlesLongNames {
            files.append(ArchiveFile("long/" + String(repeating: "a", count: 120) + ".yaml", "GNU L or pax path"))
            files.append(ArchiveFile(String(repeating: "deep/", count: 60) + "policy.yaml", "over 255 bytes"))
            files.append(ArchiveFile("politiques/règles-été.yaml", "UTF-8 name"))
        }
        return files.sorted { $0.path < $1.path }
    }

    @Test("we read archives made by other tools", arguments: Producer.all)
    func weRead(producer: Producer) throws {
        let scratch = try TemporaryDirectory()
        let files = Self.files(for: producer)
        let source = try scratch.populate("source", with: files)
        try producer.run(source, scratch.file("theirs.tgz"))
        let extracted = try TarGzip.extract(try scratch.bytes("theirs.tgz"))
        #expect(extracted.sorted { $0.path < $1.path } == files)
    }
}
