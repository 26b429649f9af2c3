/// Go `time.ParseDuration` syntax ("300ms", "-1.5h", "2h45m"; units ns, us/µs, ms, s, m, h), which Kyverno
/// uses for duration comparisons. The value is in seconds.
enum GoDuration {
    private static let units: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "\u{00B5}s": 1e-6, "\u{03BC}s": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]

    static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        let sign = DecimalText.takeSign(&rest)
        if rest == "0" { return 0 }
        if rest.isEmpty { return nil }
        var total = 0.0
        while !rest.isEmpty {
            guard let amount = DecimalText.takeNumber(&rest) else { return nil }
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let scale = units[String(unit)] else { return nil }
            rest = rest.dropFirst(unit.count)
            total += amount * scale
        }
        return sign * total
    }
}
