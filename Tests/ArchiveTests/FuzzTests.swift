import Archive
import Testing

/// Random mutations of valid archives: `extract` must throw or return files that obey its rules, never trap.
@Suite("Fuzzing the reader")
struct FuzzTests {
    static let limits = TarGzip.Limits(maxFiles: 8, maxFileSize: 64 << 10, maxTotalSize: 1 << 20)

    /// A tar with every header kind the reader handles: plain, prefixed, GNU long name, pax, directory.
    static let seedTar: RawTar = {
        var tar = RawTar()
        tar.entry("./", type: "5")
        tar.entry("policies/", type: "5")
        tar.entry("policies/a.yaml", data: text("kind: ClusterPolicy\n"))
        tar.entry("leaf.yaml", data: randomBytes(700, seed: 11), prefix: "policies/nested")
        tar.gnuLongName(text("policies/" + String(repeating: "l", count: 140) + ".yaml"))
        tar.entry("short", data: text("long name"), magic: .gnu)
        tar.pax([("path", text("policies/pax-été.yaml")), ("size", text("3")), ("mtime", text("1.5"))])
        tar.entry("ignored", data: text("pax"), size: 0)
        tar.entry("v7.yaml", data: randomBytes(1500, seed: 12), magic: .v7)
        tar.entry("empty")
        tar.end()
        return tar
    }()

    @Test("the seed archive is valid")
    func seedIsValid() throws {
        let files = try TarGzip.extract(gzip(Self.seedTar.bytes), limits: Self.limits)
        #expect(files.map(\.path) == ["policies/a.yaml", "policies/nested/leaf.yaml",
                                      "policies/" + String(repeating: "l", count: 140) + ".yaml",
                                      "policies/pax-été.yaml", "v7.yaml", "empty"])
    }

    @Test("mutated gzip bytes never trap", arguments: 0..<4)
    func mutatedCompressed(round: Int) {
        var generator = SeededGenerator(seed: 1000 + UInt64(round))
        let seed = gzip(Self.seedTar.bytes)
        for _ in 0..<400 {
            check(Self.mutate(seed, using: &generator, headers: []))
        }
    }

    @Test("mutated tar streams, re-checksummed and recompressed, never trap", arguments: 0..<8)
    func mutatedTar(round: Int) {
        var generator = SeededGenerator(seed: 2000 + UInt64(round))
        for _ in 0..<400 {
            var tar = Self.mutate(Self.seedTar.bytes, using: &generator, headers: Self.seedTar.headerOffsets)
            // Mostly keep the checksums right, so mutations get past the checksum to the parser.
            if Int.random(in: 0..<4, using: &generator) != 0 {
                for offset in Self.seedTar.headerOffsets where offset + 512 <= tar.count {
                    RawTar.setChecksum(&tar, at: offset)
                }
            }
            check(gzip(tar))
        }
    }

    /// Extraction either throws an `ArchiveError` or returns files within the rules and limits.
    private func check(_ archive: [UInt8]) {
        let files: [ArchiveFile]
        do {
            files = try TarGzip.extract(archive, limits: Self.limits)
        } catch {
            return
        }
        #expect(files.count <= Self.limits.maxFiles)
        #expect(Set(files.map(\.path)).count == files.count)
        for file in files {
            #expect(file.contents.count <= Self.limits.maxFileSize)
            let components = file.path.split(separator: "/", omittingEmptySubsequences: false)
            #expect(!file.path.isEmpty && !file.path.hasPrefix("/") && !file.path.contains("\u{0}"), "\(file.path.debugDescription)")
            #expect(!components.contains { $0.isEmpty || $0 == "." || $0 == ".." }, "\(file.path.debugDescription)")
        }
    }

    /// One to four random edits: bit flips, byte overwrites (often in header fields, with digits or
    /// boundary bytes), truncation, insertion, deletion or duplication of a range.
    static func mutate(_ input: [UInt8], using generator: inout SeededGenerator, headers: [Int]) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
            let at = Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<8, using: &generator) {
            case 0:
                bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
            case 1:
                bytes[at] = [0, 0x20, 0x2f, 0x2e, 0x30, 0x37, 0x38, 0x80, 0xff].randomElement(using: &generator)!
            case 2 where !headers.isEmpty:
                // A header field: name, size, checksum, typeflag, magic, prefix.
                let header = headers.randomElement(using: &generator)!
                let field = [0, 99, 124, 130, 135, 148, 156, 257, 263, 345, 499].randomElement(using: &generator)!
                let value: [UInt8] = [[0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0], Array("77777777777\u{0}".utf8),
                                      Array("0\u{0}".utf8), Array("../".utf8), Array("/".utf8), [0x31], [0x32],
                                      [0x4c], [0x78], [0x67], [0x35], [0]].randomElement(using: &generator)!
                for (index, byte) in value.enumerated() where header + field + index < bytes.count {
                    bytes[header + field + index] = byte
                }
            case 3:
                bytes.removeSubrange(at...)
            case 4:
                bytes.insert(contentsOf: randomBytes(Int.random(in: 1...600, using: &generator), seed: generator.next()), at: at)
            case 5:
                bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...1024, using: &generator)))
            case 6:
                let range = at..<min(bytes.count, at + Int.random(in: 1...1024, using: &generator))
                bytes.insert(contentsOf: bytes[range], at: Int.random(in: 0...bytes.count, using: &generator))
            default:
                bytes[at] = UInt8.random(in: .min ... .max, using: &generator)
            }
        }
        return bytes
    }
}
