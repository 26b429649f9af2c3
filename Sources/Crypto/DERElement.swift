/// One definite-length DER element (X.690 §8.1), read by hand where OpenSSL offers no typed reader.
enum DERElement {
    /// UTF8String, PrintableString, IA5String.
    static let stringTags: Set<UInt8> = [0x0C, 0x13, 0x16]

    /// The tag and contents of the single element that makes up all of `bytes`; nil when `bytes` is not
    /// exactly one element in minimal-length DER (or uses a multi-byte tag).
    static func single(_ bytes: [UInt8]) -> (tag: UInt8, contents: ArraySlice<UInt8>)? {
        guard bytes.count >= 2, bytes[0] & 0x1F != 0x1F else { return nil }
        var length = Int(bytes[1])
        var start = 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...3).contains(count), bytes.count >= 2 + count, bytes[2] != 0 else { return nil }
            length = bytes[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) }
            guard length >= 0x80 else { return nil }  // DER uses the short form below 128
            start = 2 + count
        }
        guard bytes.count - start == length else { return nil }
        return (bytes[0], bytes[start...])
    }
}
