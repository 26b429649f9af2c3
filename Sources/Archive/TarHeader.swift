/// The 512-byte header block of a tar entry: POSIX ustar, with the GNU and v7 variants the reader accepts.
/// https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06
struct TarHeader {
    static let blockSize = 512
    /// tar(1)'s default blocking factor of 20 blocks; archives are padded to a whole record.
    static let recordSize = 20 * blockSize

    /// Field offsets and lengths (ustar; v7 has only name through linkname).
    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeflag = 156
        static let magic = 257..<263
        static let version = 263..<265
        static let devmajor = 329..<337
        static let devminor = 337..<345
        static let prefix = 345..<500
    }

    static let ustarMagic = Array("ustar\0".utf8)
    static let ustarVersion = Array("00".utf8)

    /// The entry's name: ustar's prefix and name joined, or the name field alone.
    let name: [UInt8]
    let typeflag: UInt8
    let size: Int

    /// Parses a header block that is not all zeros, checking its checksum. `offset` is only for messages.
    init(parsing block: [UInt8], at offset: Int) throws(ArchiveError) {
        precondition(block.count == Self.blockSize)
        guard let recorded = Self.number(in: block[Field.checksum]), Self.checksums(of: block).contains(recorded) else {
            throw ArchiveError("tar header at offset \(offset) has a bad checksum (not a tar archive, or corrupt)")
        }
        var name = Self.string(in: block[Field.name])
        // Only POSIX ustar has a prefix field: GNU headers ("ustar  \0") keep times there, v7 has nothing.
        let isPOSIXUstar = block[Field.magic].elementsEqual(Self.ustarMagic)
        if isPOSIXUstar {
            let prefix = Self.string(in: block[Field.prefix])
            if !prefix.isEmpty { name = prefix + [UInt8(ascii: "/")] + name }
        }
        guard let size = Self.number(in: block[Field.size]) else {
            throw ArchiveError("tar header at offset \(offset) (\(ArchivePath.quoted(name))) has an invalid size field")
        }
        self.name = name
        self.typeflag = block[Field.typeflag]
        self.size = size
    }

    /// The header's checksum as the sum of its bytes with the checksum field read as spaces, unsigned as
    /// POSIX says and signed as some historic tars computed it.
    static func checksums(of block: [UInt8]) -> [Int] {
        var unsigned = 0, signed = 0
        for (index, byte) in block.enumerated() {
            let value = Field.checksum.contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        return [unsigned, signed]
    }

    /// The bytes of a NUL-terminated (or field-filling) string field.
    static func string(in field: ArraySlice<UInt8>) -> [UInt8] {
        Array(field.prefix { $0 != 0 })
    }

    /// A numeric field: octal digits after optional spaces, ended by NUL or space (empty means 0), or
    /// GNU's base-256 form (first byte 0x80, then big-endian bytes). Nil if malformed, negative or too big.
    static func number(in field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            guard first == 0x80 else { return nil }
            var value = 0
            for byte in field.dropFirst() {
                guard value <= Int.max >> 8 else { return nil }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var digits = field.drop { $0 == UInt8(ascii: " ") }
        var value = 0
        while let byte = digits.first, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) {
            guard value <= (Int.max - 7) / 8 else { return nil }
            value = value * 8 + Int(byte - UInt8(ascii: "0"))
            digits.removeFirst()
        }
        guard digits.allSatisfy({ $0 == 0 || $0 == UInt8(ascii: " ") }) else { return nil }
        return value
    }

    /// `value` as zero-padded octal filling `width - 1` digits and a NUL; nil if it does not fit.
    static func octal(_ value: Int, width: Int) -> [UInt8]? {
        guard value >= 0 else { return nil }
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 8))
            rest /= 8
        } while rest > 0
        guard digits.count <= width - 1 else { return nil }
        return Array(repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits.reversed() + [0]
    }
}

/// What a header's typeflag says the entry is.
enum TarEntryKind: Equatable {
    case regularFile, directory
    case gnuLongName, paxExtended, paxGlobal
    case refused(String)

    init(typeflag: UInt8) {
        switch typeflag {
        case UInt8(ascii: "0"), 0: self = .regularFile
        case UInt8(ascii: "5"): self = .directory
        case UInt8(ascii: "L"): self = .gnuLongName
        case UInt8(ascii: "x"): self = .paxExtended
        case UInt8(ascii: "g"): self = .paxGlobal
        case UInt8(ascii: "1"): self = .refused("a hard link")
        case UInt8(ascii: "2"): self = .refused("a symbolic link")
        case UInt8(ascii: "3"): self = .refused("a character device")
        case UInt8(ascii: "4"): self = .refused("a block device")
        case UInt8(ascii: "6"): self = .refused("a FIFO")
        case UInt8(ascii: "7"): self = .refused("a contiguous file")
        case UInt8(ascii: "K"): self = .refused("a GNU long link name")
        case 0x21...0x7e: self = .refused("of unsupported type '\(Character(Unicode.Scalar(typeflag)))'")
        default: self = .refused("of unsupported type \(typeflag)")
        }
    }
}
