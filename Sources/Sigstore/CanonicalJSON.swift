public import OCI

/// The JSON Canonicalization Scheme (RFC 8785): what Rekor signs its signed entry timestamps over.
///
/// Objects with keys sorted by UTF-16 code units, no whitespace, strings with the minimal escapes
/// (RFC 8785 §3.2.2.2), numbers as ECMAScript `Number.prototype.toString` prints them (§3.2.2.3) — so
/// integers print as integers.
public enum CanonicalJSON {
    /// The canonical bytes of `value`; throws for NaN or infinite numbers, which JSON cannot hold.
    public static func encode(_ value: JSONValue) throws(SigstoreError) -> [UInt8] {
        var output = [UInt8]()
        try write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout [UInt8]) throws(SigstoreError) {
        switch value {
        case .null: output += Array("null".utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .number(let number): output += Array(try format(number).utf8)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                try write(members[key]!, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): output += Array("\\\\".utf8)
            case 0x08: output += Array("\\b".utf8)
            case 0x09: output += Array("\\t".utf8)
            case 0x0A: output += Array("\\n".utf8)
            case 0x0C: output += Array("\\f".utf8)
            case 0x0D: output += Array("\\r".utf8)
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                output += Array("\\u00".utf8)
                output.append(digits[Int(byte >> 4)])
                output.append(digits[Int(byte & 0xF)])
            default: output.append(byte)  // everything else, non-ASCII included, verbatim as UTF-8
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// ECMAScript Number::toString for a finite double (ECMA-262 §6.1.6.1.20).
    static func format(_ number: Double) throws(SigstoreError) -> String {
        guard number.isFinite else {
            throw .malformed(document: "canonical JSON", reason: "\(number) is not a JSON number")
        }
        if number == 0 { return "0" }  // also -0
        if number < 0 { return "-" + (try format(-number)) }

        // Swift prints the shortest digits that round-trip, as ECMAScript requires; only the layout differs.
        let (digits, exponent) = shortestDigits(of: number)
        let k = digits.count
        let n = exponent  // value = 0.d1d2…dk × 10^n
        if k <= n && n <= 21 { return digits + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 { return String(digits.prefix(n)) + "." + String(digits.dropFirst(n)) }
        if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + digits }
        let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        let e = n - 1
        return mantissa + "e" + (e >= 0 ? "+" : "-") + String(abs(e))
    }

    /// Decimal digits (no leading/trailing zeros) and n such that value = 0.digits × 10^n.
    private static func shortestDigits(of number: Double) -> (String, Int) {
        let text = "\(number)"  // e.g. "1740770291.0", "1e-07", "1.5e+300", "0.001"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let integerPart: Substring
        let fractionPart: Substring
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        } else {
            integerPart = mantissa
            fractionPart = ""
        }
        var all = String(integerPart) + String(fractionPart)
        var pointPosition = integerPart.count + exponent
        while all.first == "0" {
            all.removeFirst()
            pointPosition -= 1
        }
        while all.last == "0" { all.removeLast() }
        return (all, pointPosition)
    }
}
