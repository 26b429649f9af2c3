#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JMESPath
import OCI

/// The set operators as Kyverno evaluates them (operator/anyin.go, allin.go, anynotin.go, allnotin.go,
/// and the deprecated in.go/notin.go). The key is one value or a list; the value is a list, a single
/// string, or a string holding a JSON array of strings. Scalars compare as strings (numbers without a
/// fractional part print as integers) and either side may carry `*`/`?` wildcards.
enum Membership {
    enum Quantifier { case any, all }

    /// AnyIn: some key element is in the value; AllIn: every one is. Negated: AnyNotIn (some key element
    /// is not in the value), AllNotIn (no key element is).
    static func check(_ key: JSONValue, _ value: JSONValue, quantifier: Quantifier, negated: Bool) -> Bool {
        guard let keys = strings(ofKey: key), let values = strings(ofValue: value) else { return false }
        let found = keys.map { element in values.contains { Wildcard.matchesEitherWay(element, $0) } }
        switch (quantifier, negated) {
        case (.any, false): return found.contains(true)
        case (.all, false): return !found.contains(false)
        case (.any, true): return found.contains(false)
        case (.all, true): return !found.contains(true)
        }
    }

    /// The deprecated `In`: a single key matches an element (wildcards either way); a list key must have
    /// every element exactly in the value. nil: the types cannot be compared (then `NotIn` fails too).
    static func legacyIn(_ key: JSONValue, _ value: JSONValue) -> Bool? {
        guard let keys = strings(ofKey: key), let values = strings(ofValue: value) else { return nil }
        if case .array = key { return keys.allSatisfy(values.contains) }
        return values.contains { Wildcard.matchesEitherWay(keys[0], $0) }
    }

    private static func strings(ofKey key: JSONValue) -> [String]? {
        switch key {
        case .array(let elements): elements.map(text)
        case .string, .number, .bool: [text(key)]
        case .null, .object: nil
        }
    }

    private static func strings(ofValue value: JSONValue) -> [String]? {
        switch value {
        case .array(let elements): return elements.map(text)
        case .number: return [text(value)]
        case .string(let string):
            if string.hasPrefix("["),
               let decoded = try? JSONDecoder().decode([String].self, from: Data(string.utf8)) { return decoded }
            return [string]
        case .null, .bool, .object: return nil
        }
    }

    /// A scalar as Kyverno prints it for comparison; other values as compact JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let string): string
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: value.compactJSON
        }
    }
}
