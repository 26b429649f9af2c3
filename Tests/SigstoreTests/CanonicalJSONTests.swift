import Foundation
import OCI
import Sigstore
import Testing

/// RFC 8785 JSON Canonicalization Scheme: what Rekor's signed entry timestamps are computed over.
@Suite struct CanonicalJSONTests {
    /// RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serializations.
    static let numbers: [(bits: UInt64, expected: String)] = [
        (0x0000_0000_0000_0000, "0"), (0x8000_0000_0000_0000, "0"),
        (0x0000_0000_0000_0001, "5e-324"), (0x8000_0000_0000_0001, "-5e-324"),
        (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"), (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"),
        (0x4340_0000_0000_0000, "9007199254740992"), (0xC340_0000_0000_0000, "-9007199254740992"),
        (0x4430_0000_0000_0000, "295147905179352830000"),
        (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"), (0x44B5_2D02_C7E1_4AF6, "1e+23"),
        (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"),
        (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"), (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"),
        (0x444B_1AE4_D6E2_EF50, "1e+21"),
        (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"), (0x3EB0_C6F7_A0B5_ED8D, "0.000001"),
        (0x41B3_DE43_5555_5553, "333333333.3333332"), (0x41B3_DE43_5555_5554, "333333333.33333325"),
        (0x41B3_DE43_5555_5555, "333333333.3333333"), (0x41B3_DE43_5555_5556, "333333333.3333334"),
        (0x41B3_DE43_5555_5557, "333333333.33333343"),
        (0xBECB_F647_612F_3696, "-0.0000033333333333333333"),
        (0x4314_3FF3_C1CB_0959, "1424953923781206.2"),
    ]

    @Test(arguments: numbers)
    func numbersPrintAsECMAScriptDoes(_ sample: (bits: UInt64, expected: String)) throws {
        let bytes = try CanonicalJSON.encode(.number(Double(bitPattern: sample.bits)))
        #expect(String(decoding: bytes, as: UTF8.self) == sample.expected)
    }

    @Test(arguments: [(1_740_770_291.0, "1740770291"), (175_508_996.0, "175508996"), (-1.0, "-1"), (4.5, "4.5"), (0.002, "0.002"), (1e-7, "1e-7")])
    func integersPrintAsIntegers(_ sample: (Double, String)) throws {
        #expect(String(decoding: try CanonicalJSON.encode(.number(sample.0)), as: UTF8.self) == sample.1)
    }

    @Test func rfc8785SampleCanonicalizes() throws {
        let input = #"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(input.utf8))
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(String(decoding: try CanonicalJSON.encode(value), as: UTF8.self) == expected)
    }

    @Test func keysSortByUTF16CodeUnitsNotCodePoints() throws {
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33 although its code point is larger.
        let value = JSONValue.object(["\u{FB33}": .number(1), "\u{1F600}": .number(2), "\u{20AC}": .number(3), "a": .number(4)])
        let expected = "{\"a\":4,\"\u{20AC}\":3,\"\u{1F600}\":2,\"\u{FB33}\":1}"
        #expect(String(decoding: try CanonicalJSON.encode(value), as: UTF8.self) == expected)
    }

    @Test func controlCharactersUseShortOrLowerCaseUnicodeEscapes() throws {
        let value = JSONValue.string("\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{01}\u{1F}</>")
        #expect(String(decoding: try CanonicalJSON.encode(value), as: UTF8.self) == #""\b\t\n\f\r\u0001\u001f</>""#)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func refusesNumbersJSONCannotHold(_ number: Double) {
        #expect(throws: SigstoreError.self) { try CanonicalJSON.encode(.number(number)) }
    }

    /// The SET payload shape cosign signs: keys sorted, integers as integers.
    @Test func signedEntryTimestampPayloadIsCanonical() throws {
        let entry = TransparencyLogEntry(logIndex: 11_608_800, logID: [UInt8](repeating: 0xAB, count: 32), kind: "hashedrekord",
                                         version: "0.0.1", integratedTime: 1_674_251_859, signedEntryTimestamp: nil,
                                         inclusionProof: nil, canonicalizedBody: Array("{}".utf8))
        let payload = try TransparencyLogVerifier.signedEntryTimestampPayload(for: entry)
        let expected = #"{"body":"e30=","integratedTime":1674251859,"logID":""# + String(repeating: "ab", count: 32) + #"","logIndex":11608800}"#
        #expect(String(decoding: payload, as: UTF8.self) == expected)
    }
}
