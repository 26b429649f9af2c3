/// Base64 and hex as Sigstore documents use them, decoded strictly: protobuf JSON (bundles, trusted roots)
/// writes standard or URL-safe base64, padded or not. Line breaks are skipped, as Go's decoder (which
/// wrote and reads most Sigstore documents) skips them; any other stray character is an error.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Decodes `text`, or returns nil when it is not base64. `ignoringWhitespace` also skips spaces and tabs.
    static func decode(_ text: String, ignoringWhitespace: Bool = false) -> [UInt8]? {
        var symbols = [UInt8]()
        symbols.reserveCapacity(text.utf8.count)
        var padding = 0
        for character in text.utf8 {
            if character == 0x0A || character == 0x0D { continue }
            if ignoringWhitespace, character == 0x20 || character == 0x09 { continue }
            if character == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            guard padding == 0 else { return nil }  // data after padding
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            symbols.append(value)
        }
        guard symbols.count % 4 != 1, padding <= 2 else { return nil }
        if padding > 0, (symbols.count + padding) % 4 != 0 { return nil }

        var output = [UInt8]()
        output.reserveCapacity(symbols.count * 3 / 4)
        var index = 0
        while index + 4 <= symbols.count {
            let chunk = UInt32(symbols[index]) << 18 | UInt32(symbols[index + 1]) << 12
                | UInt32(symbols[index + 2]) << 6 | UInt32(symbols[index + 3])
            output.append(UInt8(truncatingIfNeeded: chunk >> 16))
            output.append(UInt8(truncatingIfNeeded: chunk >> 8))
            output.append(UInt8(truncatingIfNeeded: chunk))
            index += 4
        }
        switch symbols.count - index {
        case 2:
            output.append(symbols[index] << 2 | symbols[index + 1] >> 4)
        case 3:
            output.append(symbols[index] << 2 | symbols[index + 1] >> 4)
            output.append(symbols[index + 1] << 4 | symbols[index + 2] >> 2)
        default:
            break
        }
        return output
    }

    /// Standard alphabet, padded: what Rekor and cosign write.
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let chunk = UInt32(bytes[index]) << 16
                | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
            output.append(alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(remaining > 1 ? alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
            output.append(remaining > 2 ? alphabet[Int(chunk & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}

enum Hex {
    /// Decodes upper- or lower-case hex, or returns nil.
    static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
