public import OCI

/// One Kyverno condition `{key, operator, value, message}` (api/kyverno/v1 `Condition`).
public struct Condition: Sendable {
    /// Key and value as written in the policy, for reports.
    public let key: JSONValue
    public let `operator`: ConditionOperator
    public let value: JSONValue
    public let message: String?
    let keyTerm: ConditionTerm
    let valueTerm: ConditionTerm

    private static let fields: Set<String> = ["key", "operator", "value", "message"]

    /// Reads and compiles a condition; `path` names it in errors (e.g. `conditions[0].any[1]`).
    public init(json: JSONValue, path: String = "condition") throws(ConditionError) {
        guard case .object(let object) = json else {
            throw .malformed(path: path, reason: "a condition is an object with key, operator and value, got \(json.kind)")
        }
        if let unknown = object.keys.sorted().first(where: { !Condition.fields.contains($0) }) {
            throw .malformed(path: path, reason: "unknown field '\(unknown)' (a condition has key, operator, value, message)")
        }
        guard let key = object["key"] else { throw .malformed(path: path, reason: "missing 'key'") }
        guard case .string(let name)? = object["operator"] else {
            throw .malformed(path: path, reason: "missing 'operator' (a string such as Equals or AnyIn)")
        }
        guard let condition = ConditionOperator(name: name) else { throw .unknownOperator(path: "\(path).operator", name: name) }
        switch object["message"] {
        case nil, .null?: message = nil
        case .string(let text)?: message = text
        default: throw .malformed(path: "\(path).message", reason: "'message' must be a string")
        }
        self.key = key
        self.operator = condition
        self.value = object["value"] ?? .null
        self.keyTerm = try ConditionTerm(key, path: "\(path).key")
        self.valueTerm = try ConditionTerm(self.value, path: "\(path).value")
    }

    /// Substitutes the variables and applies the operator. A variable that selects nothing fails the
    /// condition (Kyverno refuses to substitute it).
    public func evaluate(over context: JSONValue, path: String = "condition") throws(ConditionError) -> ConditionResult {
        let resolvedKey: JSONValue, resolvedValue: JSONValue
        switch try keyTerm.resolve(over: context, path: "\(path).key") {
        case .value(let value): resolvedKey = value
        case .missing(let variable): return ConditionResult(condition: self, passed: false, resolvedKey: .null, resolvedValue: nil, missingVariable: variable)
        }
        switch try valueTerm.resolve(over: context, path: "\(path).value") {
        case .value(let value): resolvedValue = value
        case .missing(let variable): return ConditionResult(condition: self, passed: false, resolvedKey: resolvedKey, resolvedValue: nil, missingVariable: variable)
        }
        return ConditionResult(condition: self, passed: self.operator.holds(key: resolvedKey, value: resolvedValue),
                               resolvedKey: resolvedKey, resolvedValue: resolvedValue, missingVariable: nil)
    }
}

extension JSONValue {
    /// "an object", "a string", ... for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
