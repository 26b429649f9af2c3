import OCI

/// GreaterThan/LessThan(OrEquals) as Kyverno evaluates them (operator/numeric.go) and the deprecated
/// Duration* operators (operator/duration.go). A result is the sign of key − value; nil means the two
/// sides cannot be compared, and the condition does not hold.
enum Ordering {
    static func compare(_ key: JSONValue, _ value: JSONValue) -> Int? {
        switch key {
        case .number(let number):
            return compare(number: number, key: key, value)
        case .string(let text):
            if let (left, right) = Durations.pair(key, value) { return sign(left, right) }
            if let left = Quantity.value(text), case .string(let other) = value, let right = Quantity.value(other) {
                return sign(left, right)
            }
            if let number = Double(text) { return compare(number: number, key: .number(number), value) }
            if let left = SemanticVersion(text), case .string(let other) = value, let right = SemanticVersion(other) {
                return left < right ? -1 : (right < left ? 1 : 0)
            }
            return nil
        default:
            return nil
        }
    }

    private static func compare(number: Double, key: JSONValue, _ value: JSONValue) -> Int? {
        switch value {
        case .number(let other): return sign(number, other)
        case .string(let text):
            if let (left, right) = Durations.pair(key, value) { return sign(left, right) }
            return Double(text).map { sign(number, $0) }
        default: return nil
        }
    }

    /// The Duration* operators: strings must be Go durations ("0" included), numbers are seconds.
    static func compareDurations(_ key: JSONValue, _ value: JSONValue) -> Int? {
        func seconds(_ side: JSONValue) -> Double? {
            switch side {
            case .number(let number): number
            case .string(let text): GoDuration.seconds(text)
            default: nil
            }
        }
        guard let left = seconds(key), let right = seconds(value) else { return nil }
        return sign(left, right)
    }

    private static func sign(_ left: Double, _ right: Double) -> Int {
        left < right ? -1 : (left > right ? 1 : 0)
    }
}
