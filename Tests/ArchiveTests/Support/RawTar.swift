@testable import Archive

/// Gzip-compresses `bytes` into one member.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
    do {
        let deflater = try GzipDeflater(level: 6)
        try bytes.withUnsafeBytes { raw in try deflater.write(raw) }
        return try deflater.finish()
    } catch {
        fatalError("gzip of test data failed: \(error)")
    }
}

/// A tar stream built block by block, with every field under the test's control, for archives that
/// well-behaved tools will not write. Independent of the module's writer on purpose.
struct RawTar {
    enum Magic { case ustar, gnu, v7 }

    private(set) var bytes: [UInt8] = []
    /// Offsets of the header blocks written, so fuzzing can re-checksum them after mutation.
    private(set) var headerOffsets: [Int] = []

    /// Appends a header, `data` and its padding. `size` overrides the size field's number; `sizeField`
    /// overrides the field's bytes altogether; `checksumDelta` spoils the checksum.
    @discardableResult
    mutating func entry(_ name: String, type: Character = "0", data: [UInt8] = [], size: Int? = nil,
                        sizeField: [UInt8]? = nil, prefix: String = "", linkName: String = "",
                        magic: Magic = .ustar, checksumDelta: Int = 0) -> RawTar {
        headerOffsets.append(bytes.count)
        bytes += Self.header(name: Array(name.utf8), type: type, size: size ?? data.count, sizeField: sizeField,
                             prefix: Array(prefix.utf8), linkName: Array(linkName.utf8), magic: magic,
                             checksumDelta: checksumDelta)
        bytes += data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        return self
    }

    /// An entry whose name is raw bytes (for invalid UTF-8).
    mutating func entry(rawName: [UInt8], data: [UInt8]) {
        headerOffsets.append(bytes.count)
        bytes += Self.header(name: rawName, type: "0", size: data.count, sizeField: nil, prefix: [], linkName: [],
                             magic: .ustar, checksumDelta: 0)
        bytes += data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// A pax extended header ('x', or 'g' when `global`) holding `records` in order.
    mutating func pax(_ records: [(String, [UInt8])], global: Bool = false) {
        var body: [UInt8] = []
        for (key, value) in records {
            let content = Array(" \(key)=".utf8) + value + [UInt8(ascii: "\n")]
            // The length counts its own digits.
            var length = content.count + 1
            while String(length).count + content.count != length { length += 1 }
            body += Array(String(length).utf8) + content
        }
        entry("PaxHeaders/x", type: global ? "g" : "x", data: body)
    }

    /// A GNU long-name entry ('L') for the entry that follows.
    mutating func gnuLongName(_ name: [UInt8]) {
        entry("././@LongLink", type: "L", data: name + [0], magic: .gnu)
    }

    mutating func end(zeroBlocks: Int = 2) { bytes += [UInt8](repeating: 0, count: 512 * zeroBlocks) }

    mutating func append(_ raw: [UInt8]) { bytes += raw }

    var gzipped: [UInt8] { gzip(bytes) }

    static func header(name: [UInt8], type: Character, size: Int, sizeField: [UInt8]?, prefix: [UInt8],
                       linkName: [UInt8], magic: Magic, checksumDelta: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], _ offset: Int) {
            for (index, byte) in field.enumerated() where offset + index < 512 { block[offset + index] = byte }
        }
        func octal(_ value: Int, _ width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(Array(name.prefix(100)), 0)
        put(octal(0o644, 8), 100)
        put(octal(1000, 8), 108)
        put(octal(1000, 8), 116)
        put(sizeField ?? octal(size, 12), 124)
        put(octal(1_700_000_000, 12), 136)
        put([UInt8](type.utf8), 156)
        put(linkName, 157)
        switch magic {
        case .ustar: put(Array("ustar\u{0}00".utf8), 257)
        case .gnu: put(Array("ustar  \u{0}".utf8), 257)
        case .v7: break
        }
        if magic != .v7 { put(Array("user".utf8), 265); put(Array("group".utf8), 297) }
        put(prefix, 345)  // read as a prefix only in POSIX ustar headers
        setChecksum(&block, delta: checksumDelta)
        return block
    }

    /// Recomputes the checksum of the header block at `offset` in `bytes`.
    static func setChecksum(_ block: inout [UInt8], at offset: Int = 0, delta: Int = 0) {
        for index in 148..<156 { block[offset + index] = UInt8(ascii: " ") }
        let sum = block[offset..<(offset + 512)].reduce(0) { $0 + Int($1) } + delta
        let digits = Array(String(String(max(0, sum), radix: 8).suffix(6)).utf8)
        let field = [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, UInt8(ascii: " ")]
        for (index, byte) in field.enumerated() { block[offset + 148 + index] = byte }
    }
}
