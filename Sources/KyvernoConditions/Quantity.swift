/// Kubernetes resource quantities ("1Gi", "500m", "1.5", "2e3"), which Kyverno compares by value
/// (k8s.io/apimachinery resource.ParseQuantity: a signed decimal, then a binary suffix Ki Mi Gi Ti Pi Ei,
/// a decimal suffix n u m k M G T P E, or an exponent e<int>/E<int>).
enum Quantity {
    private static let suffixes: [String: Double] = [
        "": 1, "Ki": 0x1p10, "Mi": 0x1p20, "Gi": 0x1p30, "Ti": 0x1p40, "Pi": 0x1p50, "Ei": 0x1p60,
        "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
    ]

    static func value(_ text: String) -> Double? {
        var rest = Substring(text)
        let sign = DecimalText.takeSign(&rest)
        guard let amount = DecimalText.takeNumber(&rest) else { return nil }
        let suffix = String(rest)
        if let scale = suffixes[suffix] { return sign * amount * scale }
        if let marker = suffix.first, marker == "e" || marker == "E", let exponent = Int(suffix.dropFirst()),
           !suffix.dropFirst().hasPrefix("+") {
            return sign * amount * pow10(exponent)
        }
        return nil
    }

    private static func pow10(_ exponent: Int) -> Double {
        guard abs(exponent) <= 400 else { return exponent < 0 ? 0 : .infinity }
        var result = 1.0
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}
