import OCI

/// `Equals` as Kyverno evaluates it (pkg/engine/variables/operator/equal.go): the key's type decides.
/// Strings compare as durations when either side is a Go duration, then as resource quantities, then by
/// wildcard (the value is the pattern); numbers also equal numeric strings; objects and arrays compare deeply.
enum Equality {
    static func equals(_ key: JSONValue, _ value: JSONValue) -> Bool {
        switch key {
        case .null: return false
        case .bool(let flag): return value == .bool(flag)
        case .number(let number):
            switch value {
            case .number(let other): return number == other
            case .string(let text): return Double(text) == number
            default: return false
            }
        case .string(let text):
            if let (left, right) = Durations.pair(key, value) { return left == right }
            if let quantity = Quantity.value(text), case .string(let other) = value {
                // Kyverno: a quantity key against a string that is not a quantity is simply unequal.
                return Quantity.value(other) == quantity
            }
            guard case .string(let pattern) = value else { return false }
            return Wildcard.matches(pattern: pattern, text)
        case .array, .object:
            return key == value
        }
    }
}

/// Kyverno's duration pairing (operator.go parseDuration): at least one side must be a Go duration string
/// other than "0"; the other side may be a duration string or a number of seconds.
enum Durations {
    static func pair(_ key: JSONValue, _ value: JSONValue) -> (Double, Double)? {
        let keyDuration = durationString(key), valueDuration = durationString(value)
        guard keyDuration != nil || valueDuration != nil else { return nil }
        guard let left = keyDuration ?? seconds(key), let right = valueDuration ?? seconds(value) else { return nil }
        return (left, right)
    }

    private static func durationString(_ value: JSONValue) -> Double? {
        guard case .string(let text) = value, text != "0" else { return nil }
        return GoDuration.seconds(text)
    }

    private static func seconds(_ value: JSONValue) -> Double? {
        if case .number(let number) = value { return number }
        return nil
    }
}
