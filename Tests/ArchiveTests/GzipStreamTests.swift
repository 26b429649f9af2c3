import Archive
import Glibc
import Testing
import TestSupport

/// The gzip layer: what is not gzip, truncated or corrupt is refused; concatenated members are one stream;
/// decompression bombs stop at the limit without allocating what they expand to.
@Suite("Gzip streams and decompression bombs")
struct GzipStreamTests {
    static let valid: [UInt8] = (try? TarGzip.create(FileSet.bundle.files)) ?? []

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let expected: String
        var testDescription: String { name }
        init(_ name: String, _ bytes: [UInt8], _ expected: String) { self.name = name; self.bytes = bytes; self.expected = expected }
    }

    static func flipping(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        copy[index < 0 ? copy.count + index : index] ^= 0x55
        return copy
    }

    @Test("input that is not a sound gzip stream is refused", arguments: [
        Case("empty input", [], "the input is empty"),
        Case("text", text("apiVersion: kyverno.io/v1\n"), "not gzip data"),
        Case("uncompressed tar", { var tar = RawTar(); tar.entry("a", data: text("x")); tar.end(); return tar.bytes }(), "not gzip data"),
        Case("zlib stream", [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01], "not gzip data"),
        Case("bzip2 magic", text("BZh91AY&SY"), "not gzip data"),
        Case("gzip magic only", [0x1f, 0x8b], "truncated gzip data: the input ends inside gzip member 1"),
        Case("unknown compression method", [0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 255], "unknown compression method"),
        Case("header only", Array(valid.prefix(10)), "truncated gzip data"),
        Case("cut in the middle", Array(valid.prefix(valid.count / 2)), "truncated gzip data"),
        Case("trailer missing", Array(valid.dropLast(8)), "truncated gzip data"),
        Case("last byte missing", Array(valid.dropLast()), "truncated gzip data"),
        Case("CRC mismatch", flipping(valid, at: -8), "corrupt gzip data in member 1: incorrect data check"),
        Case("length mismatch", flipping(valid, at: -2), "corrupt gzip data in member 1: incorrect length check"),
        Case("corrupt deflate data", flipping(valid, at: 12), "corrupt gzip data in member 1"),
        Case("trailing garbage", valid + text("junk"), "4 bytes of trailing data after gzip member 1 are not another gzip member"),
        Case("trailing zeros", valid + [UInt8](repeating: 0, count: 512), "trailing data after gzip member 1"),
        Case("truncated second member", valid + Array(valid.prefix(20)), "truncated gzip data: the input ends inside gzip member 2"),
        Case("corrupt second member", valid + flipping(gzip([UInt8](repeating: 0, count: 512)), at: -8), "corrupt gzip data in member 2"),
    ])
    func refused(stream: Case) {
        #expect {
            try TarGzip.extract(stream.bytes)
        } throws: { error in
            (error as? ArchiveError)?.message.contains(stream.expected) == true
        }
    }

    @Test("concatenated gzip members read as one tar stream, as gzip -d does")
    func concatenatedMembers() throws {
        var tar = RawTar()
        tar.entry("first.yaml", data: text("one"))
        tar.entry("second.yaml", data: randomBytes(3000, seed: 5))
        tar.end()
        // Split inside the second file's data, so a member boundary falls mid-entry.
        let cut = 1024 + 700
        let stream = gzip(Array(tar.bytes[..<cut])) + gzip(Array(tar.bytes[cut...]))
        let expected = [ArchiveFile("first.yaml", "one"), ArchiveFile(path: "second.yaml", contents: randomBytes(3000, seed: 5))]
        #expect(try TarGzip.extract(stream) == expected)
        // gzip(1) agrees.
        let scratch = try TemporaryDirectory()
        try scratch.write(stream, to: "two-members.tgz")
        try runTool("gzip", ["-t", scratch.file("two-members.tgz")])
    }

    /// 1 GiB of zeros written through Python's gzip module in 1 MiB chunks: about 1 MB. Made once.
    static let zeroBomb = Result { try makeZeroBomb() }

    static func makeZeroBomb() throws -> [UInt8] {
        let scratch = try TemporaryDirectory()
        try runPython("""
            import gzip, sys
            chunk = bytes(1 << 20)
            with gzip.GzipFile(sys.argv[1], "wb", compresslevel=9, mtime=0) as out:
                for _ in range(1024):
                    out.write(chunk)
            """, [scratch.file("bomb.gz")])
        return try scratch.bytes("bomb.gz")
    }

    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }

    struct Bomb: Sendable, CustomTestStringConvertible {
        let name: String
        /// A tar header placed in its own gzip member in front of the zeros, if any.
        let header: [UInt8]?
        let limits: TarGzip.Limits
        let expected: String
        var testDescription: String { name }
    }

    static let gigabyteFileHeader: [UInt8] = {
        var tar = RawTar()
        tar.entry("bomb.yaml", size: 1 << 30)
        return tar.bytes
    }()

    @Test("a gzip bomb is refused quickly with bounded memory", arguments: [
        Bomb(name: "1 GiB of zeros", header: nil, limits: TarGzip.Limits(),
             expected: "archive decompresses to more than the 67108864-byte limit (maxTotalSize)"),
        Bomb(name: "1 GiB of zeros, small total limit", header: nil, limits: TarGzip.Limits(maxTotalSize: 1 << 20),
             expected: "more than the 1048576-byte limit (maxTotalSize)"),
        Bomb(name: "a header claiming a 1 GiB file", header: gigabyteFileHeader, limits: TarGzip.Limits(),
             expected: "tar entry \"bomb.yaml\" at offset 0: its 1073741824 bytes exceed the 4194304-byte limit"),
        Bomb(name: "a header claiming a 1 GiB file, file limit lifted", header: gigabyteFileHeader,
             limits: TarGzip.Limits(maxFileSize: .max),
             expected: "its 1073741824 bytes would take the archive past the 67108864-byte limit (maxTotalSize)"),
    ])
    func bomb(bomb: Bomb) throws {
        let zeros = try Self.zeroBomb.get()
        #expect(zeros.count < 2 << 20)
        let archive = (bomb.header.map(gzip) ?? []) + zeros
        let before = Self.peakResidentBytes()
        let started = ContinuousClock.now
        #expect {
            try TarGzip.extract(archive, limits: bomb.limits)
        } throws: { error in
            (error as? ArchiveError)?.message.contains(bomb.expected) == true
        }
        let elapsed = ContinuousClock.now - started
        let growth = Self.peakResidentBytes() - before
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        #expect(growth < 200 << 20, "peak resident memory grew by \(growth >> 20) MiB")
    }
}
