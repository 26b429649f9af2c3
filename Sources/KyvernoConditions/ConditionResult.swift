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
        let written = "\(abbreviated(condition.key)) \(condition.operator.rawValue) \(abbreviated(condition.value))"
        var explanation: String
        if let missingVariable {
            explanation = "\(written): {{ \(missingVariable) }} selects nothing in the attestation"
        } else {
            explanation = "\(written): key is \(abbreviated(resolvedKey))"
            if let resolvedValue, resolvedValue != condition.value { explanation += ", value is \(abbreviated(resolvedValue))" }
        }
        if let message = condition.message, !message.isEmpty {
            let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "\(oneLine) (\(explanation))"
        }
        return explanation
    }

    /// Compact JSON (so strings are quoted and newlines escaped), cut after 200 characters.
    private func abbreviated(_ value: JSONValue) -> String {
        let text = value.compactJSON
        return text.count > 200 ? text.prefix(200) + "…" : text
    }
}
