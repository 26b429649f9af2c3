import OCI

/// The built-in functions ocitool implements (https://jmespath.org/specification.html#built-in-functions).
/// Others (sort_by, map, ...) are rejected when the expression is parsed.
enum JMESPathFunction: String, Sendable, CaseIterable {
    case length, contains, starts_with, ends_with, to_string, to_number, keys, values
    case max, min, sum, join, type, not_null, abs, avg, floor, ceil, reverse

    struct Arity: Sendable, CustomStringConvertible {
        let minimum: Int
        let variadic: Bool
        func accepts(_ count: Int) -> Bool { variadic ? count >= minimum : count == minimum }
        var description: String {
            let noun = minimum == 1 ? "argument" : "arguments"
            return variadic ? "at least \(minimum) \(noun)" : "\(minimum) \(noun)"
        }
    }

    var arity: Arity {
        switch self {
        case .contains, .starts_with, .ends_with, .join: Arity(minimum: 2, variadic: false)
        case .not_null: Arity(minimum: 1, variadic: true)
        default: Arity(minimum: 1, variadic: false)
        }
    }

    /// Applies the function to evaluated arguments (arity was checked by the parser).
    func apply(_ arguments: [JSONValue], in expression: String) throws(JMESPathError) -> JSONValue {
        let first = arguments[0]
        func typeError(_ expected: String, _ actual: JSONValue = first) -> JMESPathError {
            .invalidType(expression: expression, function: rawValue, expected: expected, actual: actual.jmesPathTypeName)
        }
        switch self {
        case .length:
            switch first {
            case .string(let value): return .number(Double(value.unicodeScalars.count))
            case .array(let value): return .number(Double(value.count))
            case .object(let value): return .number(Double(value.count))
            default: throw typeError("a string, an array or an object")
            }
        case .contains:
            switch first {
            case .array(let elements): return .bool(elements.contains(arguments[1]))
            case .string(let subject):
                guard case .string(let search) = arguments[1] else { return .bool(false) }
                return .bool(search.isEmpty || subject.contains(search))
            default: throw typeError("an array or a string")
            }
        case .starts_with, .ends_with:
            guard case .string(let subject) = first else { throw typeError("a string") }
            guard case .string(let affix) = arguments[1] else { throw typeError("a string", arguments[1]) }
            return .bool(self == .starts_with ? subject.unicodeScalars.starts(with: affix.unicodeScalars)
                                              : subject.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed()))
        case .to_string:
            if case .string = first { return first }
            return .string(first.compactJSON)
        case .to_number:
            switch first {
            case .number: return first
            case .string(let text): return Double(text).map { .number($0) } ?? .null
            default: return .null
            }
        case .keys, .values:
            guard case .object(let object) = first else { throw typeError("an object") }
            let sortedKeys = object.keys.sorted()
            return .array(self == .keys ? sortedKeys.map { .string($0) } : sortedKeys.map { object[$0]! })
        case .max, .min:
            guard case .array(let elements) = first else { throw typeError("an array of numbers or of strings") }
            if let numbers = elements.numbers {
                return (self == .max ? numbers.max() : numbers.min()).map { .number($0) } ?? .null
            }
            if let strings = elements.strings {
                return (self == .max ? strings.max() : strings.min()).map { .string($0) } ?? .null
            }
            throw typeError("an array of numbers or of strings")
        case .sum, .avg:
            guard case .array(let elements) = first, let numbers = elements.numbers else {
                throw typeError("an array of numbers")
            }
            let total = numbers.reduce(0, +)
            if self == .sum { return .number(total) }
            return numbers.isEmpty ? .null : .number(total / Double(numbers.count))
        case .join:
            guard case .string(let glue) = first else { throw typeError("a string") }
            guard case .array(let elements) = arguments[1], let strings = elements.strings else {
                throw typeError("an array of strings", arguments[1])
            }
            return .string(strings.joined(separator: glue))
        case .type:
            return .string(first.jmesPathTypeName)
        case .not_null:
            return arguments.first { $0 != .null } ?? .null
        case .abs, .floor, .ceil:
            guard case .number(let number) = first else { throw typeError("a number") }
            switch self {
            case .abs: return .number(Swift.abs(number))
            case .floor: return .number(number.rounded(.down))
            default: return .number(number.rounded(.up))
            }
        case .reverse:
            switch first {
            case .array(let elements): return .array(elements.reversed())
            case .string(let text): return .string(String(text.reversed()))
            default: throw typeError("an array or a string")
            }
        }
    }
}

private extension Array where Element == JSONValue {
    var numbers: [Double]? { every { if case .number(let number) = $0 { number } else { nil } } }
    var strings: [String]? { every { if case .string(let string) = $0 { string } else { nil } } }

    /// Every element extracted, or nil when one does not have the type.
    private func every<T>(_ extract: (JSONValue) -> T?) -> [T]? {
        var result: [T] = []
        for element in self {
            guard let value = extract(element) else { return nil }
            result.append(value)
        }
        return result
    }
}
