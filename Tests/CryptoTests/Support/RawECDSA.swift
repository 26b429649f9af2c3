/// The fixed-width r || s form of a DER ECDSA signature, decoded here independently of the code under test.
struct RawECDSA {
    let bytes: [UInt8]

    /// `der` is SEQUENCE { INTEGER r, INTEGER s } with short-form lengths (all P-256/P-384 signatures).
    init?(der: [UInt8], width: Int) {
        guard der.count >= 8, der[0] == 0x30, Int(der[1]) == der.count - 2 else { return nil }
        var index = 2
        var halves: [[UInt8]] = []
        for _ in 0..<2 {
            guard index + 2 <= der.count, der[index] == 0x02 else { return nil }
            let length = Int(der[index + 1])
            guard index + 2 + length <= der.count else { return nil }
            let integer = der[(index + 2)..<(index + 2 + length)].drop { $0 == 0 }
            guard integer.count <= width else { return nil }
            halves.append([UInt8](repeating: 0, count: width - integer.count) + integer)
            index += 2 + length
        }
        guard index == der.count else { return nil }
        bytes = halves[0] + halves[1]
    }
}
