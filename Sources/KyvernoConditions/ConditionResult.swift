import JMESPath
public import OCI

/// How one condition evaluated: the operands after substitution, and whether it held.
public struct ConditionResult: Sendable, CustomStringConvertible {
    public let condition: Condition
    public let passed: Bool
    /// The key after `{{ }}` substitution (null when a variable selected nothing).
    public let resolvedKey: JSONValue
    /// The value after substitution; nil when it could not be substituted.
    public let resolvedValue: JSONValue?
    /// The `{{ }}` expression that selected nothing, when that is why the condition failed.
    public let missingVariable: String?

    /// One line: the policy's own message when it has one, then what was compared.
    public var description: String {
        let written = "\(display(condition.key)) \(condition.operator.rawValue) \(display(condition.value))"
        var explanation: String
        if let missingVariable {
            explanation = "\(written): {{ \(missingVariable) }} selects nothing in the attestation"
        } else {
            explanation = "\(written): key is \(resolvedKey.compactJSON)"
            if let resolvedValue, resolvedValue != condition.value { explanation += ", value is \(resolvedValue.compactJSON)" }
        }
        if let message = condition.message, !message.isEmpty { return "\(message) (\(explanation))" }
        return explanation
    }

    private func display(_ value: JSONValue) -> String {
        if case .string(let string) = value { return "\"\(string)\"" }
        return value.compactJSON
    }
}
