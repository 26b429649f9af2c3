#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import OCI

extension JSONValue {
    /// JMESPath truthiness: false, null, "", [] and {} are false; everything else (0 included) is true.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .string(let value): !value.isEmpty
        case .array(let value): !value.isEmpty
        case .object(let value): !value.isEmpty
        case .number: true
        }
    }

    /// The JMESPath type name (what `type()` returns).
    public var jmesPathTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Compact JSON with sorted keys: what `to_string` returns and what `{{ }}` inside a longer string
    /// substitutes for a non-string value.
    public var compactJSON: String {
        guard let data = try? JSONEncoder.stable.encode(self) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
